"""The guard flags statements their evidence does not support."""

from __future__ import annotations

import pytest

from ambientnote.notes.guard import check_statement
from ambientnote.notes.schema import Statement
from ambientnote.transcript import Role, Segment

EVIDENCE = [
    Segment(id="s1", role=Role.clinician, text="any chest pain ?"),
    Segment(id="s2", role=Role.patient, text="no . but my left knee has been swollen for two weeks ."),
    Segment(id="s3", role=Role.clinician, text="let's start lisinopril 10 mg once a day ."),
]


def _flags(text: str) -> list[str]:
    return check_statement(Statement(text=text, evidence=["s2"]), EVIDENCE)


@pytest.mark.parametrize(
    "faithful",
    ["Denies chest pain.", "Left knee swollen for two weeks.", "Start lisinopril 10 mg daily."],
)
def test_faithful_statements_pass(faithful):
    assert _flags(faithful) == []


@pytest.mark.parametrize(
    ("perturbed", "reason"),
    [
        ("Start lisinopril 20 mg daily.", "number"),
        ("Right knee swollen for two weeks.", "side"),
        ("Start metformin 10 mg daily.", "medication"),
        ("Left knee swollen for three weeks.", "number"),
    ],
)
def test_perturbed_statements_are_flagged(perturbed, reason):
    assert any(reason in flag for flag in _flags(perturbed))


def test_invented_negation_is_flagged():
    evidence = [Segment(id="s1", role=Role.patient, text="i have a cough at night .")]
    flags = check_statement(Statement(text="Denies cough.", evidence=["s1"]), evidence)
    assert any("negation" in f for f in flags)
