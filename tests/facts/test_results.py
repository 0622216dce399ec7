"""Results read out to the patient are written as result lines: the study with its site, then the finding, each
citing the turn it was read in."""

from __future__ import annotations

from ambientnote.facts.extract import build_record
from ambientnote.transcript.formats import parse_tagged_text


def _lines(dialogue: str) -> list[tuple[str, str, list[str]]]:
    return [(r.test, r.text, r.evidence) for r in build_record(parse_tagged_text(dialogue)).results]


def test_a_study_put_on_screen_is_read_in_the_sentences_after_it_with_its_site():
    lines = _lines(
        "[doctor] let's look at your x-ray .\n"
        "[patient] okay .\n"
        "[doctor] hey dragon . show me the last radiograph . so this is looking at your right arm , and what i see "
        "is a proximal humerus fracture .\n")
    assert lines == [("x-ray of the right arm", "Proximal humerus fracture.", ["s3"])]


def test_a_lab_value_is_written_without_the_test_said_again_or_the_talk_after_it():
    lines = _lines(
        "[doctor] hey , dragon , show me the diabetes labs . yeah , so your hemoglobin a1c here is is 8 , you know "
        "last time we had seen it , it was about 6 and we had n't put you on medications so , um , i think it's "
        "something we'll have to talk about , okay ?\n"
        "[patient] okay .\n")
    assert lines == [("hemoglobin A1c", "8.", ["s1"])]


def test_an_mri_reading_is_a_finding_and_the_workup_history_is_left_out():
    lines = _lines(
        "[doctor] worked out for worsening headaches was initiated with brain mri and serology where pituitary "
        "lesion was incidentally discovered . i personally reviewed pertinent radiology studies including mri for "
        "the brain with contrast . the mri reveals a pituitary lesion with elevation and compression of the optic "
        "chiasm .\n")
    assert lines == [("MRI of the brain", "Pituitary lesion with elevation and compression of the optic chiasm.",
                      ["s1"])]


def test_a_reading_in_an_unpunctuated_turn_is_found_between_the_exam_and_the_plan():
    lines = _lines(
        "[doctor] on your musculoskeletal exam i do not appreciate any clubbing of your fingers so for your results "
        "i did review the results of your chest x-ray and i noticed some round glass opacities so let me tell you a "
        "little bit about my assessment and plan\n")
    assert [(test, text) for test, text, _ in lines] == [("chest x-ray", "Round glass opacities.")]


def test_a_normal_study_reads_normal_and_a_lab_called_good_is_not_called_normal():
    lines = _lines(
        "[doctor] hey , dragon , show me the back x-ray . so this looks good . that's also stable from last year .\n"
        "[patient] great .\n"
        "[doctor] we checked your hemoglobin a1c last time . so it's good .\n")
    assert lines == [("x-ray of the back", "Normal. Stable from last year.", ["s1"])]


def test_what_the_patient_told_or_a_medicine_schedule_is_not_a_result():
    lines = _lines(
        "[doctor] so we often like to keep people with heart problems on magnesium . it's supposed to be twice a day "
        "so that's kind of annoying .\n"
        "[doctor] for the medical history , it's high cholesterol .\n")
    assert lines == []


def test_a_value_recalled_from_the_last_visit_is_the_previous_result() -> None:
    """D2N049, D2N063: the last A1c is the only value the visit has, and the plan (repeat it, more metformin) is
    read against it."""
    lines = _lines(
        "[doctor] so i also want to take a look here at your diabetes and last time you came in your a1c was a little "
        "bit higher at seven . three and you're on five hundred of metformin currently so have you been checking ?\n"
        "[patient] i have .\n"
        "[doctor] okay and your blood pressure last time was one fifty over ninety .\n")
    assert lines == [("Previous hemoglobin A1c", "7.3.", ["s1"])]


def test_labs_read_as_consistent_with_a_diagnosis_keep_the_hedge_and_not_who_else_read_them() -> None:
    lines = _lines(
        "[doctor] now i did review the results of your recent lab work and it is consistent as as your pcp noted "
        "with an iga deficiency that's that immunoglobulin a that we talked about .\n"
        "[patient] okay .\n"
        "[doctor] and reviewing the mri that you had done , your symptoms are consistent with patellofemoral pain "
        "syndrome .\n")
    assert lines == [("labs", "Consistent with an IgA deficiency.", ["s1"])]


def test_a_negative_said_after_an_explanation_stays_with_its_study() -> None:
    """Review round 26, D2N085: "there's no evidence of what we call hydronephrosis this means …" was lost after the
    clinician explained the ureter."""
    lines = _lines(
        "[doctor] so i reviewed the results of the ct scan of your abdomen and it does show a 0.5 centimeter kidney "
        "stone located in the proximal right ureter so this the ureter is the duct in which urine passes between the "
        "kidney and the bladder there's no evidence of what we call hydronephrosis this means you know swelling of "
        "the kidney which is good\n[patient] okay .\n")
    assert lines == [("CT scan of the abdomen",
                      "0.5 cm kidney stone located in the proximal right ureter. No evidence of hydronephrosis.",
                      ["s1"])]


def test_a_lab_on_screen_read_after_a_sentence_begun_again_is_its_reading():
    lines = _lines(
        "[doctor] hey , dragon ? show me the creatinine . so we ... we drew a creatinine when you came in here "
        "because i was concerned about the kidney stones . it ... it is uh ... it is up slightly , which might "
        "suggest that you have a little bit of a obstruction there\n")
    assert [(test, text) for test, text, _ in lines] == [("creatinine", "Slightly elevated.")]
