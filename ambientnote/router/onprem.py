"""The whole note asked of the on-prem model, and its answer checked as strictly as a local draft.

The request's JSON schema is derived from the note layout (sections →
subsections → statements ``{text, evidence}``) with the evidence ids an enum of
the transcript's turns, so a server that honours the schema cannot cite a turn
that does not exist. The answer is validated again here anyway (a server may
ignore ``response_format``), then goes through the same guard as a local draft,
plus the grounding check the local model's answers pass. A bad answer raises
``ModelOutputError`` with the one sentence the router shows.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from ambientnote.errors import ModelOutputError
from ambientnote.notes.guard import guard_note
from ambientnote.notes.layout import Layout
from ambientnote.notes.phases import clean_text
from ambientnote.notes.prompts import render_prompt
from ambientnote.notes.schema import Note, Section, Statement, Subsection
from ambientnote.notes.tasks import grounded, speaker_name
from ambientnote.transcript import Transcript

UNGROUNDED = "words not in the cited turns"


class AnswerStatement(BaseModel):
    text: str = Field(min_length=1)
    evidence: list[str] = Field(min_length=1)


_ANSWER = TypeAdapter(dict[str, dict[str, list[AnswerStatement]]])


def note_schema(layout: Layout, ids: list[str]) -> dict[str, Any]:
    """JSON schema of a whole note in ``layout`` citing only ``ids``."""
    # No maxLength / maxItems: llama.cpp expands each bound into nested optional grammar rules, and a
    # 300-character bound alone made sampling ~10x slower (measured); max_tokens bounds the answer instead.
    statement = {
        "type": "object",
        "properties": {
            "text": {"type": "string", "minLength": 3},
            "evidence": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": ids}},
        },
        "required": ["text", "evidence"],
        "additionalProperties": False,
    }

    def obj(properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}

    return obj({
        section.key: obj({
            sub.key: {"type": "array", "items": statement}
            for sub in section.subsections
        })
        for section in layout.sections
    })


def note_messages(layout: Layout, transcript: Transcript, *, deid: bool) -> list[dict[str, str]]:
    turns = [{"id": s.id, "speaker": speaker_name(s), "text": clean_text(s.text)} for s in transcript.segments]
    return [
        {"role": "system", "content": render_prompt("onprem_system", deid=deid)},
        {"role": "user", "content": render_prompt("onprem_note", layout=layout, turns=turns)},
    ]


def parse_answer(content: str, layout: Layout, transcript: Transcript, *, model: str) -> Note:
    """The server's answer as a ``Note`` (guard flags set), or ``ModelOutputError`` saying what is wrong."""
    try:
        raw = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ModelOutputError("The on-prem model's answer is not JSON (cut off or free text).") from exc
    try:
        answer = _ANSWER.validate_python(raw)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise ModelOutputError(f"The on-prem model's answer does not follow the note schema (at '{where}').") from exc
    missing = [s.key for s in layout.sections if s.key not in answer]
    if missing:
        raise ModelOutputError(f"The on-prem model's answer lacks the section(s) {', '.join(missing)}.")
    known = transcript.by_id()
    sections = []
    for spec in layout.sections:
        subsections = []
        for sub in spec.subsections:
            items = answer[spec.key].get(sub.key, [])[: sub.max_statements]
            statements = [Statement(text=" ".join(s.text.split()), evidence=list(dict.fromkeys(s.evidence)))
                          for s in items if s.text.strip()]
            subsections.append(Subsection(key=sub.key, title=sub.title, statements=statements))
        sections.append(Section(key=spec.key, title=spec.title, subsections=subsections))
    note = Note(template=layout.name, model=model, sections=sections)
    unknown = note.invalid_evidence(transcript)
    if unknown:
        raise ModelOutputError(f"The on-prem model's answer cites turns that do not exist ({', '.join(unknown[:3])}).")
    if not any(True for _ in note.statements()):
        raise ModelOutputError("The on-prem model's answer holds no statements.")
    guard_note(note, transcript)
    for _, _, statement in note.statements():
        if not grounded(statement.text, [known[e] for e in statement.evidence]):
            statement.flags.append(UNGROUNDED)
    return note


def check_quality(note: Note, max_unsupported_share: float) -> None:
    """Refuse an answer whose statements the guard doubts too often (the local draft is then kept)."""
    total = sum(1 for _ in note.statements())
    flagged = note.unsupported_count()
    if total and flagged / total > max_unsupported_share:
        raise ModelOutputError(
            f"The guard doubts {flagged} of the on-prem model's {total} statements "
            f"(more than {max_unsupported_share:.0%})."
        )
