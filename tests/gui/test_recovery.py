"""After a recorder process is killed mid-visit, the next start offers the recording and recovers it (≤ 1 s lost)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ambientnote.config import load_settings
from ambientnote.store.accounts import init_store

pytestmark = pytest.mark.timeout(300)
PASSWORD = "clinician-pass-1"
KILL_AFTER_S = 7.0


def record_then_kill(home: Path, audio: Path) -> float:
    """Start a recorder subprocess, SIGKILL it once KILL_AFTER_S of audio was captured; returns seconds fed."""
    child = Path(__file__).with_name("spool_child.py")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.Popen([sys.executable, str(child), "dr_a", PASSWORD, str(audio)], env=env,
                            stdout=subprocess.PIPE, text=True)
    fed = 0.0
    try:
        for line in proc.stdout:
            if line.startswith("fed "):
                fed = float(line.split()[1])
                if fed >= KILL_AFTER_S:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return fed


def test_recover_after_killed_recording(qtbot, make_window, warm_models, home, short_sample, unlock):
    session, _ = init_store("dr_a", PASSWORD, cfg=load_settings())
    session.close()
    fed = record_then_kill(home, short_sample)
    spools = list((home / "spool").iterdir())
    assert len(spools) == 1
    raw = b"".join(p.read_bytes() for p in spools[0].iterdir() if p.is_file())
    assert b"Crash test patient" not in raw  # nothing plaintext on disk

    window = make_window()
    unlock(window, "dr_a", PASSWORD)
    qtbot.waitUntil(lambda: window.encounters.recovery_bar.isVisible(), timeout=20_000)
    assert "interrupted" in window.encounters.recovery_label.text()
    window.encounters.recover_button.click()
    qtbot.waitUntil(lambda: window.review.detail is not None, timeout=150_000)
    detail = window.review.detail
    assert detail.summary.patient_label == "Crash test patient"
    assert fed - 1.0 <= detail.transcript.duration <= fed + 0.5  # at most 1 s lost
    qtbot.waitUntil(lambda: not list((home / "spool").iterdir()), timeout=20_000)
    window.nav_encounters.trigger()
    qtbot.waitUntil(lambda: window.encounters.visible_labels() == ["Crash test patient"], timeout=20_000)
    # the list and the interrupted recordings are looked up one after the other, off the GUI thread
    qtbot.waitUntil(lambda: not window.encounters.recovery_bar.isVisible(), timeout=20_000)
