"""The Assessment and Plan as a clinician reads it: each problem with its own plan items."""

from __future__ import annotations

from ambientnote.facts.schema import PlanItem, Problem, VisitRecord
from ambientnote.notes.compose import assessment_plan, chief_complaint
from ambientnote.notes.layout import load_layout


def _subsection(record: VisitRecord) -> dict[str, list[str]]:
    spec = next(s for sec in load_layout("soap").sections for s in sec.subsections if s.key == "assessment_plan")
    return {sub.title: [st.text for st in sub.statements] for sub in assessment_plan(record, spec)}


def test_a_one_problem_visit_files_its_orders_and_follow_up_under_that_problem():
    record = VisitRecord(
        problems=[Problem(name="anemia", evidence=["s9"])],
        plan=[PlanItem(kind="test", text="Order endoscopy and colonoscopy.", target="endoscopy", evidence=["s10"]),
              PlanItem(kind="return_precautions", text="Return precautions: contact the office if worse.",
                       evidence=["s11"]),
              PlanItem(kind="follow_up", text="Follow up in 3 months.", interval="3 months", evidence=["s12"])])
    shown = _subsection(record)
    assert shown["Anemia"][-3:] == ["Additional Testing: Order endoscopy and colonoscopy.",
                                    "Return precautions: contact the office if worse.", "Follow up in 3 months."]
    assert "General" not in shown  # a reviewer files a lone problem's follow-up under General as misplaced


def test_a_problems_plan_reads_tests_then_treatment_then_advice_each_kind_titled_once():
    """Items said in any order read as a problem-oriented plan: the kinds together, the first of each titled."""
    record = VisitRecord(
        problems=[Problem(name="tick bite", evidence=["s1"]), Problem(name="hypertension", evidence=["s2"])],
        plan=[PlanItem(kind="medication", text="Start doxycycline 100 mg twice daily.", problem="tick bite",
                       evidence=["s3"]),
              PlanItem(kind="education", text="Advised to check the skin daily for ticks.", problem="tick bite",
                       evidence=["s4"]),
              PlanItem(kind="test", text="Order Lyme titer.", problem="tick bite", evidence=["s5"]),
              PlanItem(kind="test", text="Order blood work.", problem="tick bite", evidence=["s6"]),
              PlanItem(kind="medication", text="Continue lisinopril 20 mg daily.", problem="hypertension",
                       evidence=["s7"])])
    shown = _subsection(record)
    assert shown["Tick bite"][1:] == ["Additional Testing: Order Lyme titer.", "Order blood work.",
                                      "Medical Treatment: Start doxycycline 100 mg twice daily.",
                                      "Patient Education and Counseling: Advised to check the skin daily for ticks."]
    assert shown["Hypertension"][1:] == ["Medical Treatment: Continue lisinopril 20 mg daily."]


def test_the_assessment_opens_with_a_one_line_summary_that_does_not_repeat_the_hpi_word_for_word():
    from ambientnote.facts.schema import HistoryItem, Patient
    from ambientnote.notes.compose import opening

    record = VisitRecord(
        patient=Patient(name="Brian", age=58, sex="male", evidence=["s1"]), reason="follow-up of his chronic problems",
        reason_evidence=["s1"], history=[HistoryItem(kind="medical", text="congestive heart failure", evidence=["s1"])],
        problems=[Problem(name="congestive heart failure", evidence=["s9"])])
    shown = _subsection(record)
    assert shown["ASSESSMENT AND PLAN"] == [
        "In summary, Brian is a 58-year-old male with congestive heart failure who presents today for follow-up of his "
        "chronic problems."]
    assert opening(record).text not in shown["ASSESSMENT AND PLAN"]  # the HPI's sentence is worded otherwise
    record.patient.age = None  # without an age there is no one-liner to write: the HPI says the rest
    assert _subsection(record)["ASSESSMENT AND PLAN"] == []


def test_a_result_that_names_a_problem_is_that_problems_reasoning_not_its_neighbours():
    from ambientnote.facts.schema import Result

    record = VisitRecord(
        problems=[Problem(name="lung cancer", evidence=["s1"]), Problem(name="radiation pneumonitis", evidence=["s2"])],
        results=[Result(test="chest x-ray", text="Mild radiation pneumonitis.", evidence=["s3"])])
    shown = _subsection(record)
    assert "Reviewed chest x-ray: mild radiation pneumonitis." in shown["Radiation pneumonitis"]
    assert not [s for s in shown["Lung cancer"] if "x-ray" in s]


def test_with_no_reason_said_the_opening_and_summary_give_the_chief_complaint():
    from ambientnote.facts.schema import Patient
    from ambientnote.notes.compose import opening

    record = VisitRecord(
        patient=Patient(name="Ms. Russell", age=39, sex="female", evidence=["s1"]),
        problems=[Problem(name="proximal humerus fracture", evidence=["s46"])])
    hpi = opening(record)
    assert hpi is not None and hpi.text == (
        "Ms. Russell is a 39-year-old female who presents to the clinic today for evaluation of proximal humerus fracture.")
    assert "s46" in hpi.evidence
    shown = _subsection(record)
    assert shown["ASSESSMENT AND PLAN"] == [
        "In summary, Ms. Russell is a 39-year-old female who presents today with proximal humerus fracture."]


