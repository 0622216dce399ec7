"""The guard flags statements their evidence does not support."""

from __future__ import annotations

import pytest

from ambientnote.notes.guard import check_statement
from ambientnote.notes.schema import Statement
from ambientnote.transcript import Role, Segment

EVIDENCE = [
    Segment(id="s1", role=Role.clinician, text="any chest pain ?"),
    Segment(id="s2", role=Role.patient, text="no . but my left knee has been swollen for two weeks ."),
    Segment(id="s3", role=Role.clinician, text="let's start lisinopril 10 mg once a day ."),
]


def _flags(text: str) -> list[str]:
    return check_statement(Statement(text=text, evidence=["s2"]), EVIDENCE)


@pytest.mark.parametrize(
    "faithful",
    ["Denies chest pain.", "Left knee swollen for two weeks.", "Start lisinopril 10 mg daily."],
)
def test_faithful_statements_pass(faithful):
    assert _flags(faithful) == []


@pytest.mark.parametrize(
    ("perturbed", "reason"),
    [
        ("Start lisinopril 20 mg daily.", "number"),
        ("Right knee swollen for two weeks.", "side"),
        ("Start metformin 10 mg daily.", "medication"),
        ("Left knee swollen for three weeks.", "number"),
        ("Left knee swollen for two weeks, with a history of gout.", "problem"),
    ],
)
def test_perturbed_statements_are_flagged(perturbed, reason):
    assert any(reason in flag for flag in _flags(perturbed))


def test_invented_negation_is_flagged():
    evidence = [Segment(id="s1", role=Role.patient, text="i have a cough at night .")]
    flags = check_statement(Statement(text="Denies cough.", evidence=["s1"]), evidence)
    assert any("negation" in f for f in flags)


def test_a_dropped_negation_is_flagged():
    evidence = [Segment(id="s1", role=Role.patient, text="i have no chest pain at all .")]
    assert any("negates" in f for f in check_statement(Statement(text="Reports chest pain.", evidence=["s1"]), evidence))


def test_a_denial_answering_a_question_is_supported():
    evidence = [Segment(id="s1", role=Role.clinician, text="any fevers or chills ?"),
                Segment(id="s2", role=Role.patient, text="no .")]
    assert check_statement(Statement(text="Denies fevers or chills.", evidence=["s1", "s2"]), evidence) == []



def test_a_bare_no_cited_only_as_context_negates_nothing_said_before_it():
    # "she's a 39-year-old female … what are you here for?" (s7) is cited; "no, i haven't." (s36) is only the turn
    # before the next cited question, and answers "have you used any ice?" (s35, not cited), not s7
    evidence = [Segment(id="s7", role=Role.clinician, text="she's a 39-year-old female here for , what are you here for ?"),
                Segment(id="s36", role=Role.patient, text="no , i have n't ."),
                Segment(id="s37", role=Role.clinician, text="and do you have any medical problems ?"),
                Segment(id="s38", role=Role.patient, text="i have gallstones .")]
    statement = Statement(text="Ms. Russell is a 39-year-old female with gallstones.", evidence=["s7", "s37", "s38"])
    assert check_statement(statement, evidence) == []

def test_guard_evaluation_measures_perturbations(tmp_path):
    from ambientnote.evaluation.guard_eval import build_set, measure

    data = tmp_path / "mini_valid.csv"
    data.write_text(
        'dialogue,note\n"[doctor] any chest pain ?\n[patient] no .\n[patient] my left knee has hurt for 3 weeks .\n'
        '[doctor] i\'m going to start ibuprofen 400 mg three times a day .","note"\n'
    )
    result = measure(build_set(data))
    assert result["unfaithful"] > 0 and result["false_flag_rate_on_faithful"] == 0.0
    assert result["recall_by_perturbation"]["number"] == 1.0 and result["recall_by_perturbation"]["drug"] == 1.0
    assert result["recall_by_perturbation"]["problem"] == 1.0


