"""A window the vocabulary prompt derails can be read again without it, keeping Whisper's more confident reading."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np

from ambientnote.asr.batch import recognise_window
from ambientnote.asr.engine import DEFAULT_POLICY, LoadedModel
from ambientnote.asr.windows import Window
from ambientnote.capture import SAMPLE_RATE
from ambientnote.config import load_settings

PROMPT = "Medical consultation. lasix."
SAID = "So you are on Lasix and some other medications."
DERAILED = "Lieber usa Neo-Tur havia teature macrolin."  # what base read on a telephone line with the prompt


class _Whisper:
    """Stands in for faster-whisper: reads ``prompted`` with a prompt, ``plain`` without, as (text, probability)."""

    def __init__(self, prompted: tuple[str, float], plain: tuple[str, float]) -> None:
        self.readings = {True: prompted, False: plain}
        self.prompts: list[str | None] = []

    def transcribe(self, audio: np.ndarray, initial_prompt: str | None = None, **_: object) -> tuple[list, object]:
        self.prompts.append(initial_prompt)
        text, probability = self.readings[bool(initial_prompt)]
        words = [SimpleNamespace(start=0.5 * n, end=0.5 * n + 0.4, word=f" {w}", probability=probability)
                 for n, w in enumerate(text.split())]
        segment = SimpleNamespace(text=text, start=0.0, end=words[-1].end, words=words, avg_logprob=-0.3)
        return [segment], SimpleNamespace(language="en")


def _read(prompted: tuple[str, float], plain: tuple[str, float] = (SAID, 0.8),
          retry_below: float | None = 0.6) -> tuple[str, list[str | None]]:
    whisper = _Whisper(prompted, plain)
    loaded = LoadedModel(name="base", whisper=whisper, english_only=False)
    audio = np.zeros(5 * SAMPLE_RATE, dtype=np.float32)
    pieces, _ = recognise_window(loaded, audio, Window(0, audio.size), vocab=PROMPT, language="en",
                                 policy=replace(DEFAULT_POLICY, retry_below=retry_below), cfg=load_settings())
    return " ".join(p.text for p in pieces), whisper.prompts


def test_a_doubted_reading_with_the_prompt_gives_way_to_a_more_confident_one_without() -> None:
    text, prompts = _read((DERAILED, 0.35))
    assert text == SAID and prompts == [PROMPT, None]


def test_a_confident_reading_with_the_prompt_is_kept_and_read_once() -> None:
    text, prompts = _read((SAID, 0.9))
    assert text == SAID and prompts == [PROMPT]


def test_a_doubted_reading_no_worse_than_the_plain_one_keeps_the_drug_name() -> None:
    text, prompts = _read((SAID, 0.5), plain=("So you are on the six and some other medications.", 0.45))
    assert text == SAID and prompts == [PROMPT, None]


def test_by_default_only_a_window_left_nearly_empty_is_read_again() -> None:
    assert _read((DERAILED, 0.35), retry_below=DEFAULT_POLICY.retry_below) == (DERAILED, [PROMPT])
    assert _read(("Yes.", 0.9), retry_below=DEFAULT_POLICY.retry_below) == (SAID, [PROMPT, None])  # 1 word in 5 s
