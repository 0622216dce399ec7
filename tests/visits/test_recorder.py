"""A recording set aside (another clinician unlocked the app) stops transcribing at once, background pass too."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ambientnote.capture.microphone import FileSource
from ambientnote.capture.samples import long_consultation
from ambientnote.store.session import Session
from ambientnote.visits.recorder import VisitRecorder

pytestmark = [pytest.mark.model, pytest.mark.timeout(300)]


def _final_pass_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("asr-final") and t.is_alive()}


def _wait(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_recording_set_aside_stops_its_background_transcription(clinician: Session, home: Path) -> None:
    """An imported file arrives faster than the careful (final) pass can keep up, so it has a backlog of
    windows when the recording is set aside: it must drop them, not go on decoding them for nobody."""
    before = _final_pass_threads()
    heard: list[float] = []  # where the live lines have reached, in recording seconds
    finished: list[object] = []
    recorder = VisitRecorder(clinician, home, lambda: FileSource(long_consultation(300)), "Set-aside patient",
                             on_segments=lambda lines: heard.append(lines[-1].end),
                             on_finished=lambda *args: finished.append(args))
    recorder.start()
    assert _wait(lambda: heard and heard[-1] >= 150, 240), "the live lines never reached 150 s"
    assert _final_pass_threads() - before  # the final pass is working through its backlog

    recorder.set_aside()
    assert _wait(lambda: recorder.state == "set aside", 30)
    # Only the window being decoded is finished (a few seconds); the backlog would take far longer.
    assert _wait(lambda: not (_final_pass_threads() - before), 12), "the final pass went on after set aside"
    assert not finished  # nothing is transcribed or reported for a recording set aside
    assert list((home / "spool").iterdir())  # the encrypted spool stays for its owner to recover
