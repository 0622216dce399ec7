"""Checking an on-prem answer: schema, evidence ids, guard, grounding, de-identification round trip."""

from __future__ import annotations

import json

import pytest

from ambientnote.bench.sandbox import synthetic_transcript
from ambientnote.errors import ModelOutputError
from ambientnote.notes.layout import load_layout
from ambientnote.router.deid import deidentify
from ambientnote.router.onprem import check_quality, note_schema, parse_answer
from ambientnote.router.route import _restored

LAYOUT = load_layout("soap")


def _answer(**subsections: list[dict]) -> str:
    body = {s.key: {sub.key: subsections.get(sub.key, []) for sub in s.subsections} for s in LAYOUT.sections}
    return json.dumps(body)


def test_schema_lists_every_subsection_and_shapes_turn_ids():
    schema = note_schema(LAYOUT, ["s1", "s2"])
    assert schema["required"] == [s.key for s in LAYOUT.sections]
    statement = schema["properties"]["assessment_and_plan"]["properties"]["assessment_plan"]["items"]
    assert statement["properties"]["evidence"]["items"] == {"type": "string", "pattern": "^s[0-9]+$"}
    other = note_schema(LAYOUT, ["t-1", "t-2"])  # ids of another shape: an enum
    assert other["properties"]["assessment_and_plan"]["properties"]["assessment_plan"]["items"]["properties"]["evidence"]["items"]["enum"] == [
        "t-1", "t-2"]


def test_llama_cpp_compiles_the_schema_to_a_grammar():
    from llama_cpp import LlamaGrammar

    ids = [s.id for s in synthetic_transcript().segments]
    assert LlamaGrammar.from_json_schema(json.dumps(note_schema(LAYOUT, ids)), verbose=False)


def test_a_good_answer_becomes_a_note_by_the_onprem_model():
    transcript = synthetic_transcript()
    text = transcript.segments[1].text
    answer = parse_answer(_answer(hpi=[{"text": text, "evidence": ["s2"]}]), LAYOUT, transcript, model="onprem:x@h")
    assert answer.note.model == "onprem:x@h" and answer.note.unsupported_count() == 0
    assert not answer.unknown_ids and not answer.note.warnings
    check_quality(answer, 0.2)


def test_unknown_turn_ids_are_removed_and_statements_citing_only_them_count_against_the_answer():
    transcript = synthetic_transcript()
    good = [{"text": transcript.segments[i].text, "evidence": [f"s{i + 1}", "s99"]} for i in range(3)]
    answer = parse_answer(_answer(hpi=good + [{"text": "Invented.", "evidence": ["s77"]}]), LAYOUT, transcript,
                          model="m")
    kept = [st for _, _, st in answer.note.statements()]
    assert len(kept) == 3 and all("s99" not in st.evidence for st in kept)
    assert answer.unknown_ids == ["s99", "s77"] and answer.dropped == 1
    assert "cited 2 turn(s) that do not exist" in answer.note.warnings[0]
    check_quality(answer, 0.25)  # 1 of 4 doubted
    with pytest.raises(ModelOutputError, match="guard doubts 1 of"):
        check_quality(answer, 0.2)


@pytest.mark.parametrize("content, says", [
    ("{\"subjective\": {", "not JSON"),
    (json.dumps({"subjective": []}), "does not follow the note schema"),
    (json.dumps({"subjective": {}}), "lacks the section"),
    (_answer(), "holds no statements"),
    (_answer(hpi=[{"text": "The patient has chest pain.", "evidence": ["s99"]}]), "cites only turns that do not exist (s99)"),
])
def test_bad_answers_are_refused_in_one_sentence(content, says):
    with pytest.raises(ModelOutputError, match=says.replace("(", r"\(").replace(")", r"\)")) as err:
        parse_answer(content, LAYOUT, synthetic_transcript(), model="m")
    assert str(err.value).count(". ") == 0


def test_the_guard_and_grounding_refuse_invented_statements():
    invented = [{"text": "Metformin 500 mg twice daily for diabetes in the left foot.", "evidence": ["s1"]}]
    answer = parse_answer(_answer(assessment_plan=invented), LAYOUT, synthetic_transcript(), model="m")
    flags = next(answer.note.statements())[2].flags
    assert any("metformin" in f for f in flags) and "words not in the cited turns" in flags
    with pytest.raises(ModelOutputError, match="guard doubts 1 of"):
        check_quality(answer, 0.2)


def test_placeholders_in_the_answer_are_restored():
    transcript = synthetic_transcript()
    transcript.segments[0].text = "Good morning Mr. Okafor, what brings you in on March 3rd?"
    hidden, deid = deidentify(transcript)
    assert "Okafor" not in hidden.segments[0].text
    answer = _answer(hpi=[{"text": "[NAME_1] was seen on [DATE_1].", "evidence": ["s1"]}])
    restored = json.loads(_restored(answer, deid))
    assert restored["subjective"]["hpi"][0]["text"] == "Okafor was seen on March 3rd."


def test_the_answer_budget_follows_the_visit_length_under_the_policy_ceiling(home):
    from ambientnote.config import load_settings
    from ambientnote.router.route import answer_budget

    cfg = load_settings()
    short, long = synthetic_transcript(), synthetic_transcript(repeat=40)
    assert 256 < answer_budget(short, cfg) < answer_budget(long, cfg) == cfg.onprem_max_tokens
    assert answer_budget(long, load_settings(onprem_max_tokens=300)) == 300
