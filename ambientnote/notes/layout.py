"""Note layouts (``templates/notes/NAME.toml``): which sections and subsections a note has.

A layout is data, not code, so a site adds a specialty template without a release.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from ambientnote.errors import ConfigError
from ambientnote.paths import templates_dir

# What a subsection is composed from (ambientnote/notes/compose.py): one kind of fact of the visit record.
Content = Literal["chief_complaint", "hpi", "ros", "medications", "history", "family_history", "social_history",
                  "vitals", "exam", "results", "assessment", "plan", "assessment_plan"]
Style = Literal["lines", "paragraph"]


class SubsectionSpec(BaseModel):
    key: str
    title: str
    content: Content
    style: Style = "lines"  # "paragraph": the statements read as one paragraph (an HPI)
    max_statements: int = Field(40, ge=1)


class SectionSpec(BaseModel):
    key: str
    title: str
    subsections: list[SubsectionSpec] = Field(alias="subsection")


class Layout(BaseModel):
    name: str
    title: str
    sections: list[SectionSpec] = Field(alias="section")


def available_layouts() -> list[str]:
    return sorted(p.stem for p in (templates_dir() / "notes").glob("*.toml"))


@lru_cache(maxsize=16)
def load_layout(name: str) -> Layout:
    path = templates_dir() / "notes" / f"{name}.toml"
    if not path.is_file():
        raise ConfigError(f"No note template '{name}'; choose one of: {', '.join(available_layouts())}.")
    try:
        return Layout.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigError(f"The note template {path.name} is invalid; fix it or reinstall AmbientNote.") from exc