def test_a_visit_of_one_kind_is_what_the_patient_presents_for_not_a_complaint_to_evaluate():
    """"presents today for evaluation of second opinion …" and "… of surgical consult" (D2N022, D2N029)."""
    from ambientnote.facts.schema import Patient
    from ambientnote.notes.compose import opening

    def said(reason: str) -> tuple[str, str]:
        record = VisitRecord(patient=Patient(name="Mr. Gutierrez", age=50, sex="male", evidence=["s1"]),
                             reason=reason, reason_evidence=["s2"], problems=[Problem(name="trigger finger",
                                                                                      evidence=["s9"])])
        hpi = opening(record)
        assert hpi is not None
        return hpi.text, _subsection(record)["ASSESSMENT AND PLAN"][0]

    assert said("second opinion regarding the right index finger") == (
        "Mr. Gutierrez is a 50-year-old male who presents to the clinic today for a second opinion regarding the right index "
        "finger.", "In summary, Mr. Gutierrez is a 50-year-old male who presents today for a second opinion regarding the "
        "right index finger.")
    assert said("followup of chronic problems")[0].endswith("who presents to the clinic today for followup of chronic problems.")
    assert said("right index finger pain")[0].endswith("presents to the clinic today for evaluation of right index finger pain.")


def test_a_sentence_does_not_end_on_the_word_the_speaker_trailed_off_on():
    """"Advised to bring those numbers with." (D2N040), "… caffeine 'cause." (D2N020), "… right lower quadrant, but
    other than." (D2N003)."""
    items = [PlanItem(kind="education", text="Advised to bring those numbers with.", evidence=["s5"]),
             PlanItem(kind="lifestyle", text="Advised to cut down on caffeine 'cause.", evidence=["s6"])]
    shown = _subsection(VisitRecord(problems=[Problem(name="diabetes", evidence=["s4"])], plan=items))["Diabetes"]
    assert shown[-2:] == ["Patient Education and Counseling: Advised to bring those numbers.",
                          "Advised to cut down on caffeine."]


def test_what_the_next_visit_rechecks_follows_the_follow_up_not_the_counselling():
    """After "Patient Education and Counseling: …" an untitled recheck read as counselling (the bundled sample)."""
    recheck = PlanItem(kind="follow_up", text="Recheck ankles at the next visit.", action="recheck", target="ankles",
                       evidence=["s11"])
    advice = PlanItem(kind="education", text="Advised to keep a blood pressure diary.", evidence=["s11"])
    follow_up = PlanItem(kind="follow_up", text="The patient will follow up in 4 weeks.", interval="4 weeks",
                         evidence=["s13"])
    problem = [Problem(name="hypertension", evidence=["s9"])]
    shown = _subsection(VisitRecord(problems=problem, plan=[recheck, advice, follow_up]))["Hypertension"]
    assert shown[-2:] == ["The patient will follow up in 4 weeks.", "Recheck ankles at the next visit."]
    shown = _subsection(VisitRecord(problems=problem, plan=[advice, recheck]))["Hypertension"]
    assert shown[-2:] == ["Recheck ankles at the next visit.",
                          "Patient Education and Counseling: Advised to keep a blood pressure diary."]


def test_a_problems_reasoning_reads_as_prose_under_one_title():
    from ambientnote.facts.schema import ExamFinding, Symptom

    record = VisitRecord(
        problems=[Problem(name="congestive heart failure", evidence=["s9"])],
        symptoms=[Symptom(name="weight gain", evidence=["s3"])],
        exam=[ExamFinding(system="cardiovascular", text="2/6 systolic ejection murmur", evidence=["s6"])])
    shown = _subsection(record)["Congestive heart failure"]
    assert shown[1:] == ["Medical Reasoning: Reports weight gain.",
                         "Exam notable for 2/6 systolic ejection murmur."]
    record.symptoms = []
    assert _subsection(record)["Congestive heart failure"][1:] == [
        "Medical Reasoning: Exam notable for 2/6 systolic ejection murmur."]


def test_an_order_said_outside_any_problem_stands_with_the_problem_planned_just_before():
    """"… and a hemoglobin a1c. we'll also get a bmp": a reviewer files the panel under diabetes, not General."""
    record = VisitRecord(
        problems=[Problem(name="hypertension", evidence=["s1"]), Problem(name="diabetes", evidence=["s2"])],
        plan=[PlanItem(kind="test", text="Order lipid panel.", target="lipid panel", problem="hypertension",
                       evidence=["s3"]),
              PlanItem(kind="test", text="Order hemoglobin A1c.", target="hemoglobin a1c", problem="diabetes",
                       evidence=["s4"]),
              PlanItem(kind="test", text="Order BMP.", target="bmp", evidence=["s5"]),
              PlanItem(kind="follow_up", text="Follow up in 3 months.", interval="3 months", evidence=["s6"])])
    shown = _subsection(record)
    assert shown["Diabetes"][-2:] == ["Additional Testing: Order hemoglobin A1c.", "Order BMP."]
    assert shown["General"] == ["Follow up in 3 months."]  # when next is the visit's, not the last problem's


