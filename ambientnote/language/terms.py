"""Term lists the project ships (``models/terms/*.txt``): medications, for the guard and the eval."""

from __future__ import annotations

import re
from functools import lru_cache

from ambientnote.paths import models_dir


@lru_cache(maxsize=8)
def load_terms(name: str) -> frozenset[str]:
    path = models_dir() / "terms" / f"{name}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def find_terms(text: str, name: str) -> set[str]:
    """Terms of list ``name`` that occur in ``text`` as whole words."""
    lowered = f" {re.sub(r'[^a-z0-9 ]+', ' ', text.lower())} "
    return {term for term in load_terms(name) if f" {term} " in lowered}
