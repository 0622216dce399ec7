"""Build ``models/roles/role_lexicon.json`` from the ACI-Bench train split (never valid/test).

    python -m ambientnote.training.roles /path/to/aci-bench/train.csv

Naive Bayes with add-one smoothing over the tokens of ``[doctor]`` and
``[patient]`` turns; tokens seen fewer than ``MIN_COUNT`` times are dropped so
the artifact stays small (tens of KB) and holds no rare words (names).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

from ambientnote.datasets import read_aci_bench
from ambientnote.speakers.roles import lexicon_path, tokens

MIN_COUNT = 5
_LINE = re.compile(r"^\[(doctor|patient)\]\s*(.*)$")


def count_tokens(train_csv: Path) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {"doctor": Counter(), "patient": Counter()}
    for row in read_aci_bench(train_csv):
        for line in row["dialogue"].splitlines():
            match = _LINE.match(line.strip())
            if match:
                counts[match[1]].update(tokens(match[2]))
    return counts


def build_lexicon(counts: dict[str, Counter[str]]) -> dict[str, float]:
    doc, pat = counts["doctor"], counts["patient"]
    vocab = [t for t in set(doc) | set(pat) if doc[t] + pat[t] >= MIN_COUNT]
    n_doc = sum(doc[t] for t in vocab) + len(vocab)
    n_pat = sum(pat[t] for t in vocab) + len(vocab)
    return {t: round(math.log((doc[t] + 1) / n_doc) - math.log((pat[t] + 1) / n_pat), 3) for t in sorted(vocab)}


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit("usage: python -m ambientnote.training.roles PATH/TO/aci-bench/train.csv")
    source = Path(argv[0])
    if "train" not in source.name:
        raise SystemExit("Only a train split may be used to build the role lexicon.")
    counts = count_tokens(source)
    weights = build_lexicon(counts)
    out = lexicon_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "source": "ACI-Bench train split (dialogue turns tagged [doctor]/[patient])",
        "method": "naive Bayes log-odds doctor vs patient, add-one smoothing",
        "min_count": MIN_COUNT,
    }
    out.write_text(json.dumps({**meta, "weights": weights}, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {len(weights)} tokens")


if __name__ == "__main__":
    main(sys.argv[1:])
