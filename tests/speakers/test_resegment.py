"""Voices that sound alike: the resegmentation pass, and what the words say when the sound cannot decide."""

from __future__ import annotations

import numpy as np

from ambientnote.speakers import label_speakers
from ambientnote.speakers.features import EMBEDDING_SIZE, N_CEPSTRA
from ambientnote.speakers.resegment import resegment
from ambientnote.transcript import Role, Segment

_CLINICIAN = ["any chest pain or shortness of breath?", "how long have you had the swelling?",
              "we will get an x ray of the knee.", "let's start omeprazole 20 mg daily.",
              "any fever or chills?", "follow up in four weeks."]
_PATIENT = ["my knee hurts when i walk.", "about a week, i take ibuprofen for it.", "no, i feel fine otherwise.",
            "it is worse at night when i lie down.", "my wife says i snore.", "okay, thank you."]


def _print(rng: np.random.Generator, centre: np.ndarray, spread: float = 1.0, pitch: float = 4.8) -> np.ndarray:
    """A voice print: cepstral means near ``centre`` (noisy, as a short sentence's are), spreads, pitch."""
    out = np.empty(EMBEDDING_SIZE)
    out[:N_CEPSTRA] = centre + rng.normal(0, 0.6, N_CEPSTRA)
    out[N_CEPSTRA:2 * N_CEPSTRA] = spread + rng.normal(0, 0.05, N_CEPSTRA)
    out[-2:] = [pitch + rng.normal(0, 0.02), 0.6]
    return out


def _turns(texts: list[str]) -> list[Segment]:
    return [Segment(id="", start=2.0 * n, end=2.0 * n + 1.5, text=t) for n, t in enumerate(texts)]


def test_resegment_moves_an_utterance_to_the_voice_it_sounds_like() -> None:
    rng = np.random.default_rng(3)
    a, b = np.zeros(N_CEPSTRA), np.full(N_CEPSTRA, 1.0)
    prints = np.array([_print(rng, a) for _ in range(6)] + [_print(rng, b) for _ in range(6)])
    wrong = np.array([0] * 5 + [1] + [1] * 6)  # the summary clustering put one of voice A's sentences with B
    assert resegment(prints, np.full(12, 1.5), wrong).tolist() == [0] * 6 + [1] * 6


def test_two_alike_voices_in_a_consultation_are_still_two_people() -> None:
    """Two men a few semitones apart: the prints barely separate, but one asks and orders and the other tells
    of his knee, so the turns keep their roles instead of all going to one speaker."""
    rng = np.random.default_rng(7)
    a, b = np.zeros(N_CEPSTRA), np.full(N_CEPSTRA, 1.0)  # of one pitch, a little apart in timbre
    texts, prints = [], []
    for clinician, patient in zip(_CLINICIAN, _PATIENT, strict=True):
        texts += [clinician, patient]
        prints += [_print(rng, a), _print(rng, b)]
    labelled = label_speakers(_turns(texts), np.array(prints))
    assert [s.role for s in labelled] == [Role.clinician, Role.patient] * 6


def test_one_voice_dictating_stays_one_speaker() -> None:
    rng = np.random.default_rng(7)
    centre = np.zeros(N_CEPSTRA)
    texts = _CLINICIAN * 2
    prints = [_print(rng, centre) for _ in texts]
    labelled = label_speakers(_turns(texts), np.array(prints))
    assert {s.speaker for s in labelled} == {"S1"}
    assert {s.role for s in labelled} == {Role.clinician}


def test_a_pitch_outlier_does_not_make_a_voice_of_its_own() -> None:
    """Two of the clinician's sentences heard with a pitch far off (an octave error in noise): the clustering
    splits on pitch, but the voices' timbre decides who said what."""
    rng = np.random.default_rng(0)
    a, b = np.zeros(N_CEPSTRA), np.full(N_CEPSTRA, 1.0)
    texts, prints = [], []
    for n, (clinician, patient) in enumerate(zip(_CLINICIAN, _PATIENT, strict=True)):
        texts += [clinician, patient]
        prints += [_print(rng, a, pitch=5.5 if n in (1, 4) else 4.8), _print(rng, b)]
    labelled = label_speakers(_turns(texts), np.array(prints))
    assert [s.role for s in labelled] == [Role.clinician, Role.patient] * 6
