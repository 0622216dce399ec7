"""How hard a visit is for the local model, as a score with reasons a clinician can read.

Each criterion is measured against its threshold from settings or site policy
and scores ``measured / threshold`` (1.0 means "exactly at the limit"); the
visit's score is the highest of them, and every criterion at or above 1.0 is a
reason to escalate. A single number with named reasons lets IT tune one
threshold at a time and lets the clinician see why the router acted.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ambientnote.config import Settings
from ambientnote.facts.plan import problems_named
from ambientnote.language.terms import find_terms
from ambientnote.notes.schema import Note
from ambientnote.transcript import Transcript

# a visit without an exam has no objective findings; every visit has these
REQUIRED_SECTIONS = ("assessment", "plan", "assessment_and_plan")
TOKENS_PER_WORD = 1.35  # SmolLM2 tokenizer on ACI-Bench dialogue (measured: 1.33-1.38)


class Criterion(BaseModel):
    name: str
    measured: float
    threshold: float
    score: float
    reason: str | None = Field(None, description="Why it escalates (None: below its threshold).")


class Difficulty(BaseModel):
    """The visit's difficulty: ``score >= 1`` means at least one reason to escalate."""

    score: float
    criteria: list[Criterion]

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.criteria if c.reason]

    @property
    def hard(self) -> bool:
        return bool(self.reasons)


def _criterion(
    name: str, measured: float, threshold: float, reason: str, *, lower_is_harder: bool = False
) -> Criterion:
    """``measured`` against ``threshold``: over it (under it, for confidence) is a reason to escalate."""
    top, bottom = (threshold, measured) if lower_is_harder else (measured, threshold)
    score = top / bottom if bottom else (99.0 if top else 0.0)
    hard = measured < threshold if lower_is_harder else measured > threshold
    return Criterion(name=name, measured=round(measured, 3), threshold=threshold, score=round(min(score, 99.0), 3),
                     reason=reason if hard else None)


def score_difficulty(
    transcript: Transcript, local: Note | None = None, *, requested: bool = False, cfg: Settings,
    local_error: str | None = None,
) -> Difficulty:
    """Score ``transcript`` (and the local draft, when there is one) against the routing thresholds."""
    text = " ".join(s.text for s in transcript.segments)
    tokens = transcript.word_count() * TOKENS_PER_WORD
    share = tokens / cfg.note_context
    confidence = transcript.mean_confidence()
    problems = len(problems_named(transcript.segments))  # "heart failure" inside "congestive heart failure" once
    medications = len(find_terms(text, "medications"))
    criteria = [
        _criterion("length", share, cfg.route_context_share,
                   f"the transcript fills {share:.0%} of the local model's context "
                   f"(limit {cfg.route_context_share:.0%})"),
        _criterion("asr_confidence", confidence, cfg.route_min_confidence,
                   f"speech recognition confidence is low ({confidence:.2f} < {cfg.route_min_confidence:.2f})",
                   lower_is_harder=True),
        _criterion("problems", problems, cfg.route_max_problems,
                   f"{problems} problems are discussed (limit {cfg.route_max_problems})"),
        _criterion("medications", medications, cfg.route_max_medications,
                   f"{medications} medications are named (limit {cfg.route_max_medications})"),
    ]
    if local is not None:
        unsupported = local.unsupported_count()
        criteria.append(_criterion(
            "unsupported", unsupported, cfg.route_max_unsupported,
            f"the guard flags {unsupported} statements of the local draft (limit {cfg.route_max_unsupported})",
        ))
        invalid = local.invalid_evidence(transcript)
        empty = [s.title for s in local.sections if s.empty and s.key in REQUIRED_SECTIONS]
        failures = len(invalid) + len(empty)
        detail = (f"cites unknown turns {', '.join(invalid)}" if invalid else f"has no {', '.join(empty).lower()}")
        criteria.append(_criterion("local_checks", failures, 0, f"the local draft {detail}"))
    if local_error:
        criteria.append(Criterion(name="local_checks", measured=1, threshold=0, score=99.0,
                                  reason=f"the local draft failed ({local_error.rstrip('.')})"))
    if requested:
        criteria.append(Criterion(name="requested", measured=1, threshold=0, score=99.0,
                                  reason="the clinician asked for the on-prem model"))
    return Difficulty(score=max(c.score for c in criteria), criteria=criteria)
