"""Which drafted statements belong in a note: a small learned scorer.

A conversation says far more than a note keeps (greetings, logistics, asides);
notes drafted from every turn run twice as long as clinicians' notes. A logistic
model over the statement's words and shape, trained on ACI-Bench train only
(``python -m ambientnote.notes.train_salience``), scores how likely a statement's
content is to appear in the clinician's note; statements below the threshold
(chosen on the validation split) are left out of the draft, never rewritten.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ambientnote.notes.rephrase import Candidate
from ambientnote.notes.terms import find_terms
from ambientnote.paths import models_dir
from ambientnote.transcript import Segment, Transcript

_WORD = re.compile(r"[a-z]+")


def salience_path() -> Path:
    return models_dir() / "drafting" / "salience.json"


def features(candidate: Candidate, phase: str, source: Segment | None, position: float) -> list[str]:
    """Sparse binary features: words, phase, statement kind, speaker, length, numbers, drugs, position."""
    words = candidate.text.lower()
    n = len(words.split())
    feats = {f"w={w}" for w in _WORD.findall(words)}
    feats |= {
        f"phase={phase}",
        f"kind={candidate.kind}",
        f"speaker={source.role.value if source else 'none'}",
        f"len={min(n // 6, 5)}",
        f"pos={min(int(position * 5), 4)}",
        "bias",
    }
    if re.search(r"\d", words):
        feats.add("has_number")
    if find_terms(words, "medications"):
        feats.add("has_medication")
    return sorted(feats)


@dataclass
class SalienceModel:
    weights: dict[str, float]
    threshold: float

    def score(self, feats: list[str]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@lru_cache(maxsize=1)
def load_salience() -> SalienceModel | None:
    path = salience_path()
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return SalienceModel(weights=data["weights"], threshold=float(data["threshold"]))


def salient(
    candidates: list[Candidate], phase: str, transcript: Transcript, model: SalienceModel | None = None
) -> list[Candidate]:
    """The candidates worth a place in the note, in order.

    A statement naming a medication is always kept (a dropped drug is a dangerous
    omission), and a phase with any candidates keeps at least its best one.
    """
    model = model or load_salience()
    if not candidates or model is None:
        return candidates
    by_id = transcript.by_id()
    index = {s.id: n for n, s in enumerate(transcript.segments)}
    total = max(len(transcript.segments), 1)
    scores = [
        model.score(features(c, phase, by_id.get(c.evidence[0]), index.get(c.evidence[0], 0) / total))
        for c in candidates
    ]
    kept = [c for c, s in zip(candidates, scores) if s >= model.threshold or find_terms(c.text, "medications")]
    return kept or [candidates[scores.index(max(scores))]]
