"""The note-style audit: sentences a clinician would sign pass, dialogue and broken sentences do not."""

from __future__ import annotations

import pytest

from ambientnote.language.statement_style import repeated_phrases, statement_faults
from ambientnote.notes.schema import Note, Section, Statement, Subsection
from ambientnote.notes.style import empty_sections, note_faults, text_sections


@pytest.mark.parametrize(
    "signed",
    [
        "She is well.",
        "BP 152/96.",
        "Denies chest pain.",
        "Increase Lasix to 80 mg daily.",
        "Hypertension.",
        "Rales bilateral bases.",
        "Mild tenderness to palpation over the lateral aspect of the right knee.",
        "Mother: melanoma.",
        "• Constitutional: in no apparent distress.",
        "Patient to return in 2 weeks.",
        "No thyromegaly, but there is some cervical lymphadenopathy on the right side.",
        "I advised the patient to monitor and record his daily weight.",
        "The patient and I discussed the risks of surgery.",
        "We will order a repeat echocardiogram.",
        "She will follow up with me in 2 weeks.",
        'He states, "I feel like my heart is racing."',
        "Dr. Lee referred the patient for type I diabetes.",
        "He attributes this to heat and fatigue.",
        "The pH of the urine was 6.",
        "ALT: About 128.",
    ],
)
def test_sentences_in_the_clinical_register_pass(signed):
    assert statement_faults(signed) == []


@pytest.mark.parametrize(
    ("said", "fault"),
    [
        ("Hi Doctor, their blood pressure reading at home has been high.", "greeting_or_filler"),
        ("Okay, the patient takes lisinopril.", "greeting_or_filler"),
        ("Hey Dragon, finalize the note.", "greeting_or_filler"),
        ("Let's talk a little bit about my assessment and my plan for the patient.", "greeting_or_filler"),
        ("Let's talk a little bit about my assessment and my plan for the patient.", "first_person"),
        ("My readings at home were 150 over 95.", "first_person"),
        ("I'm going to increase the lisinopril.", "first_person"),
        ("I feel tired all the time.", "first_person"),
        ("She sees you in four weeks.", "second_person"),
        ("Any chest pain?", "question"),
        ("Do you have any fevers", "question"),
        ("The patient over 95 over 95 over 150 over 95 over 150 over 95", "loop"),
        ("10 milligrams every morning, but sometimes the patient forget it on weekends.", "fragment"),
        ("and she denies fevers.", "fragment"),
        ("Because it hurts.", "fragment"),
        ("She not sure.", "fragment"),
    ],
)
def test_dialogue_and_broken_sentences_are_faults(said, fault):
    assert fault in statement_faults(said)


def test_a_loop_names_the_repeated_phrase():
    assert "over 95 over" in repeated_phrases("The patient over 95 over 95 over 150 over 95 over 150 over 95")
    assert repeated_phrases("Denies fevers, chills, or weight loss.") == []


def _note(**subsections: list[str]) -> Note:
    subs = [Subsection(key=key, title=key.upper(), statements=[Statement(text=t, evidence=["s1"]) for t in texts])
            for key, texts in subsections.items()]
    return Note(template="soap", model="test", sections=[Section(key="note", title="Note", subsections=subs)])


def test_note_faults_count_statements_he_and_she_and_repeats():
    note = _note(
        hpi=["He reports chest pain on exertion.", "Hi, she has been tired.", "He reports chest pain on exertion."],
        exam=["BP 152/96."],
        plan=["Increase Lasix to 80 mg daily.", "His wife will help her with the scale."],
    )
    faults = note_faults(note)
    assert faults["greeting_or_filler"] == 1
    assert faults["mixed_pronouns"] == 1
    assert faults["repeated_sentence"] == 1
    assert faults["first_person"] == faults["fragment"] == 0


def test_a_relative_pronoun_does_not_mix_the_patients_sex():
    note = _note(hpi=["He reports knee pain.", "His mother had a hip replacement and she is doing well."])
    assert note_faults(note)["mixed_pronouns"] == 0


def test_a_problem_heading_said_twice_is_not_a_repeat():
    assert note_faults(_note(assessment=["Hypertension."], plan=["Hypertension."]))["repeated_sentence"] == 0


REFERENCE = """CHIEF COMPLAINT

Follow-up of hypertension.

HISTORY OF PRESENT ILLNESS

The patient is a 60-year-old male who presents for follow-up of hypertension.

REVIEW OF SYSTEMS

• Cardiovascular: Denies chest pain.

VITALS

Blood Pressure: 152/96 mmHg.

PHYSICAL EXAM

• Cardiovascular: Regular rate and rhythm.

ASSESSMENT AND PLAN

Hypertension.
• Medical Treatment: Increase lisinopril to 20 mg daily.
"""


def test_reference_sections_by_heading():
    sections = text_sections(REFERENCE)
    assert sections["vitals"] == "Blood Pressure: 152/96 mmHg."
    assert sections["assessment_and_plan"].startswith("Hypertension.")


def test_empty_sections_where_the_reference_has_content():
    note = _note(chief_complaint=["Follow-up of hypertension."], hpi=[], ros=[], exam=["BP 152/96."], results=[],
                 assessment=[], plan=["Increase lisinopril to 20 mg daily."])
    assert empty_sections(note, REFERENCE) == ["hpi", "ros", "assessment"]


def test_an_empty_vitals_subsection_is_missed_when_the_reference_states_vitals():
    note = _note(vitals=[], exam=["Regular rate and rhythm."])
    assert empty_sections(note, REFERENCE) == ["vitals"]
    assert empty_sections(_note(vitals=[], exam=[]), "PHYSICAL EXAM\n\nLungs clear.\n") == ["exam"]


def test_the_follow_up_layouts_combined_assessment_and_plan_maps_to_the_reference():
    note = _note(assessment_plan=[], medications=[])
    assert empty_sections(note, REFERENCE) == ["assessment_plan"]