def test_a_pain_of_the_site_a_diagnosis_names_is_that_problem_not_a_second_one():
    record = VisitRecord(
        problems=[Problem(name="right elbow pain", evidence=["s1"]),
                  Problem(name="medial epicondylitis of the right elbow", evidence=["s2"]),
                  Problem(name="left knee pain", evidence=["s3"])],
        plan=[PlanItem(kind="follow_up", text="Follow up in a week.", interval="a week", evidence=["s4"])])
    assert list(_subsection(record)) == ["ASSESSMENT AND PLAN", "Medial epicondylitis of the right elbow",
                                         "Left knee pain", "General"]


def test_how_long_the_complaint_has_lasted_is_told_when_the_account_names_it_without_its_course():
    """"this knee pain that i've been having for about six months" and then only "The knee pain is a deep achy
    pain.": the HPI lost the six months (round 24, D2N044)."""
    from ambientnote.facts.schema import Reported, Symptom
    from ambientnote.notes.compose import hpi

    pain = Symptom(name="knee pain", system="musculoskeletal", duration="6 months", evidence=["s2"])
    told = Reported(text="The knee pain is a deep achy pain.", evidence=["s10"])
    record = VisitRecord(reason="bilateral knee pain", reason_evidence=["s2"], symptoms=[pain], account=[told])
    assert "The patient reports knee pain for 6 months." in [s.text for s in hpi(record)]
    said = told.model_copy(update={"text": "The knee pain has been there for 6 months."})
    assert not [s.text for s in hpi(record.model_copy(update={"account": [said]})) if "reports" in s.text]


def test_a_video_visit_does_not_say_the_patient_came_to_the_clinic():
    from ambientnote.facts.extract import build_record
    from ambientnote.notes.compose import opening
    from ambientnote.transcript.formats import parse_tagged_text

    def first_line(dialogue: str) -> str:
        hpi = opening(build_record(parse_tagged_text(dialogue)))
        assert hpi is not None
        return hpi.text

    clinic = "[doctor] hi ms. lane , you're here today for your right knee pain .\n[patient] yes ."
    video = ("[doctor] hi ms. lane , can you hear me okay ?\n[patient] yes , i can see you .\n"
             "[doctor] good . thanks for joining this video visit . you're here today for your right knee pain .\n"
             "[patient] yes .")
    assert "presents to the clinic today" in first_line(clinic)
    assert "clinic" not in first_line(video) and "presents today" in first_line(video)
    zoom = ("[doctor] hi ms. lane , hopefully you can hear me okay through the zoom meeting .\n[patient] yes .\n"
            "[doctor] you're here today for your right knee pain . your blood pressure here in the office is fine .")
    assert "clinic" not in first_line(zoom)


def test_the_patients_account_is_attributed_every_other_sentence_with_a_varied_verb():
    """Scribed histories say whose account it is ("He notes that he heard a pop …") without a "reports" on every
    line; what the clinician said and the denials are not attributed to the patient."""
    from ambientnote.notes.draft import draft_note
    from ambientnote.notes.render import render_note
    from ambientnote.transcript.formats import parse_tagged_text

    note, _ = draft_note(parse_tagged_text(
        "[doctor] hi mr. cole . what happened to your back ?\n"
        "[patient] i lifted some heavy boxes on saturday .\n[doctor] okay .\n"
        "[patient] i heard a pop when i moved .\n[doctor] okay .\n"
        "[patient] i felt some tingling in my toes .\n[doctor] okay .\n"
        "[patient] i have tried ibuprofen without relief .\n"
        "[doctor] any fever ?\n[patient] no ."))
    text = render_note(note, "txt")
    assert "He notes that he lifted some heavy boxes on Saturday." in text
    assert "He heard a pop when he moved." in text
    assert "He reports that he felt some tingling in his toes." in text
    assert "He has tried ibuprofen without relief." in text
    assert "He denies any fever." in text
    assert not [st for _, _, st in note.statements() if st.flags and "reports that" in st.text]



def test_a_diagnosis_that_names_the_complaints_site_is_assessed_alone_and_the_complaint_stays_the_reason():
    record = VisitRecord(problems=[Problem(name="right ankle sprain", complaint="right ankle pain", evidence=["s9"]),
                                   Problem(name="rotator cuff tendinopathy", complaint="left shoulder pain",
                                           impression="likely", evidence=["s12"])])
    shown = _subsection(record)
    assert shown["Right ankle sprain"][0] == "Assessment: right ankle sprain."
    assert shown["Rotator cuff tendinopathy"][0] == \
        "Assessment: left shoulder pain, likely due to rotator cuff tendinopathy."
    assert [s.text for s in chief_complaint(record)] == ["Right ankle pain."]
