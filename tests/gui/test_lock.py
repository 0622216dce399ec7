"""Locking the app (Ctrl+L, or idle) in the middle of a visit: the recording is neither lost nor shown to anyone else.

The sample is fed at the pace it was spoken (``make_window(realtime=True)``), as a microphone would: while the
recording runs the clock advances; while paused, nothing is captured. Behind the lock the audio is only in the
encrypted spool that crash recovery reads.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ambientnote.config import load_settings
from ambientnote.store.accounts import add_account, init_store

pytestmark = pytest.mark.timeout(900)
PASSWORD, OTHER_PW = "clinician-pass-1", "clinician-pass-3"
LABEL = "Lock test patient"


@pytest.fixture
def two_clinicians(home: Path) -> Path:
    session, _ = init_store("dr_a", PASSWORD, cfg=load_settings())
    add_account(session, "dr_c", ["clinician"], OTHER_PW)
    session.close()
    return home


def _spooled(home: Path) -> tuple[float, bytes]:
    """Seconds of audio in the one spool on disk, and all its bytes (to look for plaintext)."""
    spools = list((home / "spool").iterdir())
    assert len(spools) == 1
    chunks = list(spools[0].glob("*.chunk"))
    return 0.5 * len(chunks), b"".join(p.read_bytes() for p in spools[0].iterdir() if p.is_file())


def _start(qtbot, window, unlock) -> None:  # noqa: ANN001
    unlock(window, "dr_a", PASSWORD)
    window.encounters.new_button.click()
    window.record.patient.setText(LABEL)
    window.record.record_button.click()
    qtbot.waitUntil(lambda: window.record.recording is not None and window.record.recording.seconds >= 3.0,
                    timeout=60_000)


def test_idle_lock_while_paused_then_resume_after_unlock(qtbot, make_window, warm_models, two_clinicians, unlock,
                                                         wait_while_progressing):
    window = make_window(realtime=True)
    _start(qtbot, window, unlock)
    window.record.pause_button.click()
    rec = window.record.recording
    paused_at = rec.seconds
    window.set_idle_lock(0.5)  # nobody touches the computer
    qtbot.waitUntil(lambda: window.ctx.session is None, timeout=10_000)
    assert window.stack.currentWidget() is window.login and "without use" in window.message.text()
    assert window.record.recording is rec and rec.state == "paused"  # neither stopped nor lost

    time.sleep(1.5)  # locked and paused: nothing is captured, everything captured is on disk, encrypted
    assert rec.seconds == paused_at
    on_disk, raw = _spooled(two_clinicians)
    assert paused_at - 0.5 <= on_disk <= paused_at + 0.5
    assert LABEL.encode() not in raw

    window.set_idle_lock(600)
    unlock(window, "dr_a", PASSWORD)
    assert window.stack.currentWidget() is window.record and window.record.recording is rec
    assert "paused while the app was locked" in window.record.status.text().lower()
    assert window.record.pause_button.text() == "Resume"
    window.record.pause_button.click()
    qtbot.waitUntil(lambda: rec.seconds >= paused_at + 3.0, timeout=30_000)
    window.record.stop_button.click()
    total = rec.seconds

    def progress() -> object:
        return window.record.status.text(), window.draft is None, window.review.detail is None

    wait_while_progressing(lambda: window.review.detail is not None, progress)
    detail = window.review.detail
    assert detail.summary.patient_label == LABEL
    assert detail.transcript.duration >= total - 1.0  # both parts, before and after the lock
    qtbot.waitUntil(lambda: not list((two_clinicians / "spool").iterdir()), timeout=20_000)


def test_lock_while_recording_another_clinician_unlocks_the_owner_recovers(qtbot, make_window, warm_models,
                                                                           two_clinicians, unlock):
    window = make_window(realtime=True)
    _start(qtbot, window, unlock)
    rec = window.record.recording
    window.nav_lock.trigger()  # Ctrl+L while the visit is being recorded
    assert window.ctx.session is None and window.stack.currentWidget() is window.login
    locked_at = rec.seconds
    qtbot.waitUntil(lambda: rec.seconds >= locked_at + 1.0, timeout=10_000)  # the visit goes on being recorded
    assert rec.state == "recording"

    unlock(window, "dr_c", OTHER_PW)  # not theirs: set aside, nothing of it on their screen
    assert window.record.recording is None and window.record.transcript.count() == 0
    assert window.record.patient.text() == "" and window.stack.currentWidget() is window.encounters
    qtbot.waitUntil(lambda: rec.state == "set aside", timeout=20_000)
    set_aside_at = rec.seconds
    on_disk, raw = _spooled(two_clinicians)
    assert set_aside_at - 0.5 <= on_disk <= set_aside_at + 0.5 and LABEL.encode() not in raw
    qtbot.wait(500)
    assert not window.encounters.recovery_bar.isVisible()  # dr_c is not offered dr_a's recording

    window.nav_lock.trigger()
    unlock(window, "dr_a", PASSWORD)
    qtbot.waitUntil(lambda: window.encounters.recovery_bar.isVisible(), timeout=20_000)
    window.encounters.recover_button.click()
    qtbot.waitUntil(lambda: window.review.detail is not None, timeout=300_000)
    detail = window.review.detail
    assert detail.summary.patient_label == LABEL
    assert set_aside_at - 1.0 <= detail.transcript.duration <= set_aside_at + 0.5  # at most a second lost


def _record_then_lock_while_drafting(qtbot, window, unlock) -> None:  # noqa: ANN001
    """Record the whole sample, Stop, and lock while the note is being drafted; the draft ends behind the lock."""
    unlock(window, "dr_a", PASSWORD)
    window.encounters.new_button.click()
    window.record.patient.setText(LABEL)
    window.record.record_button.click()
    qtbot.waitUntil(lambda: window.record.recording.capture is not None
                    and window.record.recording.capture.source.inner.finished.is_set(), timeout=60_000)
    window.record.stop_button.click()
    qtbot.waitUntil(lambda: window.draft is not None, timeout=300_000)
    window.nav_lock.trigger()
    qtbot.waitUntil(lambda: window.held_done is not None, timeout=600_000)  # drafted, not saved: nobody is in
    assert window.stack.currentWidget() is window.login


def _encounters_of(name: str, password: str) -> list[str]:
    from ambientnote.store.encounters import list_encounters
    from ambientnote.store.session import login

    with login(name, password, cfg=load_settings()) as session:
        return [e.patient_label for e in list_encounters(session)]


def test_a_draft_that_ends_behind_the_lock_is_saved_when_its_owner_unlocks(qtbot, make_window, warm_models,
                                                                           two_clinicians, unlock):
    window = make_window()
    _record_then_lock_while_drafting(qtbot, window, unlock)
    assert _encounters_of("dr_a", PASSWORD) == []
    unlock(window, "dr_a", PASSWORD)
    qtbot.waitUntil(lambda: window.review.detail is not None, timeout=30_000)
    assert window.review.detail.summary.patient_label == LABEL
    assert _encounters_of("dr_a", PASSWORD) == [LABEL]
    qtbot.waitUntil(lambda: not list((two_clinicians / "spool").iterdir()), timeout=20_000)


def test_a_draft_that_ends_behind_the_lock_is_never_saved_as_another_clinicians(qtbot, make_window, warm_models,
                                                                                two_clinicians, unlock):
    window = make_window()
    _record_then_lock_while_drafting(qtbot, window, unlock)
    unlock(window, "dr_c", OTHER_PW)
    assert window.stack.currentWidget() is window.encounters and window.pending is None and window.draft is None
    qtbot.wait(1000)
    assert _encounters_of("dr_c", OTHER_PW) == [] and _encounters_of("dr_a", PASSWORD) == []
    assert list((two_clinicians / "spool").iterdir())  # the owner's recording waits, encrypted, for them
    window.nav_lock.trigger()
    unlock(window, "dr_a", PASSWORD)
    qtbot.waitUntil(lambda: window.encounters.recovery_bar.isVisible(), timeout=20_000)
