"""Assertion status of a clinical term in what was said: the defects a physician's review found, and the basics."""

from __future__ import annotations

import pytest

from ambientnote.facts.assertion import DEFAULT_BACKEND, assert_term, assert_terms
from ambientnote.facts.schema import Assertion


@pytest.mark.parametrize(
    ("sentence", "term", "previous", "expected"),
    [
        # reported: "There's no pneumonia" became "She has pneumonia."
        ("okay , good , and your chest x-ray looks fine , so we know that there's no pneumonia there .", "pneumonia",
         None, Assertion.denied),
        ("there's no pneumonia", "pneumonia", None, Assertion.denied),
        # reported: the patient's mother's hip replacement became the patient's
        ("my mother had a hip replacement", "hip replacement", None, Assertion.family),
        ("yes , i wanted to be extra cautious because skin cancer does run in my family .", "skin cancer", None,
         Assertion.family),
        # a short answer takes its term from the question
        ("no", "fever", "any fever?", Assertion.denied),
        ("nope .", "chills", "and any fever or chills ?", Assertion.denied),
        ("uh , yes .", "weakness", "have you noticed any weakness in your hand at all ?", Assertion.present),
        ("no .", "heart disease", "and any family history of any heart disease ?", Assertion.family),
        ("we'll rule out a fracture", "fracture", None, Assertion.possible),
        ("i had surgery on that knee years ago", "surgery", None, Assertion.historical),
        ("i've had chest pain for two weeks", "chest pain", None, Assertion.present),
        ("if you get a fever call me", "fever", None, Assertion.hypothetical),
        ("have you had any fever or chills ?", "fever", None, Assertion.unanswered),
        # a question that takes the term as given says it
        ("how's your back pain ?", "back pain", None, Assertion.present),
        # "can't catch my breath" says the breathlessness; it denies nothing (D2N063 read "Denies shortness of breath")
        ("when i try to be active i ca n't catch my breath and i feel like i'm wheezing .", "catch my breath", None,
         Assertion.present),
        ("i do n't have any trouble breathing .", "trouble breathing", None, Assertion.denied),
    ],
)
def test_assertion_of_a_term(sentence: str, term: str, previous: str | None, expected: Assertion) -> None:
    assert assert_term(sentence, term, previous=previous) is expected


def test_default_is_the_measured_better_backend() -> None:
    assert DEFAULT_BACKEND == "context"


def test_terms_of_one_sentence_are_judged_apart() -> None:
    terms = ["fever", "chills", "chest pain", "pain"]
    found = assert_terms("no fever , but i do have chills and some chest pain", terms)
    assert found == {"fever": Assertion.denied, "chills": Assertion.present, "chest pain": Assertion.present,
                     "pain": Assertion.present}


def test_a_term_not_said_is_not_qualified() -> None:
    assert assert_term("i feel fine today", "fever") is Assertion.present
    assert assert_terms("anything", []) == {}


def test_rules_backend_is_the_guards_negation() -> None:
    """The guard's rules deny what follows a negation word and answer a bare "no"; they know nothing else."""
    assert assert_term("there's no pneumonia", "pneumonia", backend="rules") is Assertion.denied
    assert assert_term("no", "fever", previous="any fever?", backend="rules") is Assertion.denied
    assert assert_term("my mother had a hip replacement", "hip replacement", backend="rules") is Assertion.present


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown assertion backend"):
        assert_term("no fever", "fever", backend="negex")  # type: ignore[arg-type]


def test_labelled_train_sentences_stay_above_the_measured_level() -> None:
    """The hand-labelled ACI-Bench/MTS-Dialog train sentences (docs/eval/assertion-valid.json: 0.94 accuracy)."""
    from ambientnote.evaluation.assertion_eval import load_cases

    cases = load_cases()
    right = sum(assert_term(c["sentence"], c["term"], previous=c.get("previous")).value == c["label"] for c in cases)
    assert len(cases) >= 300
    assert right / len(cases) >= 0.92


def test_what_is_had_after_a_denial_is_not_denied() -> None:
    from ambientnote.facts.assertion import assert_term

    said = "no fever some chills and i i just in so much pain i i ca n't eat and i do feel a little nauseous"
    assert [assert_term(said, t).value for t in ("fever", "chills", "nauseous")] == ["denied", "present", "present"]
