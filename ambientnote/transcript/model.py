"""Transcript data model.

Segment ids are small stable strings ("s1", "s2", …) because note statements
cite them as evidence; they must survive a round trip through every format.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Role(StrEnum):
    clinician = "clinician"
    patient = "patient"
    other = "other"

    @property
    def label(self) -> str:
        """How the speaker is named in prompts and readable transcripts."""
        return {"clinician": "Doctor", "patient": "Patient", "other": "Other"}[self.value]

    @property
    def tag(self) -> str:
        """The ACI-Bench style tag used in plain-text transcripts."""
        return {"clinician": "doctor", "patient": "patient", "other": "patient_guest"}[self.value]


class Word(BaseModel):
    start: float
    end: float
    word: str
    probability: float = 1.0


class Segment(BaseModel):
    id: str
    start: float = 0.0
    end: float = 0.0
    speaker: str = "S1"
    role: Role = Role.other
    text: str
    confidence: float = Field(1.0, ge=0.0, le=1.0)
    words: list[Word] = Field(default_factory=list)


class Transcript(BaseModel):
    segments: list[Segment]
    language: str = "en"
    duration: float = 0.0
    model: str | None = None
    warnings: list[str] = Field(default_factory=list,
                                description="What is wrong with the audio it was heard from (capture.quality).")

    def by_id(self) -> dict[str, Segment]:
        return {s.id: s for s in self.segments}

    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)

    def mean_confidence(self) -> float:
        if not self.segments:
            return 0.0
        return sum(s.confidence for s in self.segments) / len(self.segments)
