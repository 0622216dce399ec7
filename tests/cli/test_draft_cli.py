"""``ambientnote draft`` and ``models`` as a clinician or a script meets them: one sentence on bad input."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.models import load_manifest
from ambientnote.models.resolve import resolve_model

ADMIN = {"AMBIENTNOTE_USER": "dr_a", "AMBIENTNOTE_PASSWORD": "a-long-pass-123"}


def run(args, env=None, ok=True):
    result = CliRunner().invoke(main, args, env=env or {})
    assert "Traceback" not in result.output
    if ok:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0
        lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(lines) == 1, result.output
    return result


def _wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


def test_draft_from_tagged_transcript_writes_a_sectioned_note(sample_audio, tmp_path):
    transcript = next(p for p in sample_audio if "knee" in p.name).with_suffix(".txt")
    out = tmp_path / "note.md"
    run(["draft", str(transcript), "--format", "md", "--out", str(out), "--quiet"])
    text = out.read_text()
    assert "## Subjective" in text and "## Assessment and Plan" in text and "ibuprofen" in text.lower()


@pytest.mark.model  # transcribes with tiny.en
def test_draft_from_audio_transcribes_then_drafts(short_sample, tmp_path):
    out = tmp_path / "note.json"
    run(["draft", str(short_sample), "--format", "json", "--out", str(out), "--quiet"])
    assert '"evidence"' in out.read_text()


def test_missing_file_is_one_sentence(tmp_path):
    result = run(["draft", str(tmp_path / "nope.wav")], ok=False)
    assert "does not exist" in result.output and result.exit_code == 2


def test_file_that_is_not_audio_is_one_sentence(tmp_path):
    fake = tmp_path / "visit.wav"
    fake.write_bytes(b"this is not audio at all" * 100)
    result = run(["draft", str(fake)], ok=False)
    assert result.exit_code == 2


@pytest.mark.model  # loads tiny.en before it finds no speech
def test_silent_audio_says_there_is_no_speech_and_writes_no_note(tmp_path):
    silent = _wav(tmp_path / "silent.wav", np.zeros(16000 * 5))
    out = tmp_path / "note.txt"
    result = run(["draft", str(silent), "--out", str(out)], ok=False)
    assert "speech" in result.output.lower()
    assert not out.exists()


def test_empty_transcript_is_one_sentence(tmp_path):
    empty = tmp_path / "t.txt"
    empty.write_text("\n\n")
    assert "empty" in run(["draft", str(empty)], ok=False).output


def test_model_with_wrong_checksum_is_refused(tmp_path, monkeypatch, write_aci_csv):
    """A site manifest naming a tampered copy of a note model: refused before loading."""
    original = resolve_model("smollm2-135m", "note", cfg=load_settings())
    tampered = tmp_path / original.name
    shutil.copyfile(original, tampered)
    with tampered.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\x00\x01\x02\x03")
    entry = load_manifest()["smollm2-135m"]
    spec = entry.files[0]
    manifest = tmp_path / "site-models.toml"
    manifest.write_text(
        f'[[model]]\nname = "site-note"\nrole = "note"\nformat = "gguf"\npackage = "site"\nlicence = "x"\n'
        f'files = [{{ name = "{spec.name}", size = {spec.size}, sha256 = "{spec.sha256}", parts = ["{tampered}"] }}]\n'
    )
    monkeypatch.setenv("AMBIENTNOTE_MODEL_MANIFEST", str(manifest))
    data = write_aci_csv(tmp_path / "valid.csv", [("T1", "[doctor] any cough?\n[patient] no.", "Denies cough.")])
    result = run(["eval", "--zero-shot", "--model", "site-note", "--data", str(data), "--out", str(tmp_path / "r.json")],
                 ok=False)
    assert "failed its checksum" in result.output and result.exit_code == 3
    assert "FAILED" in run(["models", "verify", "site-note"], ok=False).output


def test_models_list_and_verify():
    listed = run(["models", "list"]).output
    assert "tiny.en" in listed and "smollm2-135m" in listed and "sha" not in listed.lower()
    verified = run(["models", "verify", "tiny.en", "smollm2-135m"]).output
    assert verified.count("ok ") == 2


def test_draft_save_stores_an_encounter_of_the_caller(home, hypertension_txt):
    run(["db", "init"], ADMIN)
    run(["draft", str(hypertension_txt), "--save", "--patient", "Mr Hayes", "--quiet"], ADMIN)
    listed = run(["encounter", "list"], ADMIN).output
    assert "Mr Hayes" in listed


@pytest.fixture
def hypertension_txt(sample_audio) -> Path:
    return next(p for p in sample_audio if "hypertension" in p.name).with_suffix(".txt")
