"""The note writer's answers are kept only when the guard and the cited words support them."""

from __future__ import annotations

from ambientnote.notes.llm import NoteModel
from ambientnote.notes.rephrase import Candidate
from ambientnote.notes.rewrite import acceptable, rewrite, rewrite_messages
from ambientnote.transcript import Role, Segment

EVIDENCE = [
    Segment(id="s1", start=0.0, end=2.0, speaker="A", role=Role.clinician, text="are you taking anything for it?"),
    Segment(id="s2", start=2.0, end=5.0, speaker="B", role=Role.patient,
            text="yes, i take ibuprofen 400 mg twice a day for my right knee."),
]
IDS = ["s1", "s2"]


def test_a_faithful_rewrite_is_kept():
    assert acceptable("The patient takes ibuprofen 400 mg twice a day for the right knee.", IDS, EVIDENCE)


def test_rewrites_that_change_a_fact_or_read_as_dialogue_are_refused():
    assert not acceptable("The patient takes ibuprofen 800 mg twice a day for the right knee.", IDS, EVIDENCE)
    assert not acceptable("The patient takes ibuprofen 400 mg twice a day for the left knee.", IDS, EVIDENCE)
    assert not acceptable("The patient takes naproxen 400 mg twice a day for the right knee.", IDS, EVIDENCE)
    assert not acceptable("Patient: I take ibuprofen 400 mg twice a day.", IDS, EVIDENCE)
    assert not acceptable("The patient was referred to cardiology for palpitations and syncope.", IDS, EVIDENCE)
    assert not acceptable("I take ibuprofen 400 mg twice a day for my right knee.", IDS, EVIDENCE,
                          "Patient: i take ibuprofen 400 mg twice a day for my right knee.")


def test_a_rewrite_that_drops_a_drug_or_dose_of_the_rule_sentence_is_refused():
    rule = "The patient takes ibuprofen 400 mg twice a day for their right knee."
    assert acceptable("The patient takes ibuprofen 400 mg twice a day for the right knee.", IDS, EVIDENCE,
                      replaced=rule)
    assert not acceptable("The patient takes a pain medicine for the right knee.", IDS, EVIDENCE, replaced=rule)
    assert not acceptable("The patient takes ibuprofen twice a day for the right knee.", IDS, EVIDENCE, replaced=rule)


def test_a_model_without_the_note_writer_is_never_asked():
    class NoCalls:
        def create_chat_completion(self, **_):  # pragma: no cover - failing here is the test failing
            raise AssertionError("the stock model was asked to rewrite")

    stock = NoteModel(llm=NoCalls(), name="stock", n_ctx=2048)
    candidate = Candidate(text="The patient takes ibuprofen.", evidence=IDS, kind="narrative",
                          source="Patient: i take ibuprofen 400 mg twice a day.")
    assert rewrite(stock, "history", candidate, EVIDENCE) is None


def test_the_prompt_names_the_section_and_carries_the_spoken_words():
    messages = rewrite_messages("review", "Doctor: any fever?\nPatient: no.")
    assert messages[0]["role"] == "system"
    assert "REVIEW OF SYSTEMS" in messages[1]["content"] and "Patient: no." in messages[1]["content"]
