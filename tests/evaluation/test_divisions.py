"""ACI-Bench's division files beside the CSV give per-division scores; problems are scored like drugs."""

from __future__ import annotations

import json

from ambientnote.config import load_settings
from ambientnote.evaluation.run import evaluate, markdown_summary

DIALOGUE = """[doctor] what brings you in today?
[patient] my asthma has been worse, i've been wheezing at night.
[patient] i use my albuterol inhaler about three times a week.
[doctor] okay, on exam, i hear some wheezing in both lungs.
[doctor] so for your asthma, i'm going to start you on fluticasone, one puff twice a day."""
NOTE = ("CHIEF COMPLAINT\n\nAsthma.\n\nHISTORY OF PRESENT ILLNESS\n\nThe patient reports wheezing at night. "
        "She uses her albuterol inhaler about three times a week.\n\nPHYSICAL EXAM\n\nWheezing in both lungs.\n\n"
        "ASSESSMENT AND PLAN\n\nAsthma. Start fluticasone one puff twice a day.\n")
DIVISIONS = {
    "subjective": "CHIEF COMPLAINT\n\nAsthma.\n\nHISTORY OF PRESENT ILLNESS\n\nThe patient reports wheezing at night. "
                  "She uses her albuterol inhaler about three times a week.",
    "objective_exam": "PHYSICAL EXAM\n\nWheezing in both lungs.",
    "objective_results": "",
    "assessment_and_plan": "ASSESSMENT AND PLAN\n\nAsthma. Start fluticasone one puff twice a day.",
}


def test_eval_scores_each_division_and_problems(tmp_path, write_aci_csv):
    data = write_aci_csv(tmp_path / "valid.csv", [("T1", DIALOGUE, NOTE)])
    for division, text in DIVISIONS.items():
        item = {"src": DIALOGUE, "tgt": text, "file": f"T1-test-{division}"}
        (tmp_path / f"valid_{division}.json").write_text(json.dumps({"data": [item]}))
    report = evaluate(data, cfg=load_settings())
    scores = report.encounters[0]
    assert set(scores.divisions) == {"subjective", "objective_exam", "assessment_and_plan"}  # empty one skipped
    assert scores.divisions["objective_exam"]["rouge1"] > 30  # the exam finding lands in the exam division
    assert report.summary["problem_recall"] == 1.0  # asthma
    assert report.summary["medication_recall"] == 1.0  # albuterol, fluticasone
    table = markdown_summary(report)
    assert "| objective exam | 1 |" in table and "objective results" not in table


def test_without_division_files_there_are_no_division_scores(tmp_path, write_aci_csv):
    data = write_aci_csv(tmp_path / "other.csv", [("T1", DIALOGUE, NOTE)])
    report = evaluate(data, cfg=load_settings())
    assert report.encounters[0].divisions == {} and "subjective_n" not in report.summary
