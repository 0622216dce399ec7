"""Checking an on-prem answer: schema, evidence ids, guard, grounding, de-identification round trip."""

from __future__ import annotations

import json

import pytest

from ambientnote.errors import ModelOutputError
from ambientnote.notes.layout import load_layout
from ambientnote.router.deid import deidentify
from ambientnote.router.onprem import check_quality, note_schema, parse_answer
from ambientnote.router.route import _restored
from ambientnote.store.sandbox import synthetic_transcript

LAYOUT = load_layout("soap")


def _answer(**subsections: list[dict]) -> str:
    body = {s.key: {sub.key: subsections.get(sub.key, []) for sub in s.subsections} for s in LAYOUT.sections}
    return json.dumps(body)


def test_schema_lists_every_subsection_and_only_real_turn_ids():
    schema = note_schema(LAYOUT, ["s1", "s2"])
    assert schema["required"] == [s.key for s in LAYOUT.sections]
    statement = schema["properties"]["plan"]["properties"]["plan"]["items"]
    assert statement["properties"]["evidence"]["items"]["enum"] == ["s1", "s2"]


def test_a_good_answer_becomes_a_note_by_the_onprem_model():
    transcript = synthetic_transcript()
    text = transcript.segments[1].text
    note = parse_answer(_answer(hpi=[{"text": text, "evidence": ["s2"]}]), LAYOUT, transcript, model="onprem:x@h")
    assert note.model == "onprem:x@h" and note.unsupported_count() == 0
    check_quality(note, 0.2)


@pytest.mark.parametrize("content, says", [
    ("{\"subjective\": {", "not JSON"),
    (json.dumps({"subjective": []}), "does not follow the note schema"),
    (json.dumps({"subjective": {}}), "lacks the section"),
    (_answer(), "holds no statements"),
    (_answer(hpi=[{"text": "The patient has chest pain.", "evidence": ["s99"]}]), "do not exist (s99)"),
])
def test_bad_answers_are_refused_in_one_sentence(content, says):
    with pytest.raises(ModelOutputError, match=says.replace("(", r"\(").replace(")", r"\)")) as err:
        parse_answer(content, LAYOUT, synthetic_transcript(), model="m")
    assert str(err.value).count(". ") == 0


def test_the_guard_and_grounding_refuse_invented_statements():
    invented = [{"text": "Metformin 500 mg twice daily for diabetes in the left foot.", "evidence": ["s1"]}]
    note = parse_answer(_answer(plan=invented), LAYOUT, synthetic_transcript(), model="m")
    flags = next(note.statements())[2].flags
    assert any("metformin" in f for f in flags) and "words not in the cited turns" in flags
    with pytest.raises(ModelOutputError, match="guard doubts 1 of"):
        check_quality(note, 0.2)


def test_placeholders_in_the_answer_are_restored():
    transcript = synthetic_transcript()
    transcript.segments[0].text = "Good morning Mr. Okafor, what brings you in on March 3rd?"
    hidden, deid = deidentify(transcript)
    assert "Okafor" not in hidden.segments[0].text
    answer = _answer(hpi=[{"text": "[NAME_1] was seen on [DATE_1].", "evidence": ["s1"]}])
    restored = json.loads(_restored(answer, deid))
    assert restored["subjective"]["hpi"][0]["text"] == "Okafor was seen on March 3rd."
