"""The medical vocabulary that biases decoding toward drug and problem names.

Small Whisper models know common English but not "lisinopril"; given the term
in the decoder prompt they spell it right far more often. The vocabulary ships
as a plain text file (``models/vocabulary/medical_terms.txt``: one term per
line, ``# drugs`` / ``# problems`` sections) so a site can replace it
(``AMBIENTNOTE_VOCABULARY``) without touching code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ambientnote.errors import ConfigError
from ambientnote.paths import models_dir

# Whisper's prompt holds at most 223 tokens; leave room for the previous window's text.
_MAX_PROMPT_CHARS = 600


def vocabulary_path() -> Path:
    override = os.environ.get("AMBIENTNOTE_VOCABULARY")
    return Path(override) if override else models_dir() / "vocabulary" / "medical_terms.txt"


@dataclass(frozen=True)
class Vocabulary:
    """Terms by section, in file order (commonest first)."""

    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def terms(self) -> list[str]:
        return [t for terms in self.sections.values() for t in terms]

    @property
    def drugs(self) -> tuple[str, ...]:
        return self.sections.get("drugs", ())

    def prompt_terms(self) -> str:
        """The decoder prompt: a comma-separated term list cut to the prompt budget."""
        text = ""
        for term in self.terms:
            candidate = f"{text}, {term}" if text else term
            if len(candidate) > _MAX_PROMPT_CHARS:
                break
            text = candidate
        return text


@lru_cache(maxsize=4)
def _load(path: Path) -> Vocabulary:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"The vocabulary file {path} cannot be read; "
                          "fix AMBIENTNOTE_VOCABULARY or reinstall.") from exc
    sections: dict[str, list[str]] = {}
    current = "terms"
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            name = line.lstrip("#").strip()
            if name and " " not in name:  # a section header, not a comment
                current = name.lower()
            continue
        sections.setdefault(current, []).append(line)
    return Vocabulary({k: tuple(v) for k, v in sections.items()})


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    return _load(path or vocabulary_path())
