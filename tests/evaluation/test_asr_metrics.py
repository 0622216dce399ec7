"""Scoring recognised text: numbers as digits, invented sentences, inserted words, number recall."""

from __future__ import annotations

from ambientnote.asr.batch import drop_doubtful
from ambientnote.evaluation.asr_metrics import invented_sentences, normalise, number_recall, word_error_rate
from ambientnote.transcript import Segment, Transcript, Word


def test_spelled_numbers_and_units_read_like_whisper_writes_them() -> None:
    assert normalise("Ibuprofen four hundred mg, twenty-five tablets") == ["ibuprofen", "400", "milligrams", "25", "tablets"]
    assert word_error_rate("take 0.5 milligram", "Take zero point five mg.") > 0  # "zero point five" is not 0.5 here
    assert word_error_rate("see you in four weeks", "See you in 4 weeks.") == 0.0


def test_number_recall_counts_doses_that_survive() -> None:
    assert number_recall("ibuprofen 400 milligrams, omeprazole 20 milligrams", "I'm uprofen for 100 milligrams, 20 ml") == (1, 2)


def test_a_closing_sentence_nobody_said_is_invented_and_a_misheard_one_is_not() -> None:
    reference = "see you in four weeks . i'm doctor baker . thank you doctor ."
    hypothesis = Transcript(segments=[
        Segment(id="s1", text="See you in 4 weeks. I'm. Maker."),
        Segment(id="s2", text="Thank you, Doctor. See you next Tuesday, Bob."),
        Segment(id="s3", text="Okay, we will get an X-ray."),
    ])
    invented, inserted, ref_words = invented_sentences(reference, hypothesis)
    assert invented == ["See you next Tuesday, Bob.", "Okay, we will get an X-ray."]
    assert ref_words == 11 and inserted >= 6


def _utterance(probabilities: list[float], seconds_per_word: float = 0.4) -> Segment:
    words = [Word(start=i * seconds_per_word, end=(i + 1) * seconds_per_word, word=f"w{i}", probability=p)
             for i, p in enumerate(probabilities)]
    return Segment(id="", text=" ".join(w.word for w in words), words=words)


def test_a_sentence_whisper_doubted_or_squeezed_is_dropped() -> None:
    doubted, heard = _utterance([0.01, 0.1, 0.2]), _utterance([0.05, 0.9])
    squeezed = _utterance([0.9] * 12, seconds_per_word=0.04)  # 12 words in half a second
    short_reply = _utterance([0.9, 0.8], seconds_per_word=0.3)  # "thank you", as said
    assert drop_doubtful([heard, doubted, squeezed, short_reply], 0.2, 8.0) == [heard, short_reply]
    assert drop_doubtful([heard, doubted, squeezed], None, None) == [heard, doubted, squeezed]


def test_a_misheard_reply_is_not_invented_even_where_the_alignment_could_shift() -> None:
    reference = ("hi ms brooks i'm doctor baker how are you . hi doctor baker . is your right finger hurting . "
                 "i know the nurse told you about dax . mm-hmm . i'd like to tell dax about you .")
    hypothesis = Transcript(segments=[
        Segment(id="s1", text="Hi, MSrux.im.tomeca.her."),
        Segment(id="s2", text="Hi, Dr.Maker."),  # the patient's greeting, misheard
        Segment(id="s3", text="As you are, right friend of her. I know the nurse told you about Max."),
        Segment(id="s4", text="M-M-Them."),  # the patient's "mm-hmm"
        Segment(id="s5", text="I'd like to tell Max about you. Thank you very much."),  # nobody said the thanks
    ])
    invented, _, _ = invented_sentences(reference, hypothesis)
    assert invented == ["Thank you very much."]
    assert word_error_rate("hi doctor baker", "hi doctor maker") == 1 / 3


def test_a_title_or_an_initial_does_not_end_a_recognised_sentence() -> None:
    reference = "okay hey dragon . so tell me what happened ."
    said = ["Okay,", "Dr.", "K.", "Blagen.", "So", "tell", "me", "what", "happened."]
    words = [Word(start=i * 0.4, end=(i + 1) * 0.4, word=w, probability=0.9) for i, w in enumerate(said)]
    hypothesis = Transcript(segments=[Segment(id="s1", text=" ".join(said), words=words)])
    invented, _, _ = invented_sentences(reference, hypothesis)
    assert invented == []