HOME_READING = [Segment(id="s1", role=Role.patient, text="my readings at home were 150 over 95 .")]


def test_a_reading_turned_into_a_diagnosis_is_flagged():
    flags = check_statement(Statement(text="He has been diagnosed with 150 over 95.", evidence=["s1"]), HOME_READING)
    assert flags == ["'diagnosed' not in the conversation"]
    assert check_statement(Statement(text="Home readings were 150 over 95.", evidence=["s1"]), HOME_READING) == []


def test_a_loop_is_flagged_as_a_repeated_phrase():
    flags = check_statement(Statement(text="The patient over 95 over 95 over 150 over 95 over 150 over 95",
                                      evidence=["s1"]), HOME_READING)
    assert "repeated phrase 'over 95 over'" in flags


@pytest.mark.parametrize(
    ("said", "claim", "supported"),
    [
        ("we'll put you on lisinopril ten milligrams .", "Started lisinopril 10 mg.", True),
        ("i want you to go ahead and get an x-ray of that knee .", "Ordered an x-ray of the knee.", True),
        ("i had my gallbladder taken out years ago .", "History of gallbladder surgery.", True),
        ("i'm going to send you to a cardiologist .", "Referred to cardiology.", True),
        ("the knee has been hurting for about a week .", "Ordered an MRI of the knee.", False),
        ("the knee has been hurting for about a week .", "Stopped ibuprofen.", False),
        ("the knee has been hurting for about a week .", "Prescribed meloxicam.", False),
        ("the knee has been hurting for about a week .", "History of knee surgery.", False),
    ],
)
def test_clinical_claims_need_words_in_the_cited_turns(said, claim, supported):
    evidence = [Segment(id="s1", role=Role.clinician, text=said)]
    flags = check_statement(Statement(text=claim, evidence=["s1"]), evidence)
    claim_flags = [f for f in flags if f.startswith("'")]
    assert (claim_flags == []) is supported


def test_in_order_to_is_not_an_order():
    evidence = [Segment(id="s1", role=Role.patient, text="i walk every day to keep my weight down .")]
    assert check_statement(Statement(text="Walks daily in order to keep weight down.", evidence=["s1"]), evidence) == []


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("your blood pressure today is one twenty two over seventy .", "BP 122/70."),
        ("i'm going to give you ibuprofen six hundred milligrams .", "Start ibuprofen 600 mg."),
        ("my pcp just started me on metformin , i just got diagnosed with type two diabetes .",
         "Diagnosed with type 2 diabetes."),
        ("i've had some headaches too .", "Reports headache."),
    ],
)
def test_a_note_may_write_what_was_said_in_its_own_register(said, written):
    evidence = [Segment(id="s1", role=Role.clinician, text=said)]
    assert check_statement(Statement(text=written, evidence=["s1"]), evidence) == []


def test_a_hesitant_no_answers_the_question():
    evidence = [Segment(id="s1", role=Role.clinician, text="any issues with abdominal pain ?"),
                Segment(id="s2", role=Role.patient, text="uh , no .")]
    assert check_statement(Statement(text="Denies abdominal pain.", evidence=["s1", "s2"]), evidence) == []


def test_a_patients_no_does_not_negate_what_the_patient_said_before():
    # the cited dose (s2) and, as context, the patient's next answer, which begins with "no"
    evidence = [Segment(id="s2", role=Role.patient, text="yes, 10 milligrams every morning."),
                Segment(id="s4", role=Role.patient, text="no chest pain. my ankles swell a little."),
                Segment(id="s5", role=Role.clinician, text="i would like to increase the lisinopril to 20 milligrams.")]
    statement = Statement(text="Increase lisinopril to 20 mg every morning.", evidence=["s2", "s5"])
    assert check_statement(statement, evidence) == []


