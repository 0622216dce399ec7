"""Drug near-misses: offered when a heard word sounds like a known drug, never for ordinary words."""

from __future__ import annotations

import pytest

from ambientnote.asr.drug_names import near_misses


@pytest.mark.parametrize(("said", "heard", "drug"), [
    ("I'm uprofen for 100 milligrams three times a day", "I'm uprofen", "ibuprofen"),  # 8 kHz, issue 16
    ("we'll start met forming 500 milligrams twice a day", "met forming", "metformin"),  # ordinary words + dose
    ("keep taking the lysinopril every morning", "lysinopril", "lisinopril"),
    ("the amlodopine makes my ankles swell", "amlodopine", "amlodipine"),
    ("so the metcomin twice a day", "metcomin", "metformin"),  # base on the telephone sample
    ("and at ormastatin at night", "at ormastatin", "atorvastatin"),  # base on the clean diabetes sample
])
def test_a_real_near_miss_is_offered_as_a_question(said: str, heard: str, drug: str) -> None:
    misses = near_misses(said)
    assert [(m.heard, m.drug) for m in misses] == [(heard, drug)]
    assert misses[0].offer == f"heard '{heard}'; did they say '{drug}'?"
    assert said[misses[0].start:misses[0].end] == heard


@pytest.mark.parametrize("said", [
    "please leave it on overnight",  # aleve
    "that was an evil week",  # advil
    "I forget it on weekends",
    "good morning, what brings you in today",
    "my blood pressure readings at home have been high",
    "we will check your kidney function and potassium next week",
    "I take ibuprofen and lisinopril",  # the real names
    "likely early diabetic neuropathy",  # a medical term, not a misheard drug
    "met forming a plan with them",  # ordinary words with no dose after them
    "and the omeplancoo.",  # tiny.en in noise, in an asthma visit where no omeprazole was said
    # a clinician's real words, rare in everyday English (ACI-Bench transcripts offered these before)
    "let's check a lipid panel", "good flexion and extension", "there is no fluctuance",
    "shortness of breath on exertion", "we will check your testosterone's level",
    "it looked like strep. so i gave you something",  # no drug is heard across a full stop
    "we did an antibody test",
    "she reports that she started in 2018",  # "statins": a class word is never offered
])
def test_ordinary_speech_and_real_drug_names_are_not_offered(said: str) -> None:
    assert near_misses(said) == []


def test_a_count_that_is_no_dose_does_not_make_ordinary_words_a_drug() -> None:
    from ambientnote.asr.drug_names import near_misses

    assert near_misses("but i need one of your neck to see exactly where the roots are pinched") == []
    assert near_misses("i wan na see you back here in three months or sooner") == []  # heparin
