"""The note writer's training prompt names the section and carries the speaker-labelled words."""

from __future__ import annotations

from ambientnote.training.prompt import rewrite_messages


def test_the_prompt_names_the_section_and_carries_the_spoken_words():
    messages = rewrite_messages("review", "Doctor: any fever?\nPatient: no.")
    assert messages[0]["role"] == "system"
    assert "REVIEW OF SYSTEMS" in messages[1]["content"] and "Patient: no." in messages[1]["content"]
