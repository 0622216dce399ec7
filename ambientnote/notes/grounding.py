"""Is a model's sentence grounded in the turns it cites? A word-overlap check shared by every model answer.

The on-prem model's statements and the note writer's rewrites are only kept when
most of their content words occur in the transcript turns they cite; a sentence
made of words the visit never used is the first sign of an invented fact.
"""

from __future__ import annotations

import re

from ambientnote.transcript import Segment

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an and or of to in on for with is are was were be has have had he she they it his her their "
    "patient reports states".split()
)


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def grounded(text: str, evidence: list[Segment], share: float = 0.5) -> bool:
    """At least ``share`` of the statement's content words occur in what it cites."""
    source = set().union(*(content_words(s.text) for s in evidence)) if evidence else set()
    words = content_words(text)
    return bool(words) and len(words & source) / len(words) >= share
