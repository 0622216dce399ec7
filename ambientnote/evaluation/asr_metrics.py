"""Scoring a transcript against a tagged reference: WER, drug-name recall, role accuracy.

Text is normalised the way WER tables usually are (lower case, no punctuation,
hyphens as spaces) so that "X-ray," and "x ray" count as the same words.
Role accuracy is measured on words: each reference word carries its speaker's
role; each recognised word that aligns to it (same word) carries the role the
pipeline gave its turn; the score is the share of aligned words that agree.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from ambientnote.transcript import Transcript

_PUNCT = re.compile(r"[^a-z0-9' ]+")


def normalise(text: str) -> list[str]:
    text = text.lower().replace("-", " ")
    return [w.strip("'") for w in _PUNCT.sub(" ", text).split() if w.strip("'")]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over words divided by the reference length."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1] / len(ref)


def term_recall(reference: str, hypothesis: str, terms: list[str] | tuple[str, ...]) -> tuple[int, int]:
    """(found, expected): occurrences of ``terms`` in the reference that the hypothesis also holds."""
    ref, hyp = " ".join(normalise(reference)), " ".join(normalise(hypothesis))
    expected = found = 0
    for term in terms:
        pattern = re.compile(rf"\b{re.escape(' '.join(normalise(term)))}\b")
        n_ref = len(pattern.findall(ref))
        expected += n_ref
        found += min(n_ref, len(pattern.findall(hyp)))
    return found, expected


def _role_words(transcript: Transcript) -> tuple[list[str], list[str]]:
    words, roles = [], []
    for seg in transcript.segments:
        for w in normalise(seg.text):
            words.append(w)
            roles.append(seg.role.value)
    return words, roles


def role_accuracy(reference: Transcript, hypothesis: Transcript) -> tuple[int, int]:
    """(agreeing, aligned) word counts between the reference roles and the hypothesis roles."""
    ref_words, ref_roles = _role_words(reference)
    hyp_words, hyp_roles = _role_words(hypothesis)
    agree = aligned = 0
    for block in SequenceMatcher(a=ref_words, b=hyp_words, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            aligned += 1
            agree += ref_roles[block.a + k] == hyp_roles[block.b + k]
    return agree, aligned


def plain_text(transcript: Transcript) -> str:
    return " ".join(s.text for s in transcript.segments)
