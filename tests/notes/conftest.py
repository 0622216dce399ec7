"""Drafting fixtures: the sample consultation's reference transcript."""

from __future__ import annotations

from pathlib import Path

import pytest

from ambientnote.transcript import Transcript
from ambientnote.transcript.formats import load_transcript


@pytest.fixture(scope="session")
def hypertension_transcript(sample_audio: list[Path]) -> Transcript:
    """The reference transcript of the hypertension sample consultation (shipped beside its audio)."""
    path = next(p for p in sample_audio if "hypertension" in p.name).with_suffix(".txt")
    return load_transcript(path)
