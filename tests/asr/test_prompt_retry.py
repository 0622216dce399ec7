"""A window the vocabulary prompt derails can be read again without it, keeping Whisper's more confident reading."""

from __future__ import annotations

from support.whisper_stand_in import read_window

from ambientnote.asr.engine import DEFAULT_POLICY

PROMPT = "Medical consultation. lasix."
SAID = "So you are on Lasix and some other medications."
DERAILED = "Lieber usa Neo-Tur havia teature macrolin."  # what base read on a telephone line with the prompt


def _read(prompted: tuple[str, float], plain: tuple[str, float] = (SAID, 0.8),
          retry_below: float | None = 0.6) -> tuple[str, list[str | None]]:
    return read_window(prompted, plain, PROMPT, seconds=5, retry_below=retry_below)


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
