"""What the local note model is asked: small, checkable questions with schema-constrained answers.

Measured on ACI-Bench validation, the stock 135M model invents facts when asked
to write whole sections, but names a chief complaint well from the opening of a
visit. Every answer is checked for grounding in the turns it cites; an unusable
answer falls back to a rule, and the draft says so.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from typing import Any

from ambientnote.notes.llm import NoteModel
from ambientnote.notes.phases import clean_text
from ambientnote.notes.rephrase import LEAD as _LEAD
from ambientnote.notes.rephrase import SMALL_TALK, patient_voice
from ambientnote.notes.prompts import render_prompt
from ambientnote.notes.schema import Statement
from ambientnote.paths import templates_dir
from ambientnote.transcript import Role, Segment

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an and or of to in on for with is are was were be has have had he she they it his her their "
    "patient reports states".split()
)
_REASON = re.compile(
    r"\b(?:here|presents?|presenting|coming in|came in|come in|following up|follow[- ]up)\s+(?:today\s+)?"
    r"(?:for|with|on|of|about)\s+(?:a |an |his |her |their |your |my )?(?P<reason>[^.,?;]{3,60})",
    re.I,
)
_OPENER = re.compile(
    r"\b(what brings you|what's going on|what can i do for you|how can i help|what seems to be|tell me (about|what))",
    re.I,
)
CONTEXT_TOKENS = 700


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def grounded(text: str, evidence: list[Segment], share: float = 0.5) -> bool:
    """At least ``share`` of the statement's content words occur in what it cites."""
    source = set().union(*(content_words(s.text) for s in evidence)) if evidence else set()
    words = content_words(text)
    return bool(words) and len(words & source) / len(words) >= share


def speaker_name(segment: Segment) -> str:
    return segment.role.label


def _shown(turns: list[Segment]) -> list[dict[str, str]]:
    return [{"id": s.id, "speaker": speaker_name(s), "text": clean_text(s.text)} for s in turns]


@lru_cache(maxsize=4)
def _examples(name: str) -> list[dict[str, Any]]:
    return tomllib.loads((templates_dir() / "prompts" / f"{name}_examples.toml").read_text("utf-8"))["example"]


def _statement_schema(ids: list[str], max_chars: int) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "text": {"type": "string", "minLength": 3, "maxLength": max_chars},
            "evidence": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"enum": ids}},
        },
        "required": ["text", "evidence"],
    }


def _leading_turns(model: NoteModel, turns: list[Segment], budget: int) -> list[Segment]:
    """The opening turns that fit ``budget`` tokens: a visit states its reason early."""
    kept, used = [], 0
    for seg in turns:
        used += model.count_tokens(clean_text(seg.text)) + 8
        if kept and used > budget:
            break
        kept.append(seg)
    return kept


def _rule_reason(turns: list[Segment]) -> Statement | None:
    """"here today for knee pain" or the answer to "what brings you in?", in a few words."""
    for n, seg in enumerate(turns):
        text = clean_text(seg.text)
        match = _REASON.search(text)
        if match:
            reason = match["reason"].strip()
            return Statement(text=reason[0].upper() + reason[1:] + ".", evidence=[seg.id])
        if _OPENER.search(text) and n + 1 < len(turns) and turns[n + 1].role != Role.clinician:
            sentences = re.split(r"(?<=[.?!])\s+|,? and ", clean_text(turns[n + 1].text))
            answer = next((x for x in sentences if len(x.split()) > 2 and not SMALL_TALK.search(x)), "")
            words = _LEAD.sub("", patient_voice(answer)).split()[:14]
            if len(words) >= 2:
                text = " ".join(words).rstrip(".,") + "."
                return Statement(text=text[0].upper() + text[1:], evidence=[turns[n + 1].id])
    return None


def chief_complaint(model: NoteModel, history: list[Segment]) -> tuple[Statement | None, bool]:
    """(statement, whether the model's answer was used)."""
    turns = _leading_turns(model, history, min(CONTEXT_TOKENS, model.n_ctx // 2))
    if not turns:
        return None, False
    by_id = {s.id: s for s in turns}
    messages = [{"role": "system", "content": render_prompt("system")}]
    for example in _examples("chief_complaint"):
        messages.append({"role": "user", "content": render_prompt("chief_complaint", turns=example["turns"])})
        messages.append({"role": "assistant", "content": example["answer"]})
    messages.append({"role": "user", "content": render_prompt("chief_complaint", turns=_shown(turns))})
    answer, _ = model.complete_json(messages, _statement_schema(list(by_id), 80), max_tokens=60)
    if answer:
        ids = [i for i in dict.fromkeys(answer.get("evidence", [])) if i in by_id]
        text = " ".join(str(answer.get("text", "")).split())
        if ids and grounded(text, [by_id[i] for i in ids]):
            return Statement(text=text, evidence=ids), True
    return _rule_reason(turns), False
