"""``ambientnote encounter …`` and ``ambientnote note …``: a clinician's own stored consultations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ambientnote.audit.signing import sign_export
from ambientnote.cli.db_commands import RECOVERY_KEY_FILE_HELP, read_recovery_key
from ambientnote.cli.output import write_output
from ambientnote.cli.store_auth import StoreGroup, cli_session
from ambientnote.errors import InputError
from ambientnote.exports.document import build_document, default_filename
from ambientnote.notes.schema import Note
from ambientnote.store import break_glass as glass
from ambientnote.store import encounters, note_export
from ambientnote.store.encounters import EncounterDetail
from ambientnote.store.patient import BIRTH_DATE_HELP, MRN_HELP


def _paged(command: Callable[..., None]) -> Callable[..., None]:
    """The --limit/--offset pair every encounter listing takes."""
    command = click.option("--offset", default=0, help="Skip this many first.")(command)
    return click.option("--limit", default=50, show_default=True, help="How many, newest first (0: all).")(command)


@click.group(cls=StoreGroup)
def encounter() -> None:
    """Your encounters: list, show, set the patient's date of birth and MRN, delete; every clinician's as
    metadata (overview), one's content with the recovery key (break-glass)."""


@encounter.command(name="list")
@_paged
def list_(limit: int, offset: int) -> None:
    """List your encounters, newest first."""
    with cli_session() as session:
        rows = encounters.list_encounters(session, limit=limit or None, offset=offset)
    for e in rows:
        click.echo(f"{e.id:>7}  {e.created_at[:16].replace('T', ' ')}  {e.status:<7}  {e.patient_label}")
    if not rows:
        click.echo("No encounters.")
    if notice := rows.notice():
        click.echo(notice, err=True)


@encounter.command()
@click.argument("encounter_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Everything as JSON.")
def show(encounter_id: int, as_json: bool) -> None:
    """Show an encounter: transcript and the latest note version."""
    with cli_session() as session:
        detail = encounters.show_encounter(session, encounter_id)
        account = session.account
    _print_detail(detail, account, as_json)


def _print_detail(detail: EncounterDetail, account: str, as_json: bool) -> None:
    if as_json:
        click.echo(detail.model_dump_json(indent=2))
        return
    s = detail.summary
    click.echo(f"Encounter {s.id}: {s.patient_label} — {s.status}, created {s.created_at[:16].replace('T', ' ')}")
    if detail.recording:
        r = detail.recording
        purged = f", purged {r.purged_at[:10]}" if r.purged_at else ""
        click.echo(f"Audio: {r.format}, {r.size / 1e6:.1f} MB{purged}")
    if detail.transcript:
        click.echo("\nTranscript:")
        for seg in detail.transcript.segments:
            click.echo(f"  [{seg.id}] {seg.role.value}: {seg.text}")
    note = detail.latest
    click.echo(f"\nNote version {note.version} ({note.status}):\n")
    click.echo(build_document(detail, account).render("txt"), nl=False)


@encounter.command()
@_paged
def overview(limit: int, offset: int) -> None:
    """Every clinician's encounters as metadata: who, when, status, versions, audio (compliance, admin)."""
    with cli_session() as session:
        rows = glass.encounter_overview(session, limit=limit or None, offset=offset)
    for e in rows:
        signed = f"signed {e.signed_at[:10]}" if e.signed_at else ""
        click.echo(f"{e.id:>7}  {e.created_at[:16].replace('T', ' ')}  {e.clinician:<16}  {e.status:<7}  "
                   f"{e.versions} version(s){', audio' if e.has_audio else ''}  {signed}".rstrip())
    if not rows:
        click.echo("No encounters.")


@encounter.command(name="break-glass")
@click.argument("encounter_id", type=int)
@click.option("--recovery-key-file", type=click.Path(dir_okay=False, path_type=Path), help=RECOVERY_KEY_FILE_HELP)
@click.option("--reason", required=True, help="Why (kept in the audit log; no patient details).")
@click.option("--json", "as_json", is_flag=True, help="Everything as JSON.")
def break_glass(encounter_id: int, recovery_key_file: Path | None, reason: str, as_json: bool) -> None:
    """Read another clinician's encounter with the site's recovery key; the audit log records who, which and why."""
    recovery_key = read_recovery_key(recovery_key_file)
    with cli_session() as session:
        opened = glass.break_glass(session, encounter_id, recovery_key, reason)
    click.echo(f"Break-glass read of encounter {encounter_id} ({opened.clinician}'s), recorded in the audit log.",
               err=True)
    if warning := opened.warning():
        click.echo(f"Warning: {warning}", err=True)
    _print_detail(opened.detail, opened.clinician, as_json)


