"""The note records the patient's agreement and their questions answered only when the visit shows them."""

from __future__ import annotations

from ambientnote.facts.extract import build_record
from ambientnote.notes.draft import draft_note
from ambientnote.notes.render import render_note
from ambientnote.transcript.formats import parse_tagged_text

_VISIT = (
    "[doctor] what brings you in today ?\n"
    "[patient] my right knee has been hurting for two weeks since i twisted it playing soccer .\n"
    "[doctor] on exam there is tenderness over the medial joint line .\n"
    "[doctor] so for your knee sprain i want you to take ibuprofen 600 mg three times a day and i'm going to "
    "refer you to physical therapy .\n"
)


def test_a_patient_who_says_the_plan_sounds_good_is_recorded_as_agreeing_with_the_turn_cited():
    transcript = parse_tagged_text(_VISIT + "[patient] okay , that sounds good .\n[doctor] great , take care .\n")
    note, _ = draft_note(transcript)
    text = render_note(note, "txt")
    assert "The patient understands and agrees with the recommended medical treatment plan." in text
    agreed = [s for sec in note.sections for sub in sec.subsections for s in sub.statements if "agrees" in s.text]
    said = {s.id: s.text for s in transcript.segments}
    assert [said[i] for i in agreed[0].evidence] == ["okay , that sounds good ."]
    assert not agreed[0].flags


def test_no_agreement_when_the_patient_turns_the_plan_down_or_only_agreed_before_it():
    declined = build_record(parse_tagged_text(
        _VISIT + "[patient] okay , sounds good . actually , i don't want to do physical therapy .\n"))
    assert not declined.agreement
    before = build_record(parse_tagged_text(
        "[doctor] i'll ask a few questions first , okay ?\n[patient] sure , sounds good .\n" + _VISIT
        + "[patient] hmm .\n"))
    assert not before.agreement


def test_a_question_about_the_plan_answered_by_the_clinician_is_recorded_and_a_pardon_is_not():
    asked = build_record(parse_tagged_text(
        _VISIT + "[patient] will i be able to play soccer next month ?\n"
        "[doctor] probably not , give it six weeks .\n"))
    assert [(a.kind, a.evidence) for a in asked.agreement] == [("questions_answered", ["s5", "s6"])]
    pardon = build_record(parse_tagged_text(_VISIT + "[patient] sorry , what ?\n[doctor] physical therapy .\n"))
    assert not pardon.agreement


def test_an_unpunctuated_question_about_the_plan_is_a_question_and_a_plan_talked_through_early_counts():
    asked = build_record(parse_tagged_text(
        _VISIT + "[patient] no i don't think so when will all this take place\n"
        "[doctor] we will get you scheduled for therapy this week\n"))
    assert [a.kind for a in asked.agreement] == ["questions_answered"]
    early = build_record(parse_tagged_text(
        "[doctor] what brings you in today ?\n[patient] i've been so tired for months .\n"
        "[doctor] your iron is low so i'm going to need you to start taking your iron twice a day and we will "
        "send you to the hematologist .\n[patient] okay , that sounds great .\n"
        "[doctor] let me take a quick look at you . your lungs are clear .\n"))
    assert [a.kind for a in early.agreement] == ["agrees"]


def test_a_bare_okay_to_the_plan_is_agreement_and_a_bare_yes_is_not():
    assert build_record(parse_tagged_text(_VISIT + "[patient] all right .\n[doctor] take care .\n")).agreement
    assert not build_record(parse_tagged_text(_VISIT + "[doctor] any questions ?\n[patient] yes .\n")).agreement
