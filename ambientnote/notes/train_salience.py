"""Train ``models/drafting/salience.json`` on ACI-Bench train; pick its threshold on validation.

    python -m ambientnote.notes.train_salience --train TRAIN.csv --valid VALID.csv

Each rule-drafted statement of a training visit is labelled by how much of its
content the clinician's reference note contains; an L2-regularised logistic
model learns that share. The threshold is the one that gives the best mean
ROUGE-1 of the drafted statements on the validation visits. Test splits are never read.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter
from pathlib import Path

import numpy as np

from ambientnote.evaluation.metrics import rouge
from ambientnote.evaluation.run import load_encounters
from ambientnote.notes.phases import segments_by_phase
from ambientnote.notes.rephrase import Candidate, rephrase
from ambientnote.notes.salience import SalienceModel, features, salience_path, salient
from ambientnote.notes.tasks import content_words
from ambientnote.transcript import Transcript
from ambientnote.transcript.formats import parse_tagged_text

MIN_COUNT = 3


def visit_candidates(dialogue: str) -> tuple[Transcript, dict[str, list[Candidate]]]:
    """The visit's transcript and its rule-drafted statements by phase, as drafting makes them."""
    transcript = parse_tagged_text(dialogue)
    return transcript, {phase: rephrase(segs) for phase, segs in segments_by_phase(transcript).items()}


def visit_statements(dialogue: str) -> list[tuple[str, list[str]]]:
    """(statement text, features) for every rule-drafted statement of one visit."""
    transcript, by_phase = visit_candidates(dialogue)
    by_id = transcript.by_id()
    index = {s.id: n for n, s in enumerate(transcript.segments)}
    total = max(len(transcript.segments), 1)
    return [
        (c.text, features(c, phase, by_id.get(c.evidence[0]), index.get(c.evidence[0], 0) / total))
        for phase, cands in by_phase.items()
        for c in cands
    ]


def _label(text: str, reference: set[str]) -> float:
    words = content_words(text)
    return len(words & reference) / len(words) if words else 0.0


def fit(samples: list[tuple[list[str], float]], l2: float = 1.0, epochs: int = 300) -> dict[str, float]:
    counts = Counter(f for feats, _ in samples for f in feats)
    vocab = sorted(f for f, c in counts.items() if c >= MIN_COUNT or not f.startswith("w="))
    column = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(samples), len(vocab)), dtype=np.float32)
    for row, (feats, _) in enumerate(samples):
        x[row, [column[f] for f in feats if f in column]] = 1.0
    y = np.array([label for _, label in samples], dtype=np.float32)
    w = np.zeros(len(vocab), dtype=np.float32)
    rate = 0.5
    for _ in range(epochs):  # full-batch gradient descent on soft-label logistic loss
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(y) + l2 * w / len(y)
        w -= rate * grad
    return {f: round(float(w[i]), 4) for f, i in column.items() if abs(w[i]) > 1e-4}


def choose_threshold(weights: dict[str, float], valid: list[dict[str, str]]) -> tuple[float, dict[float, float]]:
    """The threshold with the best mean validation ROUGE-1 of the statements drafting would keep."""
    visits = [(visit_candidates(r["dialogue"]), r["note"]) for r in valid]
    curve = {}
    for t in np.arange(0.0, 0.65, 0.05):
        model = SalienceModel(weights=weights, threshold=float(t))
        scores = []
        for (transcript, by_phase), reference in visits:
            kept = [c.text for phase, cands in by_phase.items() for c in salient(cands, phase, transcript, model)]
            scores.append(rouge("\n".join(kept), reference)["rouge1"])
        curve[round(float(t), 2)] = round(statistics.fmean(scores), 2)
    best = max(curve, key=curve.get)
    return best, curve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--valid", type=Path, required=True)
    args = parser.parse_args(argv)
    if "train" not in args.train.name or "valid" not in args.valid.name:
        raise SystemExit("Train on a train split and choose the threshold on a validation split only.")
    samples = []
    for row in load_encounters(args.train):
        reference = content_words(row["note"])
        samples += [(feats, _label(text, reference)) for text, feats in visit_statements(row["dialogue"])]
    weights = fit(samples)
    threshold, curve = choose_threshold(weights, load_encounters(args.valid))
    out = salience_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "source": "ACI-Bench train split (statements labelled by content-word overlap with the reference note)",
        "method": "L2 logistic regression on word and shape features; threshold by validation ROUGE-1",
        "train_statements": len(samples),
        "validation_rouge1_by_threshold": curve,
        "threshold": threshold,
    }
    out.write_text(json.dumps({**meta, "weights": weights}, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {len(weights)} weights, threshold {threshold}, validation ROUGE-1 curve {curve}")


if __name__ == "__main__":
    main()
