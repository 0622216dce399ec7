"""The side of a complaint or diagnosis: given when the visit settles it, cited, never guessed."""

from __future__ import annotations

from ambientnote.facts.extract import build_record
from ambientnote.notes.draft import draft_note
from ambientnote.notes.render import render_note
from ambientnote.transcript.formats import parse_tagged_text


def _problems(dialogue: str) -> list[str]:
    return [p.name for p in build_record(parse_tagged_text(dialogue)).problems]


def test_the_patients_answer_to_which_side_names_the_diagnosis_site() -> None:
    dialogue = ("[doctor] so which wrist are we talking about, left or right?\n"
                "[patient] it's my right one of course.\n"
                "[doctor] looking at your x-ray, you have a colles' fracture.\n"
                "[doctor] for your colles' fracture, i'm going to put you in a brace.")
    assert _problems(dialogue) == ["colles' fracture of the right wrist"]
    note, _ = draft_note(parse_tagged_text(dialogue))
    text = render_note(note, "txt")
    assert "Colles' fracture of the right wrist" in text and "CHECK" not in text  # the side is cited: no flag


def test_a_finger_keeps_which_finger_it_is() -> None:
    problems = _problems("[patient] i have a lot of pain at the end of my right middle finger.\n"
                         "[doctor] the x-ray shows a distal phalanx fracture.\n"
                         "[doctor] for your distal phalanx fracture, we'll put a finger splint on.")
    assert problems == ["distal phalanx fracture of the right middle finger"]


def test_a_side_denied_does_not_count_and_a_visit_that_does_not_settle_it_gets_none() -> None:
    sprain = "[doctor] i think this is a knee sprain. we'll put you in a knee brace."
    assert _problems(f"[patient] my left knee doesn't really hurt.\n[patient] my right knee hurts when i walk.\n"
                     f"{sprain}") == ["right knee sprain"]
    assert _problems(f"[patient] my left knee hurts.\n[patient] my right knee hurts when i walk.\n{sprain}") \
        == ["knee sprain"]


def test_both_knees_is_bilateral() -> None:
    assert _problems("[doctor] so both of your knees hurt?\n[patient] yes, both knees, the left and the right.\n"
                     "[doctor] i think you have patellofemoral pain syndrome.") \
        == ["bilateral patellofemoral pain syndrome"]


def test_an_imaging_order_of_a_sided_problem_is_of_that_site() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] okay which knee was it\n[patient] my right knee\n"
        "[doctor] so let's talk about your plan what i am concerned about for your knee is it sounds like you have a "
        "torn or injured mcl it's that inside tendon in your knee so i'm gon na put you in a straight leg brace "
        "but i'm also gon na send you out for an mri because we wan na make sure"))
    assert [p.name for p in record.problems] == ["torn or injured mcl of the right knee"]
    assert "Order MRI of the right knee." in [i.text for i in record.plan]


def test_a_name_with_the_part_inside_takes_the_side_in_front() -> None:
    problems = _problems("[patient] it's on my right foot and it's just not going away.\n"
                         "[doctor] the ulcer on your right foot looks deep.\n"
                         "[doctor] i think you have a nonhealing diabetic foot ulcer.")
    assert problems == ["right nonhealing diabetic foot ulcer"]
