"""The whole note asked of the on-prem model, and its answer checked as strictly as a local draft.

The request's JSON schema is derived from the note layout (sections →
subsections → statements ``{text, evidence}``) with the evidence ids shaped like
the transcript's turn ids (``^s[0-9]+$``), not an enum of them: an enum of a
visit's 70-150 turns makes every grammar-constrained token check that many
alternatives. The answer is validated again here (a server may ignore
``response_format``): citations of turns that do not exist are removed, a
statement left citing nothing is dropped and counted against the answer, and
what remains goes through the same guard as a local draft plus the grounding
check the local model's answers pass. A bad answer raises ``ModelOutputError``
with the one sentence the router shows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from ambientnote.errors import ModelOutputError
from ambientnote.language.phases import clean_text
from ambientnote.notes.grounding import grounded
from ambientnote.notes.guard import guard_note
from ambientnote.notes.layout import Layout
from ambientnote.notes.prompts import render_prompt
from ambientnote.notes.schema import Note, Section, Statement, Subsection
from ambientnote.transcript import Transcript

UNGROUNDED = "words not in the cited turns"
TURN_ID_PATTERN = "^s[0-9]+$"


class AnswerStatement(BaseModel):
    text: str = Field(min_length=1)
    evidence: list[str] = Field(min_length=1)


_ANSWER = TypeAdapter(dict[str, dict[str, list[AnswerStatement]]])


@dataclass
class Answer:
    """A parsed on-prem answer: the note, and what had to be taken out of it."""

    note: Note
    unknown_ids: list[str] = field(default_factory=list)  # cited turns that do not exist (citations removed)
    dropped: int = 0  # statements that cited nothing but such turns


def note_schema(layout: Layout, ids: list[str]) -> dict[str, Any]:
    """JSON schema of a whole note in ``layout`` whose evidence ids look like ``ids``.

    Turn ids ``s1``, ``s2`` … (every transcript this app makes) are constrained by a pattern; other id
    shapes fall back to an enum. Either way ``parse_answer`` checks each id against the transcript.
    """
    # No maxLength / maxItems: llama.cpp expands each bound into nested optional grammar rules, and a
    # 300-character bound alone made sampling ~10x slower (measured); max_tokens bounds the answer instead.
    shaped = all(re.fullmatch(TURN_ID_PATTERN[1:-1], i) for i in ids)
    item: dict[str, Any] = {"type": "string", "pattern": TURN_ID_PATTERN} if shaped else {"type": "string", "enum": ids}
    statement = {
        "type": "object",
        "properties": {
            "text": {"type": "string", "minLength": 3},
            "evidence": {"type": "array", "minItems": 1, "items": item},
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
    turns = [{"id": s.id, "speaker": s.role.label, "text": clean_text(s.text)} for s in transcript.segments]
    return [
        {"role": "system", "content": render_prompt("onprem_system", deid=deid)},
        {"role": "user", "content": render_prompt("onprem_note", layout=layout, turns=turns)},
    ]


def parse_answer(content: str, layout: Layout, transcript: Transcript, *, model: str) -> Answer:
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
    unknown: list[str] = []
    dropped = 0
    sections = []
    for spec in layout.sections:
        subsections = []
        for sub in spec.subsections:
            statements = []
            for item in answer[spec.key].get(sub.key, [])[: sub.max_statements]:
                cited = list(dict.fromkeys(item.evidence))
                unknown += [e for e in cited if e not in known and e not in unknown]
                evidence = [e for e in cited if e in known]
                if not item.text.strip():
                    continue
                if not evidence:
                    dropped += 1
                    continue
                statements.append(Statement(text=" ".join(item.text.split()), evidence=evidence))
            subsections.append(Subsection(key=sub.key, title=sub.title, statements=statements))
        sections.append(Section(key=spec.key, title=spec.title, subsections=subsections))
    note = Note(template=layout.name, model=model, sections=sections)
    if not any(True for _ in note.statements()):
        if dropped:
            raise ModelOutputError(
                f"The on-prem model's answer cites only turns that do not exist ({', '.join(unknown[:3])}).")
        raise ModelOutputError("The on-prem model's answer holds no statements.")
    if unknown:
        note.warnings.append(
            f"The on-prem model cited {len(unknown)} turn(s) that do not exist; those citations were removed"
            + (f" and {dropped} statement(s) left without evidence were dropped." if dropped else "."))
    guard_note(note, transcript)
    for _, _, statement in note.statements():
        if not grounded(statement.text, [known[e] for e in statement.evidence]):
            statement.flags.append(UNGROUNDED)
    return Answer(note=note, unknown_ids=unknown, dropped=dropped)


def check_quality(answer: Answer, max_unsupported_share: float) -> None:
    """Refuse an answer whose statements the guard doubts too often (the local draft is then kept).

    A statement dropped for citing only non-existent turns counts as doubted.
    """
    total = sum(1 for _ in answer.note.statements()) + answer.dropped
    flagged = answer.note.unsupported_count() + answer.dropped
    if total and flagged / total > max_unsupported_share:
        raise ModelOutputError(
            f"The guard doubts {flagged} of the on-prem model's {total} statements "
            f"(more than {max_unsupported_share:.0%})."
        )
