"""The two public corpora the project measures and trains on, read in one place.

ACI-Bench holds one visit per row (columns ``dialogue`` and ``note``, plus ``encounter_id``); MTS-Dialog holds
one note section per row (``section_header``, ``section_text``, ``dialogue``, plus ``ID``). Evaluation,
training and the benchmark all read them, so the layout checks and the one sentence a user reads when a file
is wrong live here, below every package that uses them. Dialogues are long: ``csv``'s default field limit
(128 KiB) is lifted once, for every reader.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from ambientnote.errors import InputError

csv.field_size_limit(sys.maxsize)

ACI_BENCH_COLUMNS = frozenset({"dialogue", "note"})
MTS_DIALOG_COLUMNS = frozenset({"dialogue", "section_text", "section_header"})


def _rows(path: Path) -> list[dict[str, str]]:
    """Every row of ``path`` as a dictionary; an unreadable file is one sentence, not a traceback."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError(f"The evaluation data {path} cannot be read ({exc.strerror}).") from exc


def read_aci_bench(path: Path, limit: int | None = None) -> list[dict[str, str]]:
    """The visits of an ACI-Bench-style CSV (the first ``limit`` only, when given); refused in another layout."""
    rows = _rows(path)
    if not rows or not ACI_BENCH_COLUMNS <= set(rows[0]):
        raise InputError(f"{path} is not in ACI-Bench's layout (columns 'dialogue' and 'note').")
    return rows[:limit] if limit else rows


def is_mts_dialog(path: Path) -> bool:
    """Whether ``path`` is in MTS-Dialog's layout (its header names a section and its text)."""
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle), [])
    return MTS_DIALOG_COLUMNS <= set(header)


def read_mts_dialog(path: Path, limit: int | None = None) -> list[dict[str, str]]:
    """The note sections of an MTS-Dialog-style CSV (the first ``limit`` only, when given)."""
    return _rows(path)[:limit]
