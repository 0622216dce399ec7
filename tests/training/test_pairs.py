"""Training pairs: drafted statements aligned to the clinician's sentences, never to invented facts."""

from __future__ import annotations

from ambientnote.training.pairs import aci_pairs, reference_sentences


def test_reference_sentences_drop_headings_and_bullet_labels():
    sentences = reference_sentences("CHIEF COMPLAINT\n\nKnee pain.\n\n• Medical Treatment: Rest and ice the knee.")
    assert sentences == ["Rest and ice the knee."]  # "Knee pain." is too short to teach anything


def test_pairs_align_spoken_words_to_note_sentences(aci_csv):
    pairs = list(aci_pairs(aci_csv))
    by_target = {p.target: p for p in pairs}
    assert "He twisted his knee playing soccer." in by_target
    assert "soccer" in by_target["He twisted his knee playing soccer."].source
    assert by_target["He twisted his knee playing soccer."].section == "history"
    exam = [p for p in pairs if "medial joint line" in p.target]
    assert exam and exam[0].section == "exam" and exam[0].source.startswith("Doctor:")


def test_a_note_sentence_with_a_dose_nobody_said_is_not_learned(aci_csv):
    targets = {p.target for p in aci_pairs(aci_csv)}
    assert "He takes ibuprofen 400 mg twice a day for the pain." in targets
    assert not any("800 mg" in t for t in targets)
