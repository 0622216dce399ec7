"""Section-level evaluation on MTS-Dialog: a short conversation and the one note section it yields.

A short MTS-Dialog conversation covers one section (history, medications,
family/social history, assessment…); the draft's statements, without headings,
are scored against that section's reference text, overall and per section header.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from ambientnote.datasets import read_mts_dialog
from ambientnote.errors import InputError
from ambientnote.evaluation.metrics import ROUGE_TYPES, rouge
from ambientnote.notes.draft import COMPOSER, draft_note
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.transcript.formats import parse_tagged_text


class SectionReport(BaseModel):
    data: str
    model: str
    encounters: int
    overall: dict[str, float]
    by_header: dict[str, dict[str, float]]
    seconds_per_dialogue: float


def evaluate_sections(
    data: Path, *, limit: int | None = None, on_progress: ProgressCallback = no_progress
) -> SectionReport:
    rows = read_mts_dialog(data, limit)
    if not rows:
        raise InputError(f"{data} holds no dialogues.")
    scores: dict[str, list[dict[str, float]]] = defaultdict(list)
    seconds = []
    for n, row in enumerate(rows):
        on_progress(n, len(rows), f"drafting {row.get('ID', n + 1)}")
        try:
            note, stats = draft_note(parse_tagged_text(row["dialogue"]))
            text = "\n".join(st.text for _, _, st in note.statements())
            seconds.append(stats.seconds)
        except InputError:  # a dialogue with nothing to draft scores zero, it is not skipped
            text = ""
        scores[row["section_header"]].append(rouge(text, row["section_text"]))
    on_progress(len(rows), len(rows), "evaluated")

    def mean(items: list[dict[str, float]]) -> dict[str, float]:
        return {k: round(statistics.fmean(s[k] for s in items), 2) for k in ROUGE_TYPES} | {"n": len(items)}

    everything = [s for group in scores.values() for s in group]
    return SectionReport(
        data=str(data), model=COMPOSER, encounters=len(rows), overall=mean(everything),
        by_header={h: mean(v) for h, v in sorted(scores.items())},
        seconds_per_dialogue=round(statistics.fmean(seconds), 2) if seconds else 0.0,
    )


def markdown_sections(report: SectionReport) -> str:
    lines = ["| section | n | ROUGE-1 | ROUGE-2 | ROUGE-L |", "|---|---|---|---|---|"]
    for header, s in [("all", report.overall), *report.by_header.items()]:
        lines.append(f"| {header} | {int(s['n'])} | {s['rouge1']:.1f} | {s['rouge2']:.1f} | {s['rougeL']:.1f} |")
    return "\n".join(lines) + "\n"
