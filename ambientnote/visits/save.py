"""Saving a visit: a new encounter from a draft, or a new version of its note; an escalation is audited either way.

Why both steps audit here: a draft the router sent to the on-prem server is a
transfer off the machine, which the audit log must show whatever happens to
the save (a full disk, a cancelled draft). The escalation is recorded after
the save so the event names the new encounter, and in ``finally`` so a failed
save still leaves the transfer on the record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ambientnote.capture.spool import encode_flac
from ambientnote.notes.schema import Note
from ambientnote.router.route import RouteDecision, record_escalation
from ambientnote.store.encounters import edit_note, save_draft
from ambientnote.store.session import Session
from ambientnote.transcript import Transcript


def audit_escalation(session: Session, decision: RouteDecision | None, encounter_id: int | None = None) -> None:
    """Record the on-prem transfer ``decision`` made (nothing when the draft stayed local)."""
    if decision is not None and decision.escalated:
        record_escalation(session, decision, encounter_id)


def save_visit(session: Session, *, patient_label: str, transcript: Transcript, note: Note,
               decision: RouteDecision | None = None, audio: np.ndarray | None = None,
               audio_path: Path | None = None, birth_date: str | None = None, mrn: str | None = None) -> int:
    """Audio, transcript and draft as a new encounter of the caller; returns its id.

    ``audio`` (16 kHz samples in memory, from a recording) is stored as encrypted FLAC and never touches
    disk in plaintext; ``audio_path`` (a file the user named) is copied in as it is. ``birth_date`` and ``mrn``
    are the optional patient details (``ambientnote.store.patient``).
    """
    flac: Any = None
    if audio is not None:
        flac = encode_flac(audio)
    encounter_id = None
    try:
        encounter_id = save_draft(session, patient_label=patient_label, transcript=transcript, note_json=note,
                                  audio_path=audio_path, audio=flac, model=note.model, birth_date=birth_date, mrn=mrn)
        return encounter_id
    finally:
        audit_escalation(session, decision, encounter_id)


def save_revision(session: Session, encounter_id: int, note: Note, decision: RouteDecision | None = None) -> int:
    """The clinician's note (edited, or redrafted) as a new version; returns its number."""
    try:
        return edit_note(session, encounter_id, note)
    finally:
        audit_escalation(session, decision, encounter_id)
