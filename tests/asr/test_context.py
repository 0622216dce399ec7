"""The text said before a window can follow the vocabulary in its prompt, as stock Whisper conditions on its last
pass (``DecodePolicy.previous_text``, off by default)."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np

from ambientnote.asr.batch import CONTEXT_CHARS, previous_context, recognise_window
from ambientnote.asr.engine import DEFAULT_POLICY, LoadedModel
from ambientnote.asr.windows import Window
from ambientnote.capture import SAMPLE_RATE
from ambientnote.config import load_settings
from ambientnote.transcript import Segment

PROMPT = "Medical consultation. lasix."
CONTEXT = "Hi, Ms. Brooks. I'm Dr. Baker."


class _Whisper:
    """Stands in for faster-whisper: says ``text`` and records the prompt and hotwords it was given."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls: list[tuple[str | None, str | None]] = []

    def transcribe(self, audio: np.ndarray, initial_prompt: str | None = None, hotwords: str | None = None,
                   **_: object) -> tuple[list, object]:
        self.calls.append((initial_prompt, hotwords))
        words = [SimpleNamespace(start=0.5 * n, end=0.5 * n + 0.4, word=f" {w}", probability=0.9)
                 for n, w in enumerate(self.text.split())]
        segment = SimpleNamespace(text=self.text, start=0.0, end=words[-1].end, words=words, avg_logprob=-0.3)
        return [segment], SimpleNamespace(language="en")


def _calls(text: str, seconds: float = 3.0, **policy: object) -> list[tuple[str | None, str | None]]:
    whisper = _Whisper(text)
    loaded = LoadedModel(name="base", whisper=whisper, english_only=False)
    audio = np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)
    recognise_window(loaded, audio, Window(0, audio.size), vocab=PROMPT, language="en", context=CONTEXT,
                     policy=replace(DEFAULT_POLICY, **policy), cfg=load_settings())
    return whisper.calls


def test_the_previous_text_follows_the_vocabulary_in_the_prompt() -> None:
    assert _calls("How are you today, Ms. Brooks?") == [(f"{PROMPT} {CONTEXT}", None)]


def test_the_vocabulary_can_follow_the_previous_text_instead() -> None:
    assert _calls("How are you today, Ms. Brooks?", vocabulary_last=True) == [(f"{CONTEXT} {PROMPT}", None)]


def test_a_window_read_again_without_the_vocabulary_keeps_its_context() -> None:
    assert _calls("Hi.", seconds=20.0) == [(f"{PROMPT} {CONTEXT}", None), (CONTEXT, None)]


def test_as_hotwords_the_vocabulary_leaves_the_prompt_to_the_context() -> None:
    assert _calls("How are you today, Ms. Brooks?", hotwords=True) == [(CONTEXT, PROMPT)]


def test_the_context_is_the_end_of_what_was_said_in_whole_words() -> None:
    said = [Segment(id="", start=n, end=n + 1, text=f"Sentence number {n} of the visit so far.") for n in range(40)]
    context = previous_context(said)
    assert len(context) <= CONTEXT_CHARS
    joined = " ".join(s.text for s in said)
    assert joined.endswith(context) and joined[-len(context) - 1] == " "  # the end, cut between words
    assert previous_context([]) == ""
