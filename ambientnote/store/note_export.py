"""Exporting a stored note for the EHR: plain text, Markdown, or a FHIR R4 DocumentReference.

The note's JSON schema belongs to the drafting code, so this renders any JSON
generically (keys become headings, lists bullets) and skips evidence plumbing.
When ``ambientnote.export`` gains schema-aware renderers, call them from here.
Every export is audited with the encounter id and format, never the text.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from fhir.resources.R4B.documentreference import DocumentReference

from ambientnote.audit.log import record_now
from ambientnote.errors import InputError
from ambientnote.store.encounters import EncounterDetail, NoteVersion, own_encounter, show_encounter
from ambientnote.store.session import Session

FORMATS = ("txt", "md", "fhir")
_SKIP = {"evidence", "segment_ids", "segments", "evidence_ids", "id", "ids", "supported", "flags"}


def _title(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def _item_text(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("text", "statement", "value", "content"):
            if isinstance(item.get(key), str):
                return item[key]
        return "; ".join(_item_text(v) for k, v in item.items() if k not in _SKIP)
    if isinstance(item, list):
        return "; ".join(_item_text(v) for v in item)
    return "" if item is None else str(item)


def _render(value: Any, markdown: bool, depth: int = 0) -> list[str]:
    lines: list[str] = []
    if isinstance(value, dict):
        for key, sub in value.items():
            if key in _SKIP or sub in (None, "", [], {}):
                continue
            heading = _title(key)
            if markdown:
                lines.append(f"{'#' * min(depth + 2, 6)} {heading}")
            else:
                lines.append(heading.upper() if depth == 0 else f"{heading}:")
            lines.extend(_render(sub, markdown, depth + 1))
            lines.append("")
    elif isinstance(value, list):
        lines.extend(f"{'- ' if markdown else '  - '}{_item_text(item)}" for item in value if _item_text(item))
    else:
        lines.append(str(value))
    return lines


def render_note(body: str, fmt: str) -> str:
    """The note JSON as plain text or Markdown."""
    lines = _render(json.loads(body), fmt == "md")
    return "\n".join(lines).strip() + "\n"


def _fhir(detail: EncounterDetail, note: NoteVersion, encounter_id: int) -> str:
    text = render_note(note.body, "md")
    resource = DocumentReference.model_validate({
        "resourceType": "DocumentReference",
        "id": f"encounter-{encounter_id}-v{note.version}",
        "status": "current",
        "docStatus": "final" if note.status == "signed" else "preliminary",
        "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4", "display": "Consult note"}]},
        "subject": {"display": detail.summary.patient_label},
        "date": note.signed_at or note.created_at,
        "content": [{"attachment": {"contentType": "text/markdown; charset=utf-8", "title": "Clinical note",
                                    "data": base64.b64encode(text.encode()).decode()}}],
    })
    return resource.model_dump_json(indent=2, exclude_none=True) + "\n"


def export_note(session: Session, encounter_id: int, fmt: str, version: int | None = None) -> str:
    """One of the caller's notes (latest version by default) as txt, md or fhir text (an audited export)."""
    if fmt not in FORMATS:
        raise InputError(f"Unknown note format '{fmt}'; choose one of {', '.join(FORMATS)}.")
    own_encounter(session, encounter_id, "encounter.export")
    detail = show_encounter(session, encounter_id)
    chosen = [n for n in detail.notes if version is None or n.version == version]
    if not chosen:
        raise InputError(f"Encounter {encounter_id} has no note version {version}.")
    note = chosen[-1]
    out = _fhir(detail, note, encounter_id) if fmt == "fhir" else render_note(note.body, fmt)
    record_now(session.store, session.actor, "encounter.export", entity_type="encounter", entity_id=encounter_id,
               detail={"format": fmt, "version": note.version, "status": note.status})
    return out