def test_a_finding_denied_with_a_stutter_is_supported():
    evidence = [Segment(id="s1", role=Role.clinician, text="on your neck exam i do n't appreciate any lymph "
                                                            "lymphadenopathy swollen lymph glands")]
    assert check_statement(Statement(text="No lymphadenopathy.", evidence=["s1"]), evidence) == []


def test_a_no_that_answers_item_by_item_does_not_negate_what_the_patient_confirms() -> None:
    from ambientnote.notes.guard import check_statement
    from ambientnote.notes.schema import Statement
    from ambientnote.transcript import Role, Segment

    evidence = [Segment(id="s11", role=Role.clinician,
                        text="okay now do you have other symptoms such as weight loss constipation vomiting"),
                Segment(id="s12", role=Role.patient, text="no vomiting but constipation and weight loss")]
    assert check_statement(Statement(text="Constitutional: Endorses weight loss.", evidence=["s11", "s12"]),
                           evidence) == []
    assert check_statement(Statement(text="She denies vomiting.", evidence=["s11", "s12"]), evidence) == []


def test_the_day_of_the_visit_negated_elsewhere_does_not_contradict_why_the_patient_came():
    """"gait not assessed today … no radicular pain" in the exam turn the opening cites for "gentleman" flagged
    "presents today for evaluation of left arm pain" as negated (D2N026); the pain itself negated still is."""
    evidence = [Segment(id="s1", role=Role.clinician, text="chief complaint is left arm pain ."),
                Segment(id="s9", role=Role.clinician, text="elderly gentleman . gait not assessed today . mild neck "
                                                           "pain but no radicular pain .")]
    opening = Statement(text="Mr. Clark presents today for evaluation of left arm pain.", evidence=["s1", "s9"])
    assert check_statement(opening, evidence) == []
    denied = [Segment(id="s1", role=Role.patient, text="no chest pain and no shortness of breath .")]
    assert any("negates" in f for f in check_statement(
        Statement(text="Reports chest pain.", evidence=["s1"]), denied))


@pytest.mark.parametrize(
    ("said", "written", "flagged"),
    [
        ("the baby gained thirteen ounces since last week .", "Weight gain of 13 pounds.", True),
        ("the baby gained thirteen ounces since last week .", "Weight gain of 13 oz.", False),
        ("i take twenty milligrams of lisinopril .", "Lisinopril 20 mg daily.", False),
        ("it has been going on for two weeks .", "Symptoms for 2 months.", True),
        ("it started two weeks ago and i was at two out of ten .", "Pain 2 days.", False),
    ],
)
def test_a_number_keeps_the_unit_it_was_said_with(said, written, flagged):
    """"13 pounds" for a baby who gained 13 ounces changes care; a number also said bare is the number check's."""
    evidence = [Segment(id="s1", role=Role.patient, text=said)]
    flags = check_statement(Statement(text=written, evidence=["s1"]), evidence)
    assert any(f.startswith("unit of") for f in flags) is flagged


def test_advice_to_avoid_what_was_said_not_to_do_is_faithful_and_doing_it_is_not() -> None:
    evidence = [Segment(id="s1", role=Role.clinician,
                        text="i would recommend not skiing or doing any gymnastics for now .")]
    check = lambda text: check_statement(Statement(text=text, evidence=["s1"]), evidence)  # noqa: E731
    assert check("Advised to avoid skiing or doing any gymnastics for now.") == []
    assert any("negates" in f for f in check("Advised to continue skiing or doing gymnastics."))


def test_a_date_is_checked_whole_not_number_by_number() -> None:
    evidence = [Segment(id="s1", role=Role.clinician, text="her date of birth is 07/01/1954 .")]
    check = lambda text: check_statement(Statement(text=text, evidence=["s1"]), evidence)  # noqa: E731
    assert check("Her date of birth is 7/1/1954.") == []
    assert any("number" in f for f in check("Her date of birth is 07/7/1954."))
