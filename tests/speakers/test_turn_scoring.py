"""Scoring turns: a recognised turn that holds two people's words is counted as merged; roles per turn."""

from __future__ import annotations

from ambientnote.evaluation.asr_metrics import turn_scores
from ambientnote.transcript import Role, Segment, Transcript


def _transcript(turns: list[tuple[Role, str]]) -> Transcript:
    return Transcript(segments=[Segment(id=f"s{n}", speaker="S1" if role is Role.clinician else "S2", role=role, text=text)
                                for n, (role, text) in enumerate(turns, start=1)])


REFERENCE = _transcript([(Role.clinician, "Any chest pain?"), (Role.patient, "No, not really."),
                         (Role.clinician, "We will start lisinopril ten milligrams."), (Role.patient, "Okay.")])


def test_a_turn_holding_both_speakers_words_is_merged() -> None:
    merged = _transcript([(Role.clinician, "Any chest pain? No, not really."),
                          (Role.clinician, "We will start lisinopril 10 mg."), (Role.patient, "Okay.")])
    scores = turn_scores(REFERENCE, merged)
    assert (scores["merged"], scores["turns"]) == (1, 3)
    assert (scores["roles_right"], scores["ref_turns"]) == (3, 4)  # the patient's "no, not really" got the doctor's role


def test_separate_turns_with_a_wrong_role_are_not_merged_but_lose_role_accuracy() -> None:
    swapped = _transcript([(Role.patient, "Any chest pain?"), (Role.clinician, "No, not really."),
                           (Role.clinician, "We will start lisinopril 10 mg."), (Role.patient, "Okay.")])
    scores = turn_scores(REFERENCE, swapped)
    assert scores["merged"] == 0
    assert (scores["roles_right"], scores["ref_turns"]) == (2, 4)
