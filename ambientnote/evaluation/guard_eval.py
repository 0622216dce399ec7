"""How well the hallucination guard catches invented facts: precision and recall on a labelled set.

    python -m ambientnote.evaluation.guard_eval --data VALID.csv --out guard.json

The set is built from the validation visits: every drafted statement with its
evidence is a faithful example, and each is perturbed the ways a model invents
(a wrong number or dose, a flipped negation, a swapped side, an invented drug or problem)
to make unfaithful ones. The guard should flag exactly the perturbed ones.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ambientnote.datasets import read_aci_bench
from ambientnote.language.phases import segments_by_phase
from ambientnote.language.terms import find_terms, load_terms
from ambientnote.notes.guard import check_statement, context_segments
from ambientnote.notes.rephrase import rephrase
from ambientnote.notes.schema import Statement
from ambientnote.transcript.formats import parse_tagged_text

_NEGATED = re.compile(r"\b(denies|does not|did not|is not|has not|no|not)\b", re.I)
_FLIP = {"denies": "endorses", "does not": "does", "did not": "did", "is not": "is", "has not": "has",
         "no": "some", "not": ""}

Perturbation = Callable[[str, random.Random], str | None]  # a statement changed, or None: nothing to change


def _number(text: str, rng: random.Random) -> str | None:
    numbers = re.findall(r"\b\d+(?:\.\d+)?\b", text)
    if not numbers:
        return None
    old = rng.choice(numbers)
    new = str(int(float(old)) * 2 + 5)
    return re.sub(rf"\b{re.escape(old)}\b", new, text, count=1)


def _negation(text: str, rng: random.Random) -> str | None:
    match = _NEGATED.search(text)
    if match:  # remove a negation the conversation had
        return (text[: match.start()] + _FLIP[match[0].lower()] + text[match.end():]).replace("  ", " ")
    return f"Denies {text[0].lower()}{text[1:]}" if len(text.split()) > 2 else None


def _side(text: str, rng: random.Random) -> str | None:
    if not re.search(r"\b(left|right)\b", text, re.I):
        return None
    return re.sub(r"\b(left|right)\b", lambda m: "right" if m[0].lower() == "left" else "left", text, flags=re.I)


def _invented_term(terms: str, template: str) -> Perturbation:
    """A perturbation that swaps a named term of the list for another, or adds one nobody said."""
    def perturb(text: str, rng: random.Random) -> str | None:
        named = find_terms(text, terms)
        # never a term that contains or is contained in one already there ("heart failure" in "congestive …")
        choices = sorted(t for t in load_terms(terms) if not any(t in n or n in t for n in named))
        term = rng.choice(choices)
        if named:
            old = max(sorted(named), key=len)
            return re.sub(rf"\b{re.escape(old)}\b", term, text, count=1, flags=re.I)
        return template.format(text=text.rstrip("."), term=term)
    return perturb


PERTURBATIONS: dict[str, Perturbation] = {"number": _number, "negation": _negation, "side": _side,
                 "drug": _invented_term("medications", "{text} and takes {term}."),
                 "problem": _invented_term("problems", "{text}, with a history of {term}.")}


def build_set(data: Path, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    examples = []
    for row in read_aci_bench(data):
        transcript = parse_tagged_text(row["dialogue"])
        for segments in segments_by_phase(transcript).values():
            for cand in rephrase(segments):
                evidence = context_segments(transcript, cand.evidence)
                base = {"evidence": cand.evidence, "segments": evidence}
                examples.append({"kind": "faithful", "text": cand.text, **base})
                for kind, perturb in PERTURBATIONS.items():
                    changed = perturb(cand.text, rng)
                    if changed and changed != cand.text:
                        examples.append({"kind": kind, "text": changed, **base})
    return examples


def measure(examples: list[dict]) -> dict:
    counts: Counter[tuple[str, bool]] = Counter()
    for ex in examples:
        flagged = bool(check_statement(Statement(text=ex["text"], evidence=ex["evidence"]), ex["segments"]))
        counts[(ex["kind"], flagged)] += 1
    flagged_bad = sum(n for (kind, f), n in counts.items() if f and kind != "faithful")
    flagged_good = counts[("faithful", True)]
    bad = sum(n for (kind, _), n in counts.items() if kind != "faithful")
    recall_by_kind = {
        kind: round(counts[(kind, True)] / max(counts[(kind, True)] + counts[(kind, False)], 1), 3)
        for kind in PERTURBATIONS
    }
    return {
        "examples": len(examples),
        "unfaithful": bad,
        "precision": round(flagged_bad / max(flagged_bad + flagged_good, 1), 3),
        "recall": round(flagged_bad / max(bad, 1), 3),
        "false_flag_rate_on_faithful": round(flagged_good / max(flagged_good + counts[("faithful", False)], 1), 3),
        "recall_by_perturbation": recall_by_kind,
        "count_by_perturbation": {k: counts[(k, True)] + counts[(k, False)] for k in PERTURBATIONS},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = measure(build_set(args.data))
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
