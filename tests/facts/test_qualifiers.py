"""Severity, onset and what makes it worse, asked by the clinician and answered in a word, reach the HPI with their question."""

from __future__ import annotations

from ambientnote.facts.plan import Person
from ambientnote.facts.qualifiers import answered_qualifiers
from ambientnote.transcript.formats import parse_tagged_text


def test_a_rating_and_an_onset_given_in_answer_are_told_with_what_they_measure():
    said = answered_qualifiers(parse_tagged_text(
        "[doctor] so tell me about your knee pain.\n[patient] it hurts when i walk.\n"
        "[doctor] on a scale of one to ten how severe is the pain?\n[patient] gosh, it's like a nine.\n"
        "[doctor] and how long ago did this injury happen?\n[patient] this happened yesterday morning.\n"
        "[doctor] when did the swelling start?\n[patient] i think it was when i was walking to the car and it "
        "was slippery and i turned my ankle a bit on the curb there.").segments, Person())
    assert [(r.text, r.evidence) for r in said] == [
        ("The knee pain is rated 9/10.", ["s3", "s4", "s1"]),
        ("The injury happened yesterday morning.", ["s5", "s6", "s1"]),
    ]  # a long reply is the narrative's to read, not a value


def test_what_the_patient_tried_for_the_pain_is_told_with_the_relief_they_described():
    said = answered_qualifiers(parse_tagged_text(
        "[doctor] and what- what have you taken for the pain?\n"
        "[patient] i took some tylenol, i took some ibuprofen, i used a little bit of icy heat on the spot but it "
        "really didn't seem to help.\n"
        "[doctor] have you tried anything for this?\n[patient] i've had ibuprofen, it helped some.\n"
        "[doctor] have you taken anything for it?\n[patient] no, nothing yet.").segments, Person("he", "his"))
    assert [(r.text, r.evidence) for r in said] == [
        ("He has tried Tylenol, ibuprofen and heat without relief.", ["s1", "s2"]),
        ("He has tried ibuprofen with some relief.", ["s3", "s4"]),
    ]


def test_what_makes_it_worse_is_the_option_the_patient_chose_for_the_pain_talked_about():
    said = answered_qualifiers(parse_tagged_text(
        "[doctor] where was the chest pain?\n[patient] right behind my breastbone.\n"
        "[doctor] do you remember having any heartburn?\n[patient] maybe.\n"
        "[doctor] was the pain worse with eating or exercise?\n[patient] yes. with eating.\n"
        "[doctor] is it worse when you bend it?\n[patient] yes.\n"
        "[doctor] does it get better with rest?\n[patient] no, not really.").segments, Person("she", "her"))
    assert [(r.text, r.evidence) for r in said] == [("The chest pain was worse with eating.", ["s5", "s6", "s1"])]


def test_an_onset_said_as_a_weekday_or_as_time_since_is_told() -> None:
    said = answered_qualifiers(parse_tagged_text(
        "[doctor] and when did this happen ?\n[patient] it happened , uh ... that was sunday .\n"
        "[doctor] and how long ago did you say this injury happened ?\n[patient] it's been a week now\n"
        "[doctor] when did this happen ?\n[patient] uh , it was saturday , so about four , five days ago .\n"
        ).segments, Person())
    assert [r.text for r in said] == ["The injury happened on Sunday.", "The injury happened a week ago.",
                                      "The injury happened 5 days ago."]


def test_one_rating_in_a_longer_answer_is_the_rating() -> None:
    """Review round 26, D2N078: the 4-5/10 said at the end of a longer answer was lost (and round 6 had read the
    answer as "he does not feel a lot of pain")."""
    said = answered_qualifiers(parse_tagged_text(
        "[doctor] so tell me about the knee pain .\n[patient] it hurts .\n"
        "[doctor] what would you say your pain score is a out of ten with ten being the worst pain you ever felt\n"
        "[patient] i would say that when i'm stationary i do n't really feel a lot of pain but if i start doing some "
        "mobility i would say probably a four five\n"
        "[doctor] on a scale of one to ten , how bad is it at night ?\n"
        "[patient] at night it's a 3 but in the morning it's more like a 7 and then after lunch it goes down to "
        "maybe a 5\n").segments, Person())
    assert [(r.text, r.evidence) for r in said] == [("The knee pain is rated 4-5/10.", ["s3", "s4", "s1"])]


def test_how_long_answered_in_the_first_words_of_a_long_reply_is_told() -> None:
    """Train D2N063 (round 28): the 2-week course was lost because the reply went on about the symptom."""
    said = answered_qualifiers(parse_tagged_text(
        "[doctor] i'm having a lot of trouble sleeping.\n[doctor] how long has this been going on for?\n"
        "[patient] really just for about the past two weeks i just can't get comfortable you know when i lay down in "
        "bed i just can't fall asleep.\n"
        "[doctor] how long has this been going on?\n[patient] well it's hard to say, i think it comes and goes and "
        "my wife says it was worse after the holidays last year.").segments, Person())
    assert [r.text for r in said] == ["The symptoms have been going on for about the past 2 weeks."]
