"""Rules that turn conversation into note statements: faithful, third person, traceable."""

from __future__ import annotations

from ambientnote.language.phases import clean_text, segments_by_phase
from ambientnote.notes.rephrase import rephrase
from ambientnote.transcript.formats import parse_tagged_text


def _texts(dialogue: str) -> list[str]:
    transcript = parse_tagged_text(dialogue)
    return [c.text for c in rephrase(transcript.segments)]


def test_patient_first_person_becomes_third_person():
    assert _texts("[patient] i feel tired and my knee hurts .") == ["The patient feels tired and their knee hurts."]


def test_bare_no_to_a_symptom_question_is_a_denial_citing_both_turns():
    transcript = parse_tagged_text("[doctor] any chest pain or shortness of breath ?\n[patient] no .")
    (statement,) = rephrase(transcript.segments)
    assert statement.text == "Denies chest pain or shortness of breath."
    assert statement.evidence == ["s1", "s2"] and statement.kind == "review"


def test_mixed_answer_is_not_turned_into_a_denial():
    texts = _texts("[doctor] any chest pain or swelling in your ankles ?\n[patient] no chest pain . my ankles swell a little .")
    assert not any(t.startswith("Denies") for t in texts)
    assert "Their ankles swell a little." in texts


def test_yes_no_question_becomes_a_statement():
    texts = _texts("[doctor] are you still taking the metformin ?\n[patient] yes , every morning .")
    assert texts[0] == "The patient is still taking the metformin."


def test_fillers_stutters_and_assistant_commands_are_dropped():
    assert clean_text("i , i , um , feel uh tired") == "i, feel tired"
    assert _texts("[doctor] hey dragon , show me the chest x-ray .") == []


def test_exam_and_plan_in_one_turn_are_split():
    dialogue = "\n".join(
        ["[doctor] what brings you in ?", "[patient] my knee hurts ."] * 3
        + ["[doctor] on exam your knee is swollen . i'm going to order an x-ray and start ibuprofen ."]
    )
    groups = segments_by_phase(parse_tagged_text(dialogue))
    assert "swollen" in groups["exam"][-1].text
    assert "ibuprofen" in groups["plan"][-1].text
    assert groups["exam"][-1].id == groups["plan"][-1].id
