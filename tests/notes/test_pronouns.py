"""A patient of unsaid sex: the note words the sentence without a singular "they"."""

from __future__ import annotations

from ambientnote.notes.draft import draft_note
from ambientnote.notes.pronouns import without_singular_they
from ambientnote.notes.render import render_note
from ambientnote.transcript.formats import parse_tagged_text


def test_they_them_and_their_for_the_patient_are_reworded():
    assert without_singular_they("The patient was playing tennis and they were trying to volley the ball.") == (
        "The patient was playing tennis and was trying to volley the ball.")
    assert without_singular_they("The patient had a fever last night because they were sweaty.") == (
        "The patient had a fever last night because the patient was sweaty.")
    assert without_singular_they("Their tonsils are swollen too.") == "The patient's tonsils are swollen too."
    assert without_singular_they("Advised to ice their knee once an hour.") == "Advised to ice the knee once an hour."
    assert without_singular_they("The right elbow is hurting them the most.") == (
        "The right elbow is hurting the patient the most.")


def test_a_draft_for_a_patient_of_unsaid_sex_has_no_singular_they():
    note, _ = draft_note(parse_tagged_text(
        "[doctor] what happened to your knee?\n"
        "[patient] i was playing tennis and i twisted my right knee yesterday.\n"
        "[doctor] on exam there is swelling of the right knee.\n"
        "[doctor] so for your right knee sprain i want you to ice your knee and keep your leg elevated.\n"))
    text = render_note(note, "txt")
    assert "knee" in text
    for word in (" they ", " their ", " them "):
        assert word not in f" {text.lower()} "


def test_the_referring_doctors_pronoun_is_not_the_patients():
    """D2N082: "i see that she referred you …", "she did this as part of my physical": the PCP's "she" made Kyle
    "She does tend to get infections."; with no other sign of sex the note says "the patient"."""
    note, _ = draft_note(parse_tagged_text(
        "[doctor] hi kyle . i see that she referred you for a low immunoglobulin a level .\n"
        "[patient] yeah , my pcp said she did this as part of my physical .\n"
        "[doctor] okay . as your pcp noted , she wanted me to check your antibodies because she said your colds "
        "linger .\n"
        "[patient] yes , i do tend to get infections in the winter .\n"))
    assert note.record is not None and note.record.patient.sex is None
    text = render_note(note, "txt")
    assert " she " not in f" {text.lower()} "
    assert "The patient does tend to get infections in the winter." in text  # infections: the account's anchor
