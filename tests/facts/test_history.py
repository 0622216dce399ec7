"""Surgical history in the words a note uses, whatever words the patient used."""

from ambientnote.facts.extract import build_record
from ambientnote.transcript.formats import parse_tagged_text


def _surgeries(dialogue: str) -> list[str]:
    return [h.text for h in build_record(parse_tagged_text(dialogue)).history if h.kind == "surgical"]


def test_an_organ_taken_out_is_named_as_the_operation():
    assert _surgeries("[doctor] any surgeries on your abdomen?\n"
                      "[patient] yes. they took my gall bladder out several years ago.") == ["cholecystectomy"]


def test_a_replaced_joint_keeps_its_side():
    assert _surgeries("[doctor] tell me about your knee.\n"
                      "[patient] i had my left knee replaced in 2019 and it's been fine.") == ["left knee replacement"]


def test_an_operation_that_did_not_happen_is_not_history():
    assert _surgeries("[doctor] any surgeries?\n[patient] no, i have not had my appendix out or anything.") == []


def test_a_relatives_operation_is_family_history_under_its_clinical_name():
    record = build_record(parse_tagged_text(
        "[doctor] any family history?\n[patient] my mother had her gallbladder removed last year."))
    assert [(h.kind, h.relative, h.text) for h in record.history] == [("family", "mother", "cholecystectomy")]


def test_a_toddlers_age_is_said_in_months():
    from ambientnote.facts.patient import find_patient
    from ambientnote.transcript import Role, Segment

    patient = find_patient([Segment(id="s1", role=Role.clinician, text=(
        "assessment and plan . katherine is a 22-month-old female with smith magenis syndrome ."))])
    assert (patient.name, patient.age, patient.age_unit, patient.sex) == ("Katherine", 22, "month", "female")


def test_habits_and_a_family_history_answered_no_are_recorded_and_eating_and_drinking_is_no_habit():
    from ambientnote.facts.extract import build_record
    from ambientnote.transcript.formats import parse_tagged_text

    record = build_record(parse_tagged_text(
        "[doctor] what brings you in?\n[patient] my knee hurts.\n"
        "[doctor] okay do you have any family history of arthritis or any of those type of immune diseases\n"
        "[patient] no i do n't think so\n"
        "[doctor] do you drink any alcohol, smoke, or use recreational drugs?\n[patient] nope, never have.\n"
        "[doctor] are you eating and drinking okay?\n[patient] no, not really.\n"
        "[doctor] do you use any other type of tobacco products?\n[patient] no smoking is enough."))
    said = [(h.kind, h.text, h.assertion.value) for h in record.history]
    assert ("family", "arthritis", "denied") in said
    assert [t for k, t, _ in said if k == "social"] == ["nonsmoker", "does not drink alcohol",
                                                        "no recreational drug use"]


def test_conditions_named_in_answer_to_what_runs_in_the_family_are_the_familys() -> None:
    from ambientnote.facts.extract import build_record
    from ambientnote.transcript.formats import parse_tagged_text

    record = build_record(parse_tagged_text(
        "[doctor] so do you have any other medical conditions\n[patient] no i'm not taking any medications\n"
        "[doctor] okay and what conditions would you say run in your family\n"
        "[patient] i have high blood pressure diabetes and depression"))
    assert [(h.kind, h.text) for h in record.history if h.text.startswith("high")] == [
        ("family", "high blood pressure, diabetes and depression")]
    assert not [a for a in record.account if "diabetes" in a.text]


def test_an_operation_is_named_by_its_site_and_when_and_none_had_is_no_history() -> None:
    assert _surgeries("[doctor] any history with your back?\n"
                      "[patient] i actually had surgery about 10 years ago on my lower back.") == [
        "lower back surgery about 10 years ago"]
    record = build_record(parse_tagged_text("[doctor] any surgeries?\n[patient] i've never had any surgery."))
    assert [h for h in record.history if h.kind == "surgical"] == []
    assert not any("surgery" in a.text for a in record.account)  # nor a line of the HPI


def test_a_habit_is_written_to_its_last_whole_word() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] do you drink?\n[patient] i drink usually a a beer or two on fridays and saturdays on the weekends"))
    social = [h.text for h in record.history if h.kind == "social"]
    assert social and all(not t.endswith(("satu", "saturd")) for t in social)
    assert any("saturdays" in t for t in social)


