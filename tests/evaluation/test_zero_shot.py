"""The zero-shot baseline is scored like a draft but claims no evidence and no guard result."""

from __future__ import annotations

from ambientnote.config import load_settings
from ambientnote.evaluation.run import evaluate

DIALOGUE = """[doctor] what brings you in today?
[patient] i have had a sore throat and a fever for three days.
[doctor] okay, your throat looks red and your rapid strep test is positive.
[doctor] i'm going to prescribe amoxicillin for ten days."""
NOTE = "CHIEF COMPLAINT\n\nSore throat.\n\nASSESSMENT AND PLAN\n\nStrep pharyngitis. Amoxicillin for 10 days.\n"


def test_zero_shot_report_scores_free_text_without_evidence(tmp_path, note_model, write_aci_csv):
    data = write_aci_csv(tmp_path / "valid.csv", [("Z1", DIALOGUE, NOTE)])
    report = evaluate(data, cfg=load_settings(), model=note_model)
    scores = report.encounters[0]
    assert report.model.endswith("(zero-shot)")
    assert scores.tokens > 0 and scores.statements == 0 and scores.valid_evidence == 0
    assert 0.0 < scores.rouge["rouge1"] <= 100.0  # the model wrote something that was scored
