"""The dev-set report: runs merge into one table, and the hand-written reading survives a new run."""

from __future__ import annotations

import json
from pathlib import Path

from ambientnote.evaluation.asr import write_report


def _row(label: str, wer: float, rtf: float | None) -> dict:
    return {"label": label, "system": "pipeline:base", "policy": None, "variant": "telephone", "visits": 8,
            "wer": wer, "drug_recall": "4/6", "number_recall": "12/16", "role_accuracy": 0.97,
            "turn_role_accuracy": 0.94, "merged_turns": "4/92", "inserted_pct": 4.8, "invented_turns": 0,
            "invented": [], "rtf": rtf, "cpu_per_s": 0.4 if rtf else None}


def test_before_and_after_share_one_table_and_the_reading_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "asr-devset.json"
    write_report(out, [_row("before", 0.337, 0.45)])
    markdown = out.with_suffix(".md")
    markdown.write_text(markdown.read_text() + "\n## Reading\n\nTelephone is the hard case.\n")
    write_report(out, [_row("after", 0.301, 0.35)])
    write_report(out, [_row("before", 0.330, None)])  # rescored: keeps the speed it was measured at

    rows = {r["label"]: r for r in json.loads(out.read_text())["rows"]}
    assert rows["before"]["wer"] == 0.330 and rows["before"]["rtf"] == 0.45 and rows["after"]["wer"] == 0.301
    text = markdown.read_text()
    assert "| telephone | before | pipeline:base | 0.330 |" in text and "| telephone | after |" in text
    assert text.count("## Reading") == 1 and text.rstrip().endswith("Telephone is the hard case.")
