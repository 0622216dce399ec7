"""Doubtful words reach the note: a statement that states a word Whisper was unsure of is flagged, quoted as heard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ambientnote.notes.confidence import CRITICAL_BELOW, DRUG_BELOW, WORD_BELOW, flag_doubtful_words
from ambientnote.notes.draft import draft_note
from ambientnote.paths import assets_dir
from ambientnote.transcript import Transcript, Word
from ambientnote.transcript.formats import load_transcript

CLEAR = 0.95


def heard(text_path: Path, *, changes: dict[str, str] | None = None,
          doubtful: dict[str, dict[str, float]] | None = None) -> Transcript:
    """The reference transcript as Whisper would give it: every word with a probability (``CLEAR`` unless
    ``doubtful[segment][word]`` says otherwise), a segment's words replaced first by ``changes[segment]``."""
    transcript = load_transcript(text_path)
    for n, segment in enumerate(transcript.segments):
        if changes and segment.id in changes:
            segment.text = changes[segment.id]
        low = (doubtful or {}).get(segment.id, {})
        segment.start, segment.end = float(n * 5), float(n * 5 + 4)
        segment.words = [Word(start=segment.start + i * 0.3, end=segment.start + i * 0.3 + 0.25, word=f" {w}",
                              probability=low.get(re.sub(r"[^\w]", "", w.lower()), CLEAR))
                         for i, w in enumerate(segment.text.split())]
    return transcript


@pytest.fixture
def knee() -> Path:
    return assets_dir() / "samples" / "consult4_knee.txt"


def statement(note, pattern: str):  # noqa: ANN001, ANN201
    found = [st for _, _, st in note.statements() if re.search(pattern, st.text, re.I)]
    assert found, f"no statement matches {pattern!r}: {[st.text for _, _, st in note.statements()]}"
    return found[0]


def test_a_misheard_dose_heard_with_low_confidence_is_flagged_with_the_words_heard(knee: Path) -> None:
    """Telephone audio: 'ibuprofen 400 milligrams' heard as '100 milligrams', the 100 at 0.3."""
    transcript = heard(knee, changes={"s6": "ibuprofen 100 milligrams three times a day, but it hurts my stomach."},
                       doubtful={"s6": {"100": 0.3}})
    note, _ = draft_note(transcript)
    dose = statement(note, r"ibuprofen 100 mg")
    assert "heard with low confidence: '100 milligrams'" in dose.flags
    assert not dose.supported  # the clinician must acknowledge it before signing


def test_a_clearly_heard_note_carries_no_confidence_flag(knee: Path) -> None:
    note, _ = draft_note(heard(knee))
    assert [st.flags for _, _, st in note.statements() if st.flags] == []


def test_a_dose_said_in_words_is_matched_to_the_digits_of_the_note(knee: Path) -> None:
    transcript = heard(knee, changes={"s7": "then let us add omeprazole twenty milligrams in the morning."},
                       doubtful={"s7": {"twenty": 0.2}})
    note, _ = draft_note(transcript)
    assert "heard with low confidence: 'twenty milligrams'" in statement(note, r"omeprazole 20 mg").flags


def test_only_the_statement_that_uses_the_doubtful_word_is_flagged(knee: Path) -> None:
    """'stomach' heard at 0.01 in the ibuprofen turn: the dose statement does not state it, so it stays clean."""
    note, _ = draft_note(heard(knee, doubtful={"s2": {"right": 0.2}, "s6": {"stomach": 0.01}}))
    flagged = {st.text: st.flags for _, _, st in note.statements() if st.flags}
    assert flagged and all(flags == ["heard with low confidence: 'right'"] for flags in flagged.values())
    assert all("right" in text.lower() for text in flagged)
    assert not statement(note, r"ibuprofen").flags


def test_a_side_is_held_to_the_strict_threshold_and_other_words_to_the_lenient_one(knee: Path) -> None:
    between = (WORD_BELOW + CRITICAL_BELOW) / 2  # doubtful for a side, good enough for 'swollen'
    note, _ = draft_note(heard(knee, doubtful={"s2": {"right": between, "swollen": between}}))
    flags = statement(note, r"painful and swollen").flags
    assert flags == ["heard with low confidence: 'right'"]


