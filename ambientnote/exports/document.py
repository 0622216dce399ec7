"""The exported note: who, when, which version and in what state, what still needs review, then the note.

A note pasted into the EHR or printed must say on its face whose it is, when the visit was, who wrote and
signed it, whether it is final and what changed since, and which statements the guard could not support:
the stored note body says none of that. ``ExportDocument`` gathers it from the store's records (no SQL
here) and renders ``templates/notes/export.{txt,md}.j2``, which include the note's own ``note.*.j2``, so a
stored note reads exactly as ``ambientnote draft`` printed it, under a header. Wording lives in the
templates; this module only supplies data and the local-time formatting.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from ambientnote.errors import ConfigError, InputError
from ambientnote.note_status import NoteStatus
from ambientnote.notes.layout import load_layout
from ambientnote.notes.render import render_template
from ambientnote.notes.schema import Note

if TYPE_CHECKING:  # the store sits above the exports: an encounter's detail is passed in, never imported
    from ambientnote.store.encounters import EncounterDetail

TEXT_FORMATS = ("txt", "md")
# What a clinician confirms in the Sign dialog, and what every signed export then says under their name. One
# sentence in one place, so the chart shows exactly the words the signer ticked.
ATTESTATION = ("I have reviewed this note against the visit; it is accurate and complete to the best of my "
               "knowledge, and I sign it as my own.")


def parse_time(value: str | None) -> datetime | None:
    """A stored ISO 8601 timestamp (UTC) as an aware datetime; ``None`` stays ``None``."""
    return datetime.fromisoformat(value) if value else None


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M", zone: bool = True) -> str:
    """``value`` in the machine's time zone, with the zone's name: the clinician reads clinic time, not UTC."""
    if value is None:
        return ""
    local = value.astimezone()
    name = local.tzname() or local.strftime("UTC%z")
    return f"{local.strftime(fmt)} {name}" if zone else local.strftime(fmt)


class VersionEntry(BaseModel):
    """One stored version as the history lists it; ``amends`` is the signed version it replaces, if any."""

    version: int
    status: NoteStatus
    created_at: datetime
    signed_at: datetime | None = None
    amends: int | None = None


class ReviewItem(BaseModel):
    """A statement the guard could not support, with where it sits in the note and why."""

    where: str
    text: str
    flags: list[str]


class ExportHeader(BaseModel):
    """What the header says. ``birth_date`` and ``mrn`` print only when entered."""

    encounter_id: int
    patient_label: str
    birth_date: str | None = None
    mrn: str | None = None
    visit_start: datetime | None = None
    visit_end: datetime | None = None
    clinician: str
    template: str
    template_title: str
    version: int
    history: list[VersionEntry]

    @property
    def entry(self) -> VersionEntry:
        """The exported version's own history entry."""
        return next(e for e in self.history if e.version == self.version)

    @property
    def signed(self) -> bool:
        return self.entry.status == NoteStatus.signed


class ExportDocument(BaseModel):
    """A stored note version ready to render: the header's data and the note itself."""

    header: ExportHeader
    note: Note

    @property
    def needs_review(self) -> list[ReviewItem]:
        """Every statement the guard flagged, in note order (they must not vanish on the way to the chart)."""
        return [ReviewItem(where=_place(section.title, sub.title), text=st.text, flags=st.flags)
                for section, sub, st in self.note.statements() if st.flags]

    def render(self, fmt: str) -> str:
        """The document as plain text (EHR paste) or Markdown (also what the PDF lays out)."""
        if fmt not in TEXT_FORMATS:
            raise InputError(f"Unknown export format '{fmt}'; choose one of {', '.join(TEXT_FORMATS)}.")
        return render_template(f"notes/export.{fmt}.j2", doc=self, header=self.header, note=self.note,
                               show_evidence=False, local=local_time, attestation=ATTESTATION)


def _place(section: str, subsection: str) -> str:
    return section if subsection.casefold() == section.casefold() else f"{section} › {subsection.capitalize()}"


def _history(detail: EncounterDetail, upto: int) -> list[VersionEntry]:
    entries, last_signed = [], None
    for n in detail.notes:
        if n.version > upto:
            break
        entries.append(VersionEntry(version=n.version, status=n.status, created_at=datetime.fromisoformat(n.created_at),
                                    signed_at=parse_time(n.signed_at), amends=last_signed))
        if n.status == NoteStatus.signed:
            last_signed = n.version
    return entries


def _template_title(name: str) -> str:
    try:
        return load_layout(name).title
    except ConfigError:  # a layout a site has since removed: the note still exports under its name
        return f"{name} note"


def build_document(detail: EncounterDetail, clinician: str, version: int | None = None) -> ExportDocument:
    """The export of one version of ``detail`` (the latest by default), written by ``clinician``."""
    encounter_id = detail.summary.id
    chosen = [n for n in detail.notes if version is None or n.version == version]
    if not chosen:
        raise InputError(f"Encounter {encounter_id} has no note version {version}.")
    stored = chosen[-1]
    try:
        note = Note.model_validate_json(stored.body)
    except ValidationError as exc:
        raise InputError(f"Version {stored.version} of encounter {encounter_id} is not a note AmbientNote can "
                         "render; save the note again from the review screen, then export it.") from exc
    summary = detail.summary
    header = ExportHeader(
        encounter_id=encounter_id, patient_label=summary.patient_label, birth_date=summary.birth_date, mrn=summary.mrn,
        visit_start=parse_time(summary.started_at or summary.created_at), visit_end=parse_time(summary.ended_at),
        clinician=clinician, template=note.template, template_title=_template_title(note.template),
        version=stored.version, history=_history(detail, stored.version),
    )
    return ExportDocument(header=header, note=note)


def default_filename(encounter_id: int, version: int, suffix: str) -> str:
    """``encounter-12-note-v3.pdf``: a name that says which note it is and carries no patient name or birth date."""
    return f"encounter-{encounter_id}-note-v{version}{suffix}"
