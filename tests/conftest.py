"""Fixtures shared across the suite: the sample consultations and the real small ASR model, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

import ambientnote.offline  # noqa: F401  (no hub access in tests either)


@pytest.fixture(scope="session", autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Model cache and store under a temp folder, never the developer's own."""
    import os

    os.environ.setdefault("AMBIENTNOTE_HOME", str(tmp_path_factory.mktemp("ambientnote-home")))


@pytest.fixture(scope="session")
def sample_audio() -> list[Path]:
    """The shipped sample consultations (FLAC), each with a ``.txt`` tagged reference beside it."""
    from ambientnote.capture.samples import sample_paths

    paths = sample_paths()
    assert paths, "assets/samples/ holds no consultations"
    return paths


@pytest.fixture(scope="session")
def short_sample(sample_audio: list[Path]) -> Path:
    """The shortest sample (~37 s, two voices): what most ASR tests transcribe."""
    return next(p for p in sample_audio if "knee" in p.name)


@pytest.fixture(scope="session")
def asr_model():
    """The default English model (tiny.en), verified and loaded once per test session."""
    from ambientnote.asr import load_asr_model

    return load_asr_model("tiny.en")


@pytest.fixture(scope="session")
def note_model():
    """The real default note model (SmolLM2-135M GGUF from PyPI), verified and loaded once."""
    from ambientnote.notes.llm import load_note_model

    return load_note_model()


@pytest.fixture(scope="session")
def write_aci_csv():
    """Writes invented encounters ``(encounter_id, dialogue, note)`` in ACI-Bench's CSV layout; returns the path."""
    import csv

    def write(path: Path, encounters: list[tuple[str, str, str]]) -> Path:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["dataset", "encounter_id", "dialogue", "note"])
            writer.writerows(["test", *encounter] for encounter in encounters)
        return path

    return write
