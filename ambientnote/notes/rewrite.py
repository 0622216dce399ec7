"""The note writer: the fine-tuned local model rewrites each rule-drafted statement as a clinician would.

Rules keep statements faithful but leave them sounding spoken ("I know that we
had put the patient on the prozac last year."); the fine-tuned model turns them
into note sentences ("He has been consistent with his Prozac."). Its answer is
kept only if the guard finds every number, side, drug and negation in the
turns cited and most of its words come from them; otherwise the rule's
sentence stays. A model without the note-writer adapter is never asked.
"""

from __future__ import annotations

import re

from ambientnote.notes.guard import check_statement, facts
from ambientnote.notes.llm import NoteModel
from ambientnote.notes.prompts import render_prompt
from ambientnote.notes.rephrase import Candidate
from ambientnote.notes.schema import Statement
from ambientnote.notes.grounding import grounded
from ambientnote.transcript import Segment

MAX_TOKENS = 64
GROUNDED_SHARE = 0.6
_SPEAKER = re.compile(r"^\s*(doctor|patient|other)\s*:", re.I | re.M)
_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|mine|myself)\b", re.I)


def section_key(phase: str, candidate: Candidate) -> str:
    """The prompt's section: a yes/no symptom review is written differently from the narrative."""
    return "review" if candidate.kind == "review" else phase


def rewrite_messages(section: str, source: str) -> list[dict[str, str]]:
    """The chat the note writer is trained on and asked with (templates/prompts/rewrite*.j2)."""
    return [
        {"role": "system", "content": render_prompt("rewrite_system")},
        {"role": "user", "content": render_prompt("rewrite", section=section, source=source)},
    ]


def acceptable(text: str, evidence_ids: list[str], evidence: list[Segment], source: str = "", replaced: str = "") -> bool:
    """A rewrite the guard passes, mostly in the visit's own words, not a line of dialogue, not in the
    first person unless the clinician said it (notes keep "I have ordered…", never the patient's "I"), and
    dropping none of the numbers, sides, drugs and problems of the sentence it ``replaced``."""
    if len(text.split()) < 2 or _SPEAKER.search(text) or not facts(replaced) <= facts(text):
        return False
    if _FIRST_PERSON.search(text) and not source.startswith("Doctor:"):
        return False
    if check_statement(Statement(text=text, evidence=evidence_ids), evidence):
        return False
    return grounded(text, evidence, GROUNDED_SHARE)


def rewrite(model: NoteModel, phase: str, candidate: Candidate, evidence: list[Segment]) -> str | None:
    """The model's note sentence for ``candidate``, or None when its answer is not acceptable."""
    if not model.writes_notes or not candidate.source:
        return None
    answer = model.complete_text(rewrite_messages(section_key(phase, candidate), candidate.source),
                                 max_tokens=MAX_TOKENS)
    text = " ".join(answer.split())
    if not text:
        return None
    text = text[0].upper() + text[1:]
    return text if acceptable(text, candidate.evidence, evidence, candidate.source, candidate.text) else None
