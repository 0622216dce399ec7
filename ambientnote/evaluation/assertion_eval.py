"""Assertion backends side by side: medspaCy ConText against the guard's negation rules.

    python -m ambientnote.evaluation.assertion_eval --data VALID.csv --out docs/eval/assertion-valid.json

Two measurements, for each backend of ``ambientnote.facts.assertion``:

1. The guard's negation perturbations (``guard_eval.build_set`` on ``--data``, validation): each drafted
   statement and its negation-flipped copy. The guard's negation check is rerun with the backend deciding
   which words a sentence denies (statement and cited turns, a short answer read with its question);
   a good backend flags the flipped copies and leaves the faithful statements alone. With the
   ``rules`` backend this is the guard's own check (the report counts any disagreement).
2. Hand-labelled sentences from ACI-Bench and MTS-Dialog *train* dialogues
   (``tests/facts/data/assertion_cases.jsonl``, README beside it): accuracy per class, macro-F1,
   per source and per half (``tune``: the half looked at while writing the conversation rules; ``check``:
   the half not looked at).

Speed is seconds per 1,000 sentences on this machine, after the pipeline is loaded (load time apart).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ambientnote.evaluation.guard_eval import build_set
from ambientnote.facts.assertion import BACKENDS, DEFAULT_BACKEND, Backend, assert_term, assert_terms
from ambientnote.facts.schema import Assertion
from ambientnote.language.negation import _words
from ambientnote.notes.guard import _NEGATION, _negation_mismatch

CASES = Path(__file__).resolve().parents[2] / "tests" / "facts" / "data" / "assertion_cases.jsonl"
DENIED = Assertion.denied


def load_cases(path: Path = CASES) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if "label" in r]


# ------------------------------------------------------------------------------- 1. negation perturbations


def negation_flag(text: str, segments: list, backend: Backend) -> bool:
    """The guard's negation check (``check_statement``) with ``backend`` deciding what is denied."""
    source = " ".join(s.text for s in segments)
    if _NEGATION.search(text) and not _NEGATION.search(source):
        return True  # a negation word where the conversation has none: the same for every backend
    targets = sorted(_words(text))
    if not targets:
        return False
    stated = {w for w, a in assert_terms(text, targets, backend=backend).items() if a is DENIED}
    said: set[str] = set()
    for n, seg in enumerate(segments):
        previous = segments[n - 1].text if n else None
        said |= {w for w, a in assert_terms(seg.text, targets, previous=previous, backend=backend).items()
                 if a is DENIED}
    if stated & _words(source) and not stated & said:
        return True
    return not stated and len((set(targets) - stated) & said) >= 2


def measure_perturbations(examples: list[dict], backend: Backend) -> dict:
    counts: Counter[tuple[str, bool]] = Counter()
    disagree = sentences = 0
    start = time.perf_counter()
    for ex in examples:
        flagged = negation_flag(ex["text"], ex["segments"], backend)
        sentences += 1 + len(ex["segments"])
        counts[(ex["kind"], flagged)] += 1
        if backend == "rules":  # must be the guard itself
            source = " ".join(s.text for s in ex["segments"])
            guard = bool(_NEGATION.search(ex["text"]) and not _NEGATION.search(source))
            disagree += (guard or bool(_negation_mismatch(ex["text"], ex["segments"], source))) != flagged
    seconds = time.perf_counter() - start
    flipped = counts[("negation", True)] + counts[("negation", False)]
    faithful = counts[("faithful", True)] + counts[("faithful", False)]
    tp, fp = counts[("negation", True)], counts[("faithful", True)]
    out = {
        "faithful": faithful,
        "negation_flipped": flipped,
        "recall_on_flipped": round(tp / max(flipped, 1), 3),
        "false_flag_rate_on_faithful": round(fp / max(faithful, 1), 3),
        "precision": round(tp / max(tp + fp, 1), 3),
        "seconds_per_1000_sentences": round(1000 * seconds / max(sentences, 1), 2),
    }
    if backend == "rules":
        out["disagreements_with_guard"] = disagree
    return out


# ---------------------------------------------------------------------------------- 2. labelled sentences


def _scores(gold: list[str], pred: list[str]) -> dict:
    classes = sorted(set(gold))
    per_class, f1s = {}, []
    for c in classes:
        tp = sum(g == p == c for g, p in zip(gold, pred, strict=True))
        n_gold, n_pred = gold.count(c), pred.count(c)
        recall, precision = tp / n_gold, tp / n_pred if n_pred else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        per_class[c] = {"n": n_gold, "accuracy": round(recall, 3), "precision": round(precision, 3), "f1": round(f1, 3)}
    return {
        "n": len(gold),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1), 3),
        "macro_f1": round(sum(f1s) / max(len(f1s), 1), 3),
        "per_class": per_class,
    }


