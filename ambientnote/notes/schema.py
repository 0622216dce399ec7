"""The note as data: sections of subsections of statements, each citing its evidence.

Every statement carries the ids of the transcript segments it rests on, so the
clinician can see where each sentence came from, and the guard can check it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from ambientnote.facts.schema import VisitRecord
from ambientnote.transcript import Transcript


class Statement(BaseModel):
    text: str = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list, description="Ids of the transcript segments it rests on.")
    flags: list[str] = Field(default_factory=list, description="Why the guard doubts it (empty: supported).")
    author: Literal["draft", "clinician"] = Field(
        "draft", description="Whose wording: the draft's (it cites its evidence) or the clinician's own.")

    @model_validator(mode="after")
    def _drafted_cites_evidence(self) -> Statement:
        """A drafted statement rests on the transcript; only the clinician may write one without evidence."""
        if self.author == "draft" and not self.evidence:
            raise ValueError("a drafted statement cites at least one transcript segment")
        return self

    @property
    def supported(self) -> bool:
        return not self.flags


class Subsection(BaseModel):
    key: str
    title: str
    statements: list[Statement] = Field(default_factory=list)
    style: Literal["lines", "paragraph", "heading"] = "lines"  # heading: a title over the subsections after it


class Section(BaseModel):
    key: str
    title: str
    subsections: list[Subsection]

    @property
    def empty(self) -> bool:
        return not any(sub.statements for sub in self.subsections)


class Note(BaseModel):
    template: str
    model: str
    sections: list[Section]
    created: datetime = Field(default_factory=lambda: datetime.now(UTC))
    warnings: list[str] = Field(default_factory=list, description="What the clinician should know about this draft.")
    record: VisitRecord | None = Field(None, description="The visit's facts the note was composed from.")
    instructions: list[Statement] = Field(default_factory=list,
                                          description="The after-visit summary for the patient, from the plan.")

    def statements(self) -> Iterator[tuple[Section, Subsection, Statement]]:
        """Every statement of the note (not the patient instructions), with its place."""
        for section in self.sections:
            for sub in section.subsections:
                for statement in sub.statements:
                    yield section, sub, statement

    def invalid_evidence(self, transcript: Transcript) -> list[str]:
        """Evidence ids that name no segment of ``transcript`` (must be none)."""
        known = {s.id for s in transcript.segments}
        return sorted({e for _, _, st in self.statements() for e in st.evidence if e not in known})

    def unsupported_count(self) -> int:
        return sum(1 for _, _, st in self.statements() if not st.supported)
