"""Drafting on the real model: a note a clinician could review, every statement traceable."""

from __future__ import annotations

import re

import pytest

from ambientnote.errors import NoSpeechError
from ambientnote.notes.draft import draft_note
from ambientnote.notes.render import render_note
from ambientnote.transcript import Role, Segment, Transcript
from ambientnote.transcript.formats import parse_tagged_text


def test_sample_note_has_all_four_sections_with_valid_evidence(note_model, hypertension_transcript):
    note, stats = draft_note(hypertension_transcript, model=note_model)

    assert [s.key for s in note.sections] == ["subjective", "objective", "assessment", "plan"]
    assert all(not section.empty for section in note.sections), render_note(note, "md")
    assert note.invalid_evidence(hypertension_transcript) == []
    assert stats.seconds > 0


def test_note_reads_as_a_note_not_a_dialogue(note_model, hypertension_transcript):
    note, _ = draft_note(hypertension_transcript, model=note_model)
    text = render_note(note, "txt")

    assert not re.search(r"^\[(doctor|patient)\]", text, re.MULTILINE)
    assert not re.search(r"\b(i'm|my)\b", text, re.IGNORECASE), text  # the patient's first person is gone
    assert "lisinopril" in text.lower() and "amlodipine" in text.lower()
    plan = next(s for s in note.sections if s.key == "plan")
    plan_text = " ".join(st.text for sub in plan.subsections for st in sub.statements).lower()
    assert "amlodipine" in plan_text  # the new drug lands in the plan, not the history


def test_statements_quote_only_their_evidence(note_model, hypertension_transcript):
    note, _ = draft_note(hypertension_transcript, model=note_model)
    by_id = hypertension_transcript.by_id()
    for _, _, statement in note.statements():
        cited = " ".join(by_id[i].text.lower() for i in statement.evidence)
        for number in re.findall(r"\d+", statement.text):
            assert number in cited, (statement.text, cited)


def test_sections_arrive_one_by_one(note_model, hypertension_transcript):
    seen = []
    draft_note(hypertension_transcript, model=note_model, on_section=lambda s: seen.append(s.key))
    assert seen == ["subjective", "objective", "assessment", "plan"]


def test_long_transcript_is_drafted_whole_not_cut(note_model):
    """A visit far longer than the model's context still yields statements from its last minutes."""
    turns = []
    for n in range(320):
        turns.append(f"[doctor] how has the pain in your back been this week number {n}?")
        turns.append(f"[patient] it has been worse after gardening, about {n % 9 + 1} out of ten.")
    turns.append("[doctor] on exam there is tenderness over the lower lumbar spine.")
    turns.append("[doctor] i'm going to prescribe naproxen 500 mg twice a day and physical therapy.")
    transcript = parse_tagged_text("\n".join(turns))
    assert note_model.count_tokens(" ".join(s.text for s in transcript.segments)) > note_model.n_ctx

    note, _ = draft_note(transcript, model=note_model)

    cited = {e for _, _, st in note.statements() for e in st.evidence}
    assert transcript.segments[-1].id in cited
    assert transcript.segments[0].id in cited or transcript.segments[1].id in cited


def test_transcript_with_no_conversation_is_refused(note_model):
    transcript = Transcript(segments=[Segment(id="s1", role=Role.patient, text="mm-hmm ."),
                                      Segment(id="s2", role=Role.clinician, text="okay .")])
    with pytest.raises(NoSpeechError, match="no conversation"):
        draft_note(transcript, model=note_model)


def test_markdown_and_json_renderings(note_model, hypertension_transcript):
    note, _ = draft_note(hypertension_transcript, model=note_model)
    md = render_note(note, "md", show_evidence=True)
    assert md.startswith("# SOAP note") and "## Plan" in md and "_[s" in md
    assert '"evidence"' in render_note(note, "json")
