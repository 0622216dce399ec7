"""A stand-in for faster-whisper that reads one text with the vocabulary prompt and another without it.

The decode path's retries without the vocabulary (a doubted window, a derailed one) are tested on what base
really read on the development audio, without loading a model: this is the hardware-free edge of the recogniser.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np

from ambientnote.asr.batch import recognise_window
from ambientnote.asr.engine import DEFAULT_POLICY, LoadedModel
from ambientnote.asr.windows import Window
from ambientnote.capture import SAMPLE_RATE
from ambientnote.config import load_settings


class PromptedWhisper:
    """Reads ``prompted`` when given a prompt and ``plain`` without, each as (text, word probability)."""

    def __init__(self, prompted: tuple[str, float], plain: tuple[str, float]) -> None:
        self.readings = {True: prompted, False: plain}
        self.prompts: list[str | None] = []

    def transcribe(self, audio: np.ndarray, initial_prompt: str | None = None, **_: object) -> tuple[list, object]:
        self.prompts.append(initial_prompt)
        text, probability = self.readings[bool(initial_prompt)]
        words = [SimpleNamespace(start=0.3 * n, end=0.3 * n + 0.25, word=f" {w}", probability=probability)
                 for n, w in enumerate(text.split())]
        segment = SimpleNamespace(text=text, start=0.0, end=words[-1].end, words=words, avg_logprob=-0.4)
        return [segment], SimpleNamespace(language="en")


def read_window(prompted: tuple[str, float], plain: tuple[str, float], vocab: str, seconds: int = 20,
                **policy: object) -> tuple[str, list[str | None]]:
    """The text one window of silence-shaped audio is read as through ``recognise_window``, and the prompts
    Whisper was given (``policy``: DecodePolicy fields to change)."""
    whisper = PromptedWhisper(prompted, plain)
    loaded = LoadedModel(name="base", whisper=whisper, english_only=False)
    audio = np.zeros(seconds * SAMPLE_RATE, dtype=np.float32)
    pieces, _ = recognise_window(loaded, audio, Window(0, audio.size), vocab=vocab, language="en",
                                 policy=replace(DEFAULT_POLICY, **policy), cfg=load_settings())
    return " ".join(p.text for p in pieces), whisper.prompts
