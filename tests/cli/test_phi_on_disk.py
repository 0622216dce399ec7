"""The whole path a clinician takes (audio → transcript → draft → saved encounter) leaves no readable PHI on disk."""

from __future__ import annotations

import tempfile

import pytest
from click.testing import CliRunner

from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.store.encounters import list_encounters, show_encounter
from ambientnote.store.session import login

pytestmark = pytest.mark.model  # transcribes the sample with tiny.en

CLINICIAN = {"AMBIENTNOTE_USER": "dr_a", "AMBIENTNOTE_PASSWORD": "a-long-pass-123"}


def test_draft_save_from_audio_leaves_no_plaintext_phi(home, tmp_path, monkeypatch, sample_audio):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    audio = next(p for p in sample_audio if "hypertension" in p.name)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "init"], env=CLINICIAN).exit_code == 0
    result = runner.invoke(main, ["draft", str(audio), "--save", "--patient", "Mister Hayes Testpatient", "--quiet"],
                           env=CLINICIAN)
    assert result.exit_code == 0, result.output

    with login("dr_a", CLINICIAN["AMBIENTNOTE_PASSWORD"], cfg=load_settings()) as session:
        (summary,) = list_encounters(session)
        detail = show_encounter(session, summary.id)
    # What the visit actually said, as transcribed and drafted: the longest turns and the patient's label.
    turns = sorted((s.text.strip() for s in detail.transcript.segments), key=len, reverse=True)[:5]
    phrases = [t for t in turns if len(t) > 30] + ["Mister Hayes Testpatient"]
    fragments = [p.encode(enc) for p in phrases for enc in ("utf-8", "utf-16-le")]
    assert len(phrases) >= 3

    scanned = [p for p in [*home.rglob("*"), *scratch.rglob("*")] if p.is_file()]
    assert any(p.name.startswith("store.db") for p in scanned)
    leaks = [(p.name, f[:20]) for p in scanned for f in fragments if f in p.read_bytes()]
    assert leaks == []