def test_a_relatives_illness_asked_as_family_history_is_not_the_patients_and_includes_opens_a_dictated_pmh() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] patrick allen . new patient visit . past medical history includes gerd , anxiety , depression .\n"
        "[doctor] and is there any family history of gi issues that you know of ?\n"
        "[patient] well , actually my sister does have problems with her stomach too . she has irritable bowel "
        "syndrome and that is kind of what i always thought i had even thought i've never been diagnosed with it ."))
    assert [h.text for h in record.history if h.kind == "medical"] == ["gerd", "anxiety", "depression"]


def test_surgery_said_without_what_or_where_is_no_surgical_history_line() -> None:
    assert _surgeries("[doctor] tell me about that injury.\n"
                      "[patient] my other ankle too is sore sometimes and i've had surgery for that too.") == []


def test_a_lab_value_and_a_drug_no_longer_taken_are_not_current_medications() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] uh to note , the patient is not currently on potassium supplement .\n"
        "[doctor] your potassium is 3.9 so it's holding steady on the torsemide .\n"
        "[doctor] what are you taking now?\n"
        "[patient] yes i was also on lisinopril before but with the adjustments yeah those are the ones i'm on"))
    assert not {"potassium", "lisinopril"} & {m.name for m in record.medications}


def test_the_name_the_clinician_greets_the_patient_by_is_the_patients_in_unpunctuated_speech():
    from ambientnote.facts.patient import find_patient
    from ambientnote.transcript import Role, Segment

    def named(*turns: str) -> str | None:
        return find_patient([Segment(id=f"s{n}", role=Role.clinician if n % 2 else Role.patient, text=text)
                             for n, text in enumerate(turns, start=1)]).name

    assert named("hi wayne how're you today", "i'm doing okay aside from this shoulder pain") == "Wayne"
    assert named("so sophia i see that you hurt your knee", "yes") == "Sophia"
    assert named("hi mom how are you", "fine") is None  # a relative greeted, not a name
    assert named("how are you doing", "good", "okay and i understand that you smoke") is None


def test_the_dose_the_clinician_says_after_asking_about_a_drug_is_listed_with_it() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] okay are you taking the lisinopril i think we have you on twenty milligrams a day\n"
        "[patient] yep i take it every morning with my vitamin d\n"
        "[doctor] are you still taking the metformin we have you on a thousand milligrams twice a day and your "
        "aspirin\n[patient] yes i do"))
    doses = {m.name: m.dose for m in record.medications}
    assert doses["lisinopril"] == "20 mg" and doses["metformin"] == "1000 mg"
    assert doses["aspirin"] is None  # the next drug never takes the dose said for the one before


def test_a_dictated_drug_of_hers_is_listed_with_its_dose_and_one_she_was_changed_from_is_not() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] next patient is nicole miller. we changed her furosemide to torsemide. her lisinopril has also "
        "been increased up to 10 milligrams daily in march.\n[doctor] hi nicole, how are you?"))
    assert [(m.name, m.dose) for m in record.medications] == [("lisinopril", "10 mg")]


def test_what_each_past_episode_was_treated_with_is_no_current_medication() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] how often do you get these infections?\n"
        "[patient] every month or so. i go to urgent care and i'll get prescribed some antibiotics.\n"
        "[doctor] and what do you take now?\n[patient] i take lisinopril every day."))
    assert [m.name for m in record.medications if m.assertion.value == "present"] == ["lisinopril"]


def test_a_drug_the_clinician_is_starting_is_not_a_current_medication_whoever_the_tag_says_spoke() -> None:
    """D2N059: a turn tagged as the patient's, "we will get you started on the singulair", listed Singulair under
    Current Medications; the patient's own "i take my inhaler" still is one."""
    record = build_record(parse_tagged_text(
        "[doctor] what do you use for your asthma ?\n"
        "[patient] i just use my albuterol inhaler .\n"
        "[patient] and we will get you started on the singulair , you should see a difference in a month .\n"))
    assert [m.name for m in record.medications] == ["albuterol"]


def test_a_recent_diagnosis_dictated_in_the_opening_summary_is_history():
    record = build_record(parse_tagged_text(
        "[doctor] beverly is a 53 -year-old female with a recent diagnosis of stage three lung cancer who presents "
        "for follow-up during chemotherapy .\n[patient] hi .\n"))
    assert [h.text for h in record.history if h.kind == "medical"] == ["stage 3 lung cancer"]
