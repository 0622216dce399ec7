"""The shipped synthetic consultations (``assets/samples/``) and a long one built from them.

Each sample is a FLAC (16 kHz mono, espeak-ng voices) next to its reference
transcript in tagged text of the same name; ``assets/samples/make_samples.py``
rebuilds the audio. Benchmarks need a consultation of realistic length (~10
minutes) that is not worth committing: ``long_consultation`` loops the samples.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ambientnote.capture.audio import SAMPLE_RATE, load_audio
from ambientnote.paths import assets_dir


def samples_dir() -> Path:
    return assets_dir() / "samples"


def sample_paths() -> list[Path]:
    """The sample recordings, sorted by name (consult1_…flac, consult2_…)."""
    return sorted(samples_dir().glob("consult*.flac"))


def reference_path(audio: Path) -> Path:
    """The tagged-text reference transcript of a sample recording."""
    return audio.with_suffix(".txt")


def long_consultation(seconds: float, gap_seconds: float = 1.0) -> np.ndarray:
    """About ``seconds`` of consultation audio: the samples in turn, looped, 1 s of silence between.

    The result is cut to exactly ``seconds`` (16 kHz mono float32).
    """
    parts: list[np.ndarray] = []
    total = 0
    wanted = int(seconds * SAMPLE_RATE)
    gap = np.zeros(int(gap_seconds * SAMPLE_RATE), dtype=np.float32)
    clips = [load_audio(p) for p in sample_paths()]
    if not clips:
        raise FileNotFoundError(f"No sample consultations in {samples_dir()}.")
    while total < wanted:
        for clip in clips:
            parts += [clip, gap]
            total += clip.size + gap.size
            if total >= wanted:
                break
    return np.concatenate(parts)[:wanted]
