"""``ambientnote draft INPUT``: audio or transcript in, evidence-linked note out."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ambientnote.cli.context import cli_settings
from ambientnote.cli.output import write_output
from ambientnote.cli.progress import stderr_progress
from ambientnote.cli.store_auth import cli_session
from ambientnote.config import Route
from ambientnote.errors import StoreError
from ambientnote.notes.inputs import is_audio, transcript_from_input
from ambientnote.notes.render import NOTE_FORMATS, render_note
from ambientnote.paths import assets_dir
from ambientnote.router.policy import why_not_allowed
from ambientnote.router.route import draft_routed
from ambientnote.store.patient import BIRTH_DATE_HELP, MRN_HELP, PatientDetails, patient_details
from ambientnote.store.safety import routing_set_by_admin
from ambientnote.visits.save import save_visit

if TYPE_CHECKING:
    from ambientnote.notes.schema import Note
    from ambientnote.router.route import RouteDecision
    from ambientnote.store.session import Session
    from ambientnote.transcript import Transcript

DEFAULT_SAMPLE = "samples/consult1_hypertension.flac"


@click.command()
@click.argument("input_path", metavar="INPUT", required=False, type=click.Path(path_type=Path))
@click.option("--template", default=None, help="Note layout (default: soap).")
@click.option("--format", "fmt", type=click.Choice(NOTE_FORMATS), default="txt", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="Write here instead of stdout.")
@click.option("--evidence", is_flag=True, help="Show the transcript segment ids after each statement.")
@click.option("--instructions", is_flag=True, help="Also print the patient's after-visit instructions after the note.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.option("--save", is_flag=True,
              help="Keep audio, transcript and draft as a new encounter in the encrypted store.")
@click.option("--patient", "patient_label", default=None, help="Patient label for --save (default: the input's name).")
@click.option("--dob", "birth_date", default=None, help=f"For --save: {BIRTH_DATE_HELP}")
@click.option("--mrn", default=None, help=f"For --save: {MRN_HELP}")
@click.option("--route", type=click.Choice([r.value for r in Route]), default=None,
              help="auto: hard visits go to the on-prem model if the site allows; local; onprem (default: policy).")
def draft(
    input_path: Path | None, template: str | None, fmt: str, out: Path | None,
    evidence: bool, instructions: bool, quiet: bool, save: bool, patient_label: str | None, birth_date: str | None,
    mrn: str | None, route: str | None,
) -> None:
    """Draft a note from INPUT: audio, a [doctor]/[patient] tagged .txt, or a transcript .json.

    With no INPUT, drafts the bundled sample consultation.
    """
    details = patient_details(birth_date, mrn)  # a mistyped date of birth is said before minutes of drafting
    progress = stderr_progress(enabled=not quiet)
    path = input_path or assets_dir() / DEFAULT_SAMPLE
    cfg = cli_settings()
    transcript = transcript_from_input(path, cfg=cfg, on_progress=progress)
    chosen = Route(route) if route else cfg.route
    with contextlib.ExitStack() as stack:
        session = None
        # An escalation is audited, so it needs the store; and where an admin set routing in the store, only a
        # login reads what they decided (the session's settings carry the store's safety settings).
        if save or (chosen != Route.local and (why_not_allowed(cfg) is None or routing_set_by_admin(cfg.home))):
            session = stack.enter_context(cli_session())
            cfg = session.settings
        # With --save the escalation is audited after the save, so the log names the new encounter.
        note, decision = draft_routed(transcript, cfg=cfg, route=chosen, template=template,
                                      on_progress=progress, session=session, defer_audit=save)
        text = render_note(note, fmt, show_evidence=evidence)
        if instructions and fmt != "json":
            text += "\n" + render_note(note, f"instructions.{fmt}", show_evidence=evidence)
        write_output(text, out)  # the note first: a save that fails (a full disk) must not lose it
        if save and session is not None:  # --save opened the session above
            _save(session, note, transcript, path, patient_label, details, decision, out)
    if not quiet:
        click.echo(
            f"Drafted from the {note.model} in {decision.local_seconds + decision.onprem_seconds:.1f} s; "
            f"{note.unsupported_count()} statement(s) flagged for checking.",
            err=True,
        )
        for warning in note.warnings:
            click.echo(f"Note: {warning}", err=True)
    if decision.message and (quiet or decision.message not in note.warnings):
        click.echo(decision.message, err=True)  # the router's one sentence, even with --quiet


def _save(session: Session, note: Note, transcript: Transcript, path: Path, patient_label: str | None,
          details: PatientDetails, decision: RouteDecision, out: Path | None) -> None:
    """Keep the drafted encounter in the store; a failure says where the note already is."""
    try:
        encounter_id = save_visit(session, patient_label=patient_label or path.stem, transcript=transcript,
                                  note=note, decision=decision, audio_path=path if is_audio(path) else None,
                                  birth_date=details.birth_date, mrn=details.mrn)
    except StoreError as exc:
        kept = f"in {out}" if out is not None else "printed above"
        raise StoreError(f"{str(exc).rstrip('.')}; the drafted note itself is kept {kept}.") from exc
    click.echo(f"Saved as encounter {encounter_id}.", err=True)


COMMANDS = [draft]
