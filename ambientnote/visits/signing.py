"""Signing a note, and the state a note is in as the clinician reads it ("signed", "amended (signed v3)").

Why a service: a signature is the clinician's attestation that the note is
right, so it must not pass over what the guard could not support. The
password is asked again, statements still flagged must have been
acknowledged, and the attestation and the number of flags acknowledged go
into the audit event. The status words are the same in the encounter list,
the review screen and any other face.
"""

from __future__ import annotations

from ambientnote.errors import InputError
from ambientnote.exports.document import ATTESTATION
from ambientnote.note_status import NoteStatus
from ambientnote.notes.schema import Note
from ambientnote.store.encounters import EncounterSummary, NoteVersion, show_encounter, sign_note
from ambientnote.store.session import Session, confirm_password

__all__ = ["ATTESTATION", "flagged_count", "sign_visit", "status_text", "version_status"]


def flagged_count(body: str) -> int:
    """How many statements of a stored note version the guard still doubts."""
    return Note.model_validate_json(body).unsupported_count()


def sign_visit(session: Session, encounter_id: int, password: str, *, flags_acknowledged: int = 0) -> int:
    """Sign the latest version after the password is confirmed; returns its number.

    ``flags_acknowledged`` is how many guard-flagged statements the clinician confirmed they checked; a
    note with more flags than that is refused (one sentence, nothing signed).
    """
    confirm_password(session, password, "sign")
    flagged = flagged_count(show_encounter(session, encounter_id).latest.body)
    if flagged > flags_acknowledged:
        raise InputError(f"{flagged} statement(s) are still flagged by the guard; check them (F8 goes to the next) "
                         "and confirm you did, then sign. Nothing was signed.")
    return sign_note(session, encounter_id, detail={"attestation": ATTESTATION, "flags_acknowledged": flagged})


def _status_words(status: NoteStatus, signed_version: int | None, signatures: int) -> str:
    if status == NoteStatus.signed:
        return f"amended (signed v{signed_version})" if signatures > 1 else "signed"
    if signed_version:
        return f"amending (signed v{signed_version})"
    return status


def status_text(summary: EncounterSummary) -> str:
    """The encounter's state in words: draft, edited, signed, amended (signed v3), or amending (signed v2)."""
    return _status_words(summary.status, summary.signed_version, summary.signatures)


def version_status(versions: list[NoteVersion]) -> str:
    """``status_text`` for an encounter's version list (the review screen holds versions, not a summary)."""
    signed = [v.version for v in versions if v.status == NoteStatus.signed]
    return _status_words(versions[-1].status, max(signed, default=None), len(signed))
