"""Term lists the project ships (``models/terms/*.txt``): medications, for the guard and the eval; the exam's
manoeuvres, for telling the exam from the plan."""

from __future__ import annotations

import re
from functools import lru_cache

from ambientnote.paths import models_dir


@lru_cache(maxsize=8)
def load_terms(name: str) -> frozenset[str]:
    path = models_dir() / "terms" / f"{name}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _words(text: str) -> str:
    """Lower-case words separated by single spaces: "Crohn's disease" → "crohn s disease"; other punctuation
    stays a boundary ("right knee. Pain" holds no "knee pain")."""
    return " ".join(re.sub(r"[^a-z0-9 ]+", " # ", re.sub(r"['’-]", " ", text.lower())).split())


@lru_cache(maxsize=8)
def _term_words(name: str) -> tuple[tuple[str, str], ...]:
    return tuple((term, f" {_words(term)} ") for term in load_terms(name))


def find_terms(text: str, name: str) -> set[str]:
    """Terms of list ``name`` that occur in ``text`` as whole words (punctuation inside a term, as in "crohn's
    disease", read the same way in both)."""
    lowered = f" {_words(text)} "
    return {term for term, said in _term_words(name) if said in lowered}


@lru_cache(maxsize=8)
def terms_alternation(name: str) -> str:
    """The terms of list ``name`` as one regex alternation, longest first ("take a deep breath|…|say ah")."""
    return "|".join(re.escape(term) for term in sorted(load_terms(name), key=lambda t: (-len(t), t)))
