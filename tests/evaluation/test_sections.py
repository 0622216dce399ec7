"""Section-level evaluation reads MTS-Dialog's layout and scores every dialogue, empty drafts included."""

from __future__ import annotations

import csv

from ambientnote.datasets import is_mts_dialog
from ambientnote.evaluation.sections import evaluate_sections


def test_mts_layout_is_scored_per_section_header(tmp_path):
    data = tmp_path / "mts_valid.csv"
    with data.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "section_header", "section_text", "dialogue"])
        writer.writerow(["0", "MEDICATIONS", "The patient takes metformin 500 mg twice daily.",
                         "Doctor: What medicines do you take?\nPatient: I take metformin 500 mg twice a day."])
        writer.writerow(["1", "CC", "Cough.", "Doctor: Okay.\nPatient: Mm-hmm."])
    assert is_mts_dialog(data)
    report = evaluate_sections(data)
    assert report.encounters == 2 and set(report.by_header) == {"MEDICATIONS", "CC"}
    assert report.by_header["MEDICATIONS"]["rouge1"] > 30
    assert report.by_header["CC"]["rouge1"] == 0.0