def measure_cases(cases: list[dict], backend: Backend) -> dict:
    start = time.perf_counter()
    pred = [assert_term(c["sentence"], c["term"], previous=c.get("previous"), backend=backend).value for c in cases]
    seconds = time.perf_counter() - start
    gold = [c["label"] for c in cases]
    out = _scores(gold, pred)
    for key in ("split", "source"):
        groups = defaultdict(list)
        for n, c in enumerate(cases):
            groups[c[key]].append(n)
        out[f"by_{key}"] = {g: {k: v for k, v in _scores([gold[i] for i in ix], [pred[i] for i in ix]).items()
                                if k != "per_class"} for g, ix in sorted(groups.items())}
    # denied against everything else: the only distinction the guard's rules can make
    tp = sum(g == p == "denied" for g, p in zip(gold, pred, strict=True))
    out["denied_vs_rest"] = {"precision": round(tp / max(pred.count("denied"), 1), 3),
                             "recall": round(tp / max(gold.count("denied"), 1), 3)}
    pairs = Counter(zip(gold, pred, strict=True))
    out["confusion"] = {f"{g} -> {p}": n for (g, p), n in sorted(pairs.items()) if g != p}
    out["seconds_per_1000_sentences"] = round(1000 * seconds / max(len(cases), 1), 2)
    out["_pred"] = pred
    return out


def _versions() -> dict[str, str]:
    found = {}
    for name in ("medspacy", "spacy"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def _load_seconds(backend: Backend) -> float:
    start = time.perf_counter()
    assert_term("no chest pain", "chest pain", backend=backend)
    return round(time.perf_counter() - start, 2)


def run(data: Path, cases_path: Path = CASES, backends: Iterable[Backend] = BACKENDS) -> dict:
    cases = load_cases(cases_path)
    examples = [ex for ex in build_set(data) if ex["kind"] in ("faithful", "negation")]
    report: dict = {"default_backend": DEFAULT_BACKEND, "perturbation_data": str(data),
                    "labelled_cases": str(cases_path.name), "versions": _versions(), "cpus": os.cpu_count(),
                    "note": "load_seconds of the first ConText backend includes importing spaCy and medspaCy",
                    "backends": {}}
    for backend in backends:
        load = _load_seconds(backend)
        labelled = measure_cases(cases, backend)
        labelled.pop("_pred")
        report["backends"][backend] = {"load_seconds": load, "labelled": labelled,
                                       "perturbations": measure_perturbations(examples, backend)}
    return report


def table(report: dict) -> str:
    classes = ["present", "denied", "family", "historical", "possible", "hypothetical", "unanswered"]
    head = ("| backend | " + " | ".join(classes) + " | accuracy | macro-F1 | check half macro-F1 "
            "| flipped negation recall | false flags on faithful | s / 1,000 sentences |")
    rows = [head, "|" + "---|" * (len(classes) + 7)]
    for name, r in report["backends"].items():
        lab, per = r["labelled"], r["labelled"]["per_class"]
        cells = [f"{per[c]['accuracy']:.2f}" if c in per else "" for c in classes]
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {lab['accuracy']:.3f} | {lab['macro_f1']:.3f} | "
                    f"{lab['by_split'].get('check', {}).get('macro_f1', float('nan')):.3f} | "
                    f"{r['perturbations']['recall_on_flipped']:.3f} | "
                    f"{r['perturbations']['false_flag_rate_on_faithful']:.3f} | "
                    f"{lab['seconds_per_1000_sentences']:.1f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="ACI-Bench CSV for the guard's perturbations")
    parser.add_argument("--cases", type=Path, default=CASES, help="labelled assertion cases (JSONL)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--errors", choices=BACKENDS, help="also print the labelled cases this backend gets wrong")
    args = parser.parse_args(argv)
    report = run(args.data, args.cases)
    report["table"] = table(report)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(report["table"])
    if args.errors:
        cases = load_cases(args.cases)
        pred = measure_cases(cases, args.errors)["_pred"]
        for c, p in zip(cases, pred, strict=True):
            if p != c["label"]:
                print(f"[{c['split']}] {c['label']} -> {p} | {c['term']} | {c.get('previous', '')} || {c['sentence']}")


if __name__ == "__main__":
    main()
