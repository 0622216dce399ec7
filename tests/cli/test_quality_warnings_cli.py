"""The audio's quality is said before anyone reads the words: 'transcribe' and 'draft' print it on stderr."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from ambientnote.cli import main
from ambientnote.transcript import Transcript
from ambientnote.transcript.formats import load_transcript


@pytest.fixture
def phone_call(tmp_path: Path, sample_audio: list[Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """An 8 kHz recording; the recogniser replaced by the knee visit's reference transcript (no model load)."""
    reference = load_transcript(next(p for p in sample_audio if "knee" in p.name).with_suffix(".txt"))
    def transcribe_audio(audio: np.ndarray, **_kwargs: object) -> Transcript:
        return reference.model_copy(deep=True)

    monkeypatch.setattr("ambientnote.notes.inputs.transcribe_audio", transcribe_audio)  # where the CLI calls it
    t = np.arange(8000 * 4) / 8000
    path = tmp_path / "call.wav"
    sf.write(path, (0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 3 * t) > 0)).astype(np.float32), 8000)
    return path


def test_transcribe_says_the_recording_is_telephone_quality(phone_call: Path, tmp_path: Path) -> None:
    out = tmp_path / "call.json"
    result = CliRunner().invoke(main, ["transcribe", str(phone_call), "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Note: The recording was made at 8 kHz, below the 16 kHz" in result.output
    assert "8 kHz" in load_transcript(out).warnings[0]  # kept with the transcript, so a later draft says it too


def test_draft_from_a_telephone_recording_says_so_first(phone_call: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["draft", str(phone_call), "--route", "local", "--out", str(tmp_path / "n.txt")])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("Note: ")]
    assert notes and notes[0].startswith("Note: The recording was made at 8 kHz")
