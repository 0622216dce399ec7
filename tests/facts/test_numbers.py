"""Spoken numbers read as the note writes them: a blood pressure said "one eighteen over seventy two" is 118/72."""

from __future__ import annotations

import pytest

from ambientnote.facts.numbers import digits


@pytest.mark.parametrize(("said", "written"), [
    ("one eighteen over seventy two", "118 over 72"),
    ("one fifty-two over ninety-six", "152 over 96"),
    ("increase the lasix to eighty milligrams", "increase the lasix to 80 milligrams"),
    ("a three out of six systolic murmur", "a 3/6 systolic murmur"),
    ("temperature of ninety eight . four", "temperature of 98.4"),
    ("a four . four centimeter nodule", "a 4.4 centimeter nodule"),
    ("1,000 milligrams twice daily", "1000 milligrams twice daily"),
    ("one of the pills", "one of the pills"),
    ("a week ago", "a week ago"),
])
def test_spoken_numbers_become_the_digits_a_note_writes(said, written):
    assert digits(said) == written


def test_a_restarted_number_is_two_numbers_not_their_sum():
    assert digits("look at ninety ninety seven . two") == "look at 90 97.2"
    assert digits("one fifty ninety") == "150 90"


def test_a_decimal_said_with_a_bare_point_before_a_unit_keeps_its_size():
    assert digits("it does show a . five centimeter kidney stone") == "it does show a 0.5 centimeter kidney stone"


def test_a_range_starting_at_one_is_written_in_digits():
    assert digits("i wan na see you again in one to two weeks") == "i wan na see you again in 1 to 2 weeks"


def test_a_number_said_twice_is_said_once_and_false_starts_are_dropped() -> None:
    from ambientnote.facts.text import spoken_clean

    assert spoken_clean("there is a three out of six six systolic ejection murmur") \
        == "there is a 3/6 systolic ejection murmur"
    assert spoken_clean("my throat has been hurting me for like four four days") \
        == "my throat has been hurting me for like 4 days"
    assert spoken_clean("i hurt my- the- my- top part of my right leg") == "i hurt my top part of my right leg"


def test_a_dose_said_twice_is_one_dose() -> None:
    assert digits("naprosyn five hundred five hundred milligrams twice a day") == "naprosyn 500 milligrams twice a day"
