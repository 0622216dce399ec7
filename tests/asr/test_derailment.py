"""A window the vocabulary prompt derails into words glued by periods is read again without the prompt and the
more confident reading kept (``DecodePolicy.retry_derailed``); titles, initialisms and decimals are not glue."""

from __future__ import annotations

import pytest
from support.whisper_stand_in import read_window

from ambientnote.asr.derailment import derailed, glued_periods
from ambientnote.asr.engine import DEFAULT_POLICY
from ambientnote.transcript import Segment

PROMPT = "Medical consultation. lasix."
# base on the dev set's visit v05 (M4A), the opening window with the vocabulary prompt and without it
GLUED = ("Hi, MSrux.im.tomeca.her. Hi, Dr.Maker. Okay.he, dragon, her, charren, bruxen, a forte, eight year old, "
         "female, here for right friend of in.alright.so, tell me what happened.")
PLAIN = ("Hi, MSRooks. I'm Dr. Baker. How are you? Hi, Dr. Baker. Okay, Dr. K. Blagen. Uh, Sharon Brooks in a "
         "48-year-old female hair for right finger. In. All right, Dr. So tell me what happened.")


@pytest.mark.parametrize(("text", "glued"), [
    ("Hi, MSrux.im.tomeca.her.", 3),
    ("here for right friend of in.alright.so, tell me what happened.", 2),
    ("Hi, mfbroods.com.com.com.com. How are you?", 4),
    ("Hi Logan.How are you?", 1),
    ("Hi, Dr.Maker.", 0),
    ("Okay, Dr.K. Dragon, uh, Mrs.Brooks and Ms.Lee", 0),
    ("Take 2.5 mg of Lasix b.i.d. at 8 a.m., e.g. with food, p.r.n. for pain.", 0),
    ("She moved here from the U.S.A. and has a Ph.D. in chemistry.", 0),
    (PLAIN, 0),
])
def test_glued_periods_count_words_run_together_not_titles_initialisms_or_decimals(text: str, glued: int) -> None:
    assert glued_periods(text) == glued


def _segment(text: str) -> Segment:
    return Segment(id="", start=0.0, end=1.0, text=text, confidence=0.6)


def test_two_glued_periods_in_a_window_mark_it_derailed_one_does_not() -> None:
    assert derailed([_segment("Hi, MSrux.im.tomeca.her.")])
    assert derailed([_segment("Okay.he, dragon."), _segment("Friend of in.alright, tell me.")])
    assert not derailed([_segment("Hi Logan.How are you?"), _segment("Hi, Dr.Maker.")])


def _read(prompted: tuple[str, float], plain: tuple[str, float], **policy: object) -> tuple[str, list[str | None]]:
    return read_window(prompted, plain, PROMPT, **{"retry_derailed": True, **policy})


def test_a_derailed_reading_is_read_again_and_gives_way_to_a_more_confident_plain_one() -> None:
    text, prompts = _read((GLUED, 0.65), (PLAIN, 0.70))  # mean word probabilities base gave on M4A
    assert "Sharon Brooks" in text and "alright.so" not in text and prompts == [PROMPT, None]


def test_a_derailed_reading_more_confident_than_the_plain_one_stays() -> None:
    # reverb: the prompted reading was right but for the glue (0.72), the plain one misheard "finger pain" (0.69)
    glued = "Is your right finger hurting? Okay, Sharon Brooks is here for right finger pain.allright.so tell me."
    plain = "Is your right friend of hurting? Okay, Sharon Rooks is here for right friend of aim. All right, tell me."
    text, prompts = _read((glued, 0.72), (plain, 0.69))
    assert text == glued and prompts == [PROMPT, None]


def test_a_reading_with_a_title_glued_to_a_name_is_kept_and_read_once() -> None:
    said = "Hi, Ms.Brooks. I'm Dr.Baker. How are you? So you are on Lasix and some other medications, right?"
    assert _read((said, 0.8), (PLAIN, 0.9)) == (said, [PROMPT])


def test_without_retry_derailed_the_glued_reading_stays() -> None:
    text, prompts = _read((GLUED, 0.65), (PLAIN, 0.70), retry_derailed=False)
    assert "alright.so" in text and prompts == [PROMPT]


def test_on_by_default_a_glued_reading_is_read_again_without_the_vocabulary() -> None:
    text, prompts = _read((GLUED, 0.65), (PLAIN, 0.70), retry_derailed=DEFAULT_POLICY.retry_derailed)
    assert "alright.so" not in text and len(prompts) == 2 and prompts[0] == PROMPT
