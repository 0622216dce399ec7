"""The note writer's prompt: the chat it is trained on (``ambientnote train``) and would be asked with.

The note writer (a LoRA on SmolLM2-135M, ``models/notes/MODEL_CARD.md``) rewrote
rule-drafted statements as note sentences. Drafting now composes the note from
the visit record and asks no model, so this prompt lives with the training code;
a future use of the writer (smoothing the patient's account) must be measured
against the composed note first.
"""

from __future__ import annotations

from ambientnote.notes.prompts import render_prompt
from ambientnote.notes.rephrase import Candidate


def section_key(phase: str, candidate: Candidate) -> str:
    """The prompt's section: a yes/no symptom review is written differently from the narrative."""
    return "review" if candidate.kind == "review" else phase


def rewrite_messages(section: str, source: str) -> list[dict[str, str]]:
    """The chat the note writer is trained on (templates/prompts/rewrite*.j2)."""
    return [
        {"role": "system", "content": render_prompt("rewrite_system")},
        {"role": "user", "content": render_prompt("rewrite", section=section, source=source)},
    ]
