"""How well de-identification works on ACI-Bench-style transcripts: ``python -m ambientnote.evaluation.deid``.

Reference notes name the patient ("Brian White is a 58-year-old male"); each
such name that the conversation also says must be gone from the de-identified
transcript (name recall). Restoring must give back every turn exactly. The
report also counts placeholders per kind, so a site sees how much is masked.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from ambientnote.datasets import read_aci_bench
from ambientnote.router.deid import deidentify
from ambientnote.transcript.formats import parse_tagged_text

_PATIENT = re.compile(r"((?:[A-Z][a-z]+\.?\s+){0,3})is an?\s+\d+[- ]year[- ]old")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "the", "patient", "he", "she", "history", "of", "present",
                     "illness", "hpi"})


def reference_names(note: str) -> set[str]:
    """Lower-case name words the reference note gives the patient."""
    names: set[str] = set()
    for match in _PATIENT.finditer(note):
        for word in re.findall(r"[A-Za-z]+", match[1]):
            if word.lower() not in _TITLES and word[0].isupper():
                names.add(word.lower())
    return names


def measure(data: Path, limit: int | None = None) -> dict[str, object]:
    said = masked = exact = turns = 0
    kinds: dict[str, int] = {}
    missed: list[str] = []
    rows = read_aci_bench(data, limit)
    for row in rows:
        transcript = parse_tagged_text(row["dialogue"])
        hidden, deid = deidentify(transcript)
        for original, copy in zip(transcript.segments, hidden.segments, strict=True):
            turns += 1
            exact += deid.restore(copy.text) == original.text
        for kind, count in deid.counts().items():
            kinds[kind] = kinds.get(kind, 0) + count
        dialogue = " ".join(s.text.lower() for s in transcript.segments)
        left = " ".join(s.text.lower() for s in hidden.segments)
        for name in reference_names(row["note"]):
            if re.search(rf"\b{name}\b", dialogue):
                said += 1
                if re.search(rf"\b{name}\b", left):
                    missed.append(row.get("encounter_id", "?"))
                else:
                    masked += 1
    return {
        "encounters": len(rows),
        "patient_name_words_said": said,
        "patient_name_recall": masked / said if said else 1.0,
        "missed_in": missed,
        "restored_exactly": exact / turns if turns else 1.0,
        "placeholders_per_encounter": {k: round(v / len(rows), 2) for k, v in sorted(kinds.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="ACI-Bench-style CSV (dialogue, note).")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.data, args.limit), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
