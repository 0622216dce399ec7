"""Fact recall against a reference note: a small synthetic visit, counted by hand."""

from __future__ import annotations

from ambientnote.evaluation.fact_recall import FactCounts, as_digits, fact_counts, follow_up, medication_doses, vitals
from ambientnote.notes.schema import Note, Section, Statement, Subsection

REFERENCE = """CHIEF COMPLAINT

Follow-up of hypertension.

HISTORY OF PRESENT ILLNESS

The patient is a 60-year-old male. His home blood pressure readings have been around 150/95.
He takes lisinopril 20 mg daily and metformin 500 mg twice a day.

VITALS

Blood Pressure: 152/96 mmHg.
Heart Rate: 88 beats per minute.
Oxygen Saturation: 98%.

PHYSICAL EXAM

• Cardiovascular: Regular rate and rhythm, 2/6 systolic murmur.

ASSESSMENT AND PLAN

Hypertension.
• Medical Treatment: Increase lisinopril to 40 mg daily.
• Additional Testing: We will order an echocardiogram and a hemoglobin A1c.
Type 2 diabetes.
• Specialist Referrals: Referral to nutrition.

INSTRUCTIONS

The patient will follow up in 4 weeks.
"""


def _note(**subsections: list[str]) -> Note:
    def section(key: str, subs: list[str]) -> Section:
        return Section(key=key, title=key, subsections=[
            Subsection(key=sub, title=sub, statements=[Statement(text=t, evidence=["s1"]) for t in subsections[sub]])
            for sub in subs if sub in subsections])
    return Note(template="soap", model="test", sections=[
        section("subjective", ["hpi"]), section("objective", ["vitals", "exam"]),
        section("assessment_and_plan", ["assessment", "plan"])])


DRAFT = _note(
    hpi=["He takes lisinopril twenty milligrams daily and metformin 500 mg twice a day.",
         "Heart rate was eighty eight at the pharmacy."],
    vitals=["BP 152/96."],
    assessment=["Hypertension, not well controlled.", "No evidence of heart failure."],
    plan=["Increase lisinopril to 40 mg daily.", "Order an echocardiogram.", "Order a chest x-ray.",
          "Follow-up in four weeks."],
)


def test_fact_counts_of_a_hand_written_pair():
    counts = fact_counts(DRAFT, REFERENCE)
    # vitals: BP and HR recalled, SpO2 missed; BP is in the Objective, the heart rate only in the HPI
    assert counts["vitals"] == FactCounts(matched=2, in_reference=3, in_draft=2, in_objective=1)
    # lisinopril 20 mg (said "twenty milligrams"), metformin 500 mg and lisinopril 40 mg: all three
    assert counts["medication_doses"] == FactCounts(matched=3, in_reference=3, in_draft=3)
    # hypertension found; diabetes missed; a negated heart failure is no problem of the draft
    assert counts["problems"] == FactCounts(matched=1, in_reference=2, in_draft=1)
    assert counts["orders"] == FactCounts(matched=1, in_reference=2, in_draft=2)
    assert counts["referrals"] == FactCounts(matched=0, in_reference=1, in_draft=0)
    assert counts["follow_up"] == FactCounts(matched=1, in_reference=1, in_draft=1)


def test_counts_add_up_across_visits_and_give_recall_and_precision():
    total = sum((fact_counts(DRAFT, REFERENCE)["orders"] for _ in range(2)), FactCounts())
    assert (total.matched, total.in_reference, total.in_draft) == (2, 4, 4)
    assert total.recall == 0.5 and total.precision == 0.5
    assert FactCounts().recall is None


def test_spoken_numbers_match_digits():
    assert as_digits("Your pressure today is one fifty two over ninety six") == "your pressure today is 152 over 96"
    assert as_digits("eighty milligrams, ninety eight point six, twenty-five") == "80 milligrams, 98.6, 25"
    assert vitals("Your pressure today is one fifty two over ninety six.") == {"blood pressure 152/96"}
    assert medication_doses("Increase Lasix to eighty milligrams daily.") == {"lasix 80 mg"}
    assert follow_up("We will see her back in a couple of weeks.") == {"follow-up 2 weeks"}


def test_what_is_not_a_vital_or_a_dose():
    assert vitals("3/6 systolic ejection murmur. Pain is 10/10. Home readings were 150 over 95 at home.") == set()
    assert vitals("Pulse ox 98% on room air, pulse 72.") == {"oxygen saturation 98", "heart rate 72"}
    # a dose after an unknown drug is not given to the next known one
    assert medication_doses("Continue Zorbax 100 mg daily as well as Norvasc 5 mg.") == {"norvasc 5 mg"}


def _score(encounter_id: str, note: Note, reference: str):
    from ambientnote.evaluation.run import EncounterScore
    from ambientnote.notes.style import empty_sections, note_faults

    faults = note_faults(note)
    zeros = dict.fromkeys(("rouge1", "rouge2", "rougeL", "rougeLsum"), 0.0)
    return EncounterScore(encounter_id=encounter_id, rouge=zeros, copy_baseline_rouge=zeros, medications=(0, 0, 0),
                          statements=1, valid_evidence=1, unsupported=0, seconds=1.0, tokens=0,
                          style_faults=faults, style_fault_total=sum(faults.values()),
                          empty_sections=empty_sections(note, reference), facts=fact_counts(note, reference))


def test_the_eval_report_shows_style_faults_and_fact_recall():
    from ambientnote.evaluation.run import EvalReport, _summary, markdown_summary

    chatty = _note(hpi=["Hi Doctor, the blood pressure at home has been high.", "Do you take it every day?"],
                   vitals=[], assessment=[], plan=["Increase lisinopril to 40 mg daily."])
    scores = [_score("A", DRAFT, REFERENCE), _score("B", chatty, REFERENCE)]
    summary = _summary(scores)
    assert summary["style_faults_per_note"] == 1.5  # the chatty note: greeting, second person, question
    assert summary["notes_without_style_faults"] == 1.0
    assert summary["empty_sections_per_note"] == 1.0  # the chatty note's empty vitals and assessment
    assert summary["fact_vitals_recall"] == 2 / 6 and summary["vitals_in_objective_share"] == 0.5
    assert summary["fact_medication_doses_recall"] == 4 / 6 and summary["fact_medication_doses_precision"] == 1.0

    table = markdown_summary(EvalReport(data="valid.csv", model="test", template="soap", encounters=scores,
                                        summary=summary))
    assert "| 1.50 | 1/2 | 0.00 | 0.50 | 0.50 | 0.50 |" in table
    assert "| vitals | 0.33 | 1.00 | 6 | 2 |" in table
    assert "Vitals recalled that the draft states in its Objective: 50%." in table


def test_a_return_precaution_is_no_follow_up_interval():
    assert follow_up("Return precautions: contact the office if the patient gains 3 pounds in 2 days.") == set()
    assert follow_up("Return to clinic in 4 weeks.") == {"follow-up 4 weeks"}
