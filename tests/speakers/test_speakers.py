"""Voices and roles on CPU: clustering the sample's voices, the role lexicon, turn merging."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ambientnote.capture import SAMPLE_RATE, load_audio
from ambientnote.speakers import assign_roles, clinician_score, label_speakers, merge_turns, print_for
from ambientnote.transcript import Role, Segment


def _tone(f0: float, seconds: float = 1.5) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 8)).astype(np.float32) * 0.1


def test_two_voices_are_told_apart_and_roles_follow_the_words() -> None:
    texts = ["any chest pain or shortness of breath?", "no, my knee hurts when i walk.",
             "how long have you had the swelling?", "about a week, and i take ibuprofen for it.",
             "we will get an x ray and start omeprazole.", "okay, thank you."]
    audio = np.concatenate([_tone(110 if n % 2 == 0 else 220) for n in range(len(texts))])
    segs = [Segment(id="", start=1.5 * n, end=1.5 * n + 1.5, text=t) for n, t in enumerate(texts)]
    prints = np.array([print_for(audio, s) for s in segs])
    labelled = label_speakers(segs, prints)
    assert [s.speaker for s in labelled] == ["S1", "S2"] * 3
    assert [s.role for s in labelled] == [Role.clinician, Role.patient] * 3
    turns = merge_turns(labelled)
    assert [t.id for t in turns] == [f"s{n}" for n in range(1, 7)]


def test_consecutive_segments_of_one_voice_merge_into_a_turn() -> None:
    segs = [Segment(id="", start=0, end=1, speaker="S1", text="Hello."), Segment(id="", start=1, end=2, speaker="S1", text="How are you?"),
            Segment(id="", start=2, end=3, speaker="S2", text="Fine.")]
    turns = merge_turns(segs)
    assert [t.text for t in turns] == ["Hello. How are you?", "Fine."]


def test_role_lexicon_separates_clinical_from_patient_phrasing() -> None:
    assert clinician_score("any chest pain or shortness of breath?") > 0
    assert clinician_score("my knee hurts when i walk.") < 0
    roles = assign_roles({"S1": "i have had a headache. my mother has it too.", "S2": "how long? we will start lisinopril."})
    assert roles == {"S1": Role.patient, "S2": Role.clinician}


def test_sample_voices_cluster_into_speakers(sample_audio: list[Path]) -> None:
    from ambientnote.transcript.formats import load_transcript

    path = next(p for p in sample_audio if "guest" in p.name)
    audio = load_audio(path)
    # reference turns have no times: give each a voice print from the VAD chunks in order
    from ambientnote.asr.windows import speech_chunks

    chunks = speech_chunks(audio)
    reference = load_transcript(path.with_suffix(".txt")).segments
    assert len(chunks) == len(reference)
    segs = [Segment(id="", start=c.start / SAMPLE_RATE, end=c.end / SAMPLE_RATE, text=r.text) for c, r in zip(chunks, reference)]
    labelled = label_speakers(segs, np.array([print_for(audio, s) for s in segs]))
    truth = [r.speaker for r in reference]
    mapping = dict(zip([s.speaker for s in labelled], truth))
    assert len(set(mapping.values())) == 3
    assert [mapping[s.speaker] for s in labelled] == truth


def test_an_utterance_is_cut_where_the_vad_heard_a_pause_even_without_a_full_stop() -> None:
    from ambientnote.speakers import split_sentences
    from ambientnote.transcript import Word

    words = [Word(start=0.0, end=0.4, word="Any"), Word(start=0.4, end=0.9, word="pain"),  # the doctor, no "?"
             Word(start=0.9, end=2.1, word="no"),  # Whisper stretched the first word over the pause
             Word(start=2.1, end=2.5, word="not"), Word(start=2.5, end=2.9, word="really.")]
    seg = Segment(id="", start=0.0, end=2.9, text="Any pain no not really.", words=words)
    pieces = split_sentences([seg], pauses=[1.2])
    assert [p.text for p in pieces] == ["Any pain", "no not really."]
    assert (pieces[1].start, pieces[1].end) == (0.9, 2.9)
    assert [p.text for p in split_sentences([seg], pauses=[2.3])] == ["Any pain no", "not really."]
    assert [p.text for p in split_sentences([seg])] == ["Any pain no not really."]
