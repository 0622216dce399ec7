"""A Whisper encoder that reads 15 s instead of 30 s: the live lines recognised in half the time.

faster-whisper pads every clip to Whisper's 30 s window, so recognising a 2 s
live chunk cost a full 30 s encoder pass (0.6 s of the 0.75 s per chunk with
tiny.en on two cores). ``ShortContextWhisper`` cuts that padding so the encoder
reads the clip and padding up to ``context_s`` seconds. Whisper was trained on
30 s windows and a context as short as the clip itself makes it loop and
invent ("Thank you. Thank you."); from 15 s on, measured on the live chunks of
the four samples and two development-set visits (docs/bench/live-lag.md), the
live text is as good as with 30 s and the decode takes half as long. Only the
live pass uses it; the final transcript keeps the full window.
"""

from __future__ import annotations

import ctranslate2
import numpy as np
from faster_whisper import WhisperModel

FRAMES_PER_S = 100  # Whisper's mel frames (10 ms hop)
MARGIN_FRAMES = 100  # padding always kept after the clip's last frame


class ShortContextWhisper(WhisperModel):
    """``WhisperModel`` whose encoder reads at most ``max(context_s, clip + 1 s)`` of each padded window."""

    def __init__(self, model_path: str, *, context_s: float, cpu_threads: int) -> None:
        super().__init__(model_path, device="cpu", compute_type="int8", cpu_threads=cpu_threads,
                         local_files_only=True)
        self.context_frames = int(context_s * FRAMES_PER_S)

    def encode(self, features: np.ndarray) -> ctranslate2.StorageView:
        """Drop the window's zero padding beyond the context (faster-whisper pads features with zeros)."""
        if features.ndim == 2:
            filled = np.flatnonzero(np.any(features != 0, axis=0))
            content = int(filled[-1]) + 1 if filled.size else 0
            frames = min(features.shape[-1], max(self.context_frames, content + MARGIN_FRAMES))
            features = features[:, : frames + frames % 2]  # the encoder halves the frames: keep them even
        return super().encode(features)
