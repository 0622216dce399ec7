"""An interrupted recording back from its encrypted spool: decrypted in memory, transcribed, ready to draft.

Why a service: the desktop app offers recovery at the next start, and the
same two steps (open the spool with the store's key, transcribe the audio)
must hold for any face; the spool is deleted only after the visit is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ambientnote.asr import transcribe_audio
from ambientnote.capture.spool import SpoolInfo, discard_spool, interrupted_spools, read_spool
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.store.session import Session
from ambientnote.transcript import Transcript


@dataclass(frozen=True)
class RecoveredVisit:
    """What an interrupted recording gives back: its label (may be empty), audio and transcript."""

    patient_label: str
    audio: np.ndarray
    transcript: Transcript
    spool: SpoolInfo


def interrupted_recordings(session: Session, home: Path) -> list[SpoolInfo]:
    """The caller's recordings on the store in ``home`` that no recorder holds any more (oldest first)."""
    return interrupted_spools(home, session.store.store_id, session.account)


def recover_recording(session: Session, info: SpoolInfo, on_progress: ProgressCallback = no_progress) -> RecoveredVisit:
    """Decrypt ``info``'s audio (never to disk) and transcribe it; the spool stays until the visit is saved.

    Touches no SQL, so a face may run it on any worker thread (transcription is long).
    """
    recovered = read_spool(session.account_key().private, session.store.store_id, info)
    transcript = transcribe_audio(recovered.audio, cfg=session.settings, on_progress=on_progress,
                                  what="the interrupted recording")
    return RecoveredVisit(recovered.patient_label, recovered.audio, transcript, info)


def discard_recording(info: SpoolInfo) -> None:
    """Delete an interrupted recording for good (the clinician confirmed, or its visit is saved)."""
    discard_spool(info)
