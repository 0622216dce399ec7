"""Placing statements: a problem only asked about or denied never becomes an assessment."""

from __future__ import annotations

from ambientnote.notes.select import named_problems
from ambientnote.transcript import Role, Segment


def test_denied_or_asked_problems_are_not_listed():
    segments = [
        Segment(id="s1", role=Role.clinician, text="any chest pain or shortness of breath ?"),
        Segment(id="s2", role=Role.patient, text="no chest pain . but i do have high blood pressure ."),
        Segment(id="s3", role=Role.clinician, text="your asthma sounds well controlled ."),
    ]
    problems = named_problems(segments)
    assert [p.text for p in problems] == ["High blood pressure.", "Asthma."]
    assert [p.evidence for p in problems] == [["s2"], ["s3"]]


def test_a_reading_said_to_be_high_is_an_elevated_finding():
    segments = [Segment(id="s1", role=Role.patient, text="my blood pressure readings at home have been high .")]
    assert [p.text for p in named_problems(segments)] == ["Elevated blood pressure."]
    denied = [Segment(id="s1", role=Role.patient, text="no, my blood pressure is not high .")]
    assert named_problems(denied) == []