@encounter.command(name="set")
@click.argument("encounter_id", type=int)
@click.option("--dob", "birth_date", default=None, help=f"{BIRTH_DATE_HELP[:-1]}; '' clears it.")
@click.option("--mrn", default=None, help=f"{MRN_HELP[:-1]}; '' clears it.")
def set_(encounter_id: int, birth_date: str | None, mrn: str | None) -> None:
    """Enter or correct the patient's date of birth and MRN, printed in every export's header."""
    if birth_date is None and mrn is None:
        raise InputError("Give --dob, --mrn or both; nothing was changed.")
    with cli_session() as session:
        now = encounters.set_patient_details(session, encounter_id, birth_date=birth_date, mrn=mrn)
    said = [f"{name} {'entered' if value else 'not entered'}"
            for name, value in (("date of birth", now.birth_date), ("MRN", now.mrn))]
    click.echo(f"Encounter {encounter_id}: {', '.join(said)}.")


@encounter.command()
@click.argument("encounter_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(encounter_id: int, yes: bool) -> None:
    """Delete an unsigned encounter with its audio, transcript and notes."""
    with cli_session() as session:
        if not yes:
            encounters.check_deletable(session, encounter_id)  # another's or a signed one: refused before asking
            click.confirm(f"Delete encounter {encounter_id} for good?", abort=True, err=True)
        encounters.delete_encounter(session, encounter_id)
    click.echo(f"Deleted encounter {encounter_id}.")


@click.group(cls=StoreGroup)
def note() -> None:
    """Note versions: edit, sign, export."""


@note.command()
@click.argument("encounter_id", type=int)
def sign(encounter_id: int) -> None:
    """Sign the latest note version (it becomes immutable; later edits are amendments)."""
    with cli_session() as session:
        version = encounters.sign_note(session, encounter_id)
    click.echo(f"Signed version {version} of encounter {encounter_id}.")


@note.command()
@click.argument("encounter_id", type=int)
@click.option("--file", "note_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The edited note as JSON.")
def edit(encounter_id: int, note_file: Path) -> None:
    """Save an edited note (JSON) as a new version."""
    try:
        body = Note.model_validate_json(note_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise InputError(f"{note_file} does not hold a note as `ambientnote draft --format json` writes it; "
                         "nothing was saved.") from exc
    with cli_session() as session:
        version = encounters.edit_note(session, encounter_id, body)
    click.echo(f"Saved version {version} of encounter {encounter_id}.")


@note.command(name="export")
@click.argument("encounter_id", type=int)
@click.option("--format", "fmt", type=click.Choice(note_export.FORMATS), default="txt", show_default=True,
              help="txt/md for the EHR, pdf to print, fhir (DocumentReference) or fhir-bundle (with the visit's "
                   "observations, medications, conditions and orders).")
@click.option("--version", type=int, default=None, help="Which version (default: the latest).")
@click.option("--out", type=click.Path(path_type=Path),
              help="Write here, with its signature in OUT.sig, instead of stdout "
                   "(pdf: default encounter-N-note-vV.pdf in this folder).")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default=None, help="PDF paper size (default: settings).")
def export(encounter_id: int, fmt: str, version: int | None, out: Path | None, paper: str | None) -> None:
    """Export a note for the EHR: text, Markdown, PDF, or FHIR R4; a file written is signed (FILE.sig)."""
    with cli_session() as session:
        doc = note_export.export_document(session, encounter_id, fmt, version)
        if fmt != "pdf":
            write_output(note_export.render_export(doc, fmt, session.store.store_id), out)
            if out is None:
                return
            what = ""
        else:
            from ambientnote.gui.pdf import write_pdf  # here: Qt (0.2 s to load) lays out only a PDF; no window

            out = out or Path(default_filename(encounter_id, doc.header.version, ".pdf"))
            what = f" ({write_pdf(doc, out, paper or session.settings.pdf_paper)} page(s))"
        sig = sign_export(session.store, session.actor, out)
    click.echo(f"Wrote version {doc.header.version} of encounter {encounter_id} to {out}{what}, "
               f"signed in {sig.name}.", err=True)


COMMANDS = [encounter, note]