def test_a_word_heard_clearly_once_is_not_doubted_for_an_invented_repeat(knee: Path) -> None:
    """Whisper's invented tail ('… three times a day. Ibuprofen 400.' at 0.02) does not doubt the real dose."""
    transcript = heard(knee, changes={"s6": "ibuprofen 400 milligrams three times a day, but it hurts my stomach. "
                                            "ibuprofen 400."})
    words = transcript.segments[5].words
    for w in words[-2:]:
        w.probability = 0.02
    note, _ = draft_note(transcript)
    assert statement(note, r"ibuprofen 400 mg").flags == []


def test_a_known_drug_name_is_doubted_only_far_below_the_dose_threshold(knee: Path) -> None:
    """Whisper gives the vocabulary's drug names low probabilities even when right (lisinopril 0.03-0.2)."""
    note, _ = draft_note(heard(knee, doubtful={"s7": {"omeprazole": (DRUG_BELOW + CRITICAL_BELOW) / 2}}))
    assert statement(note, r"omeprazole").flags == []
    note, _ = draft_note(heard(knee, doubtful={"s7": {"omeprazole": DRUG_BELOW / 2}}))
    assert "heard with low confidence: 'omeprazole'" in statement(note, r"omeprazole").flags


def test_a_drug_near_miss_is_offered_on_the_statements_citing_it_never_replaced(knee: Path) -> None:
    transcript = heard(knee, changes={"s6": "I'm uprofen for 100 milligrams three times a day, but it hurts my stomach."})
    note, _ = draft_note(transcript)
    offer = "heard 'I'm uprofen'; did they say 'ibuprofen'?"
    cited = [st for _, _, st in note.statements() if "s6" in st.evidence]
    offered = [st for _, _, st in note.statements() if offer in st.flags] + \
        [w for w in note.warnings if offer in w]
    assert offered, "the near-miss is offered somewhere the clinician reads"
    assert all(offer in st.flags for st in cited)
    assert "uprofen" in transcript.segments[5].text and not any("ibuprofen" in st.text.lower()
                                                               for _, _, st in note.statements())
    before = (list(note.warnings), [list(st.flags) for _, _, st in note.statements()])
    flag_doubtful_words(note, transcript)  # a redraft's second pass adds nothing twice
    assert (note.warnings, [st.flags for _, _, st in note.statements()]) == before


def test_a_near_miss_in_a_long_turn_is_asked_about_once_not_on_every_statement_the_turn_supports(knee: Path) -> None:
    transcript = heard(knee, changes={"s6": "I have been taking I'm uprofen 400 milligrams three times a day, but it "
                                            "hurts my stomach. My knee has been swelling for two weeks."})
    note, _ = draft_note(transcript)
    offer = "heard 'I'm uprofen'; did they say 'ibuprofen'?"
    swelling = statement(note, r"swelling for 2 weeks")
    assert "s6" in swelling.evidence and offer not in swelling.flags  # nothing said near the near-miss
    assert [w for w in note.warnings if offer in w] == [
        f"The transcript may name a drug the note leaves out (s6): {offer}"]


def test_a_typed_transcript_without_word_probabilities_gets_no_confidence_flags(knee: Path) -> None:
    note, _ = draft_note(load_transcript(knee))
    assert note.unsupported_count() == 0


def test_play_from_a_flagged_statement_starts_just_before_the_doubtful_words(knee: Path) -> None:
    from ambientnote.notes.confidence import doubt_start

    transcript = heard(knee, doubtful={"s6": {"400": 0.2}})
    note, _ = draft_note(transcript)
    dose = statement(note, r"ibuprofen 400 mg")
    evidence = [s for s in transcript.segments if s.id in dose.evidence]
    word = next(w for s in evidence for w in s.words if w.word.strip() == "400")
    assert doubt_start(dose.flags, evidence) == pytest.approx(max(evidence[0].start, word.start - 1.0))
    assert doubt_start([], evidence) is None


def test_a_dose_written_as_one_word_is_quoted_once(knee: Path) -> None:
    transcript = heard(knee, changes={"s7": "then let us add omeprazole 20mg in the morning."},
                       doubtful={"s7": {"20mg": 0.2}})
    note, _ = draft_note(transcript)
    assert "heard with low confidence: '20mg'" in statement(note, r"omeprazole 20 mg").flags
