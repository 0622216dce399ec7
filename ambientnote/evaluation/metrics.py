"""Scores, computed the way ACI-Bench reports them (rouge-score, 0-100, rougeLsum over lines)."""

from __future__ import annotations

import re

from rouge_score import rouge_scorer

from ambientnote.language.terms import find_terms

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def _lines(text: str) -> str:
    """rougeLsum splits on newlines: one sentence per line, no blank lines."""
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    return "\n".join(s.strip() for s in sentences if s.strip())


def rouge(prediction: str, reference: str) -> dict[str, float]:
    scores = _scorer.score(_lines(reference), _lines(prediction))
    return {name: 100.0 * scores[name].fmeasure for name in ROUGE_TYPES}


def term_overlap(prediction: str, reference: str, terms: str = "medications") -> tuple[int, int, int]:
    """(found in both, in the reference, in the prediction) for one term list."""
    ref, pred = find_terms(reference, terms), find_terms(prediction, terms)
    return len(ref & pred), len(ref), len(pred)


def dialogue_copy_baseline(dialogue: str) -> str:
    """The doctor's turns pasted as the note: the floor a real note must clear."""
    lines = [line.split("]", 1)[1].strip() for line in dialogue.splitlines() if line.startswith("[doctor]")]
    return "\n".join(lines)
