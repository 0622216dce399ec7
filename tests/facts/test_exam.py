"""Exam findings said in run-on speech land under the system the clinician announced, negatives included."""

from __future__ import annotations

from ambientnote.facts.extract import build_record
from ambientnote.facts.objective import find_exam, normal_vitals
from ambientnote.facts.text import punctuated
from ambientnote.notes.draft import draft_note
from ambientnote.notes.guard import check_statement
from ambientnote.notes.render import render_note
from ambientnote.notes.schema import Statement
from ambientnote.transcript import Role, Segment, Transcript
from ambientnote.transcript.formats import parse_tagged_text


def test_findings_after_an_announced_system_belong_to_it():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "now on your foot exam . i do recognize the sloughing of the tissue as well as what looks like cellulitis "
        "around the area . but i do not appreciate any bony exposure . now on vascular exam . i do have bilateral "
        "palpable pulses however ."))]
    found = [(f.system, f.text) for f in find_exam(said)]
    assert found == [
        ("musculoskeletal", "Sloughing of the tissue as well as what appears to be cellulitis around the area."),
        ("musculoskeletal", "No bony exposure."),
        ("cardiovascular", "Bilateral palpable pulses."),
    ]


def test_asides_about_other_people_are_not_findings():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "on your neck exam . i do see a lot of people that have thyroid issues . no adenopathy or thyromegaly on the abdomen it "
        "is nondistended ."))]
    assert [f.text for f in find_exam(said)] == ["No adenopathy or thyromegaly."]


def test_findings_joined_in_one_breath_are_each_kept_and_instructions_are_not():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "okay , so on exam , everything seems to be good . your heart , i hear a slight two out of six systolic "
        "ejection murmur , and your lungs sound nice and clear , and you do n't have any lower extremity edema . "
        "you do have some pain to palpation of the , of the sinuses here , so i think you do have a little bit of "
        "congestion there . okay there is full range of motion of the right knee and on skin examination there is "
        "evidence of a bull's-eye rash over the right knee . okay now bend that finger for me . on your knee exam "
        "there is no ecchymosis or edema no effusion no pain to palpation of the left medial knee . your heart "
        "it is a nice regular rate and rhythm with a slight two over six systolic ejection murmur ."))]
    found = [(f.system, f.text) for f in find_exam(said)]
    assert ("cardiovascular", "Mild 2/6 systolic ejection murmur.") in found
    assert ("respiratory", "Lungs sound clear.") in found
    assert "No lower extremity edema." in [text for _, text in found]
    assert ("heent", "Pain to palpation of the sinuses.") in found
    assert ("musculoskeletal", "Full range of motion of the right knee.") in found
    assert ("skin", "Evidence of a bull's-eye rash over the right knee.") in found
    assert not [text for _, text in found if "think" in text or "bend" in text.lower()]
    assert [text for _, text in found if text.startswith("No e")] == ["No ecchymosis or edema.", "No effusion."]
    assert "No pain to palpation of the left medial knee." in [text for _, text in found]
    assert "Heart has a regular rate and rhythm with a mild 2/6 systolic ejection murmur." in [text for _, text in found]


def test_a_referral_names_the_reason_for_the_visit():
    record = build_record(Transcript(segments=[
        Segment(id="s1", role=Role.clinician, text="your pcp sent you over for a nonhealing ulcer on your right foot ."),
        Segment(id="s2", role=Role.patient, text="yes ."),
    ]))
    assert record.reason == "nonhealing ulcer on the right foot"


def test_results_told_to_the_patient_are_read_without_the_explanation():
    from ambientnote.facts.objective import find_results

    said = [
        Segment(id="s1", role=Role.clinician, text=(
            "i reviewed the results of your right foot x-ray that we did today, the good news is . i don't see any "
            "evidence of osteomyelitis meaning that there is no infection of the bone .")),
        Segment(id="s2", role=Role.clinician, text=(
            "so on your results for the chest x-ray it does look like . you have some mild radiation pneumonitis "
            "which basically means some inflammation of the lungs .")),
        Segment(id="s3", role=Role.clinician, text=(
            "we did a chest x-ray . you have a carotid bruit on the right side .")),
    ]
    assert [(r.test, r.text, r.evidence) for r in find_results(said)] == [
        ("x-ray of the right foot", "No evidence of osteomyelitis.", ["s1"]),  # the study with its site
        ("chest x-ray", "Mild radiation pneumonitis.", ["s2"]),
    ]


def test_two_findings_of_one_study_are_both_kept_and_written_as_findings():
    from ambientnote.facts.objective import find_results

    said = [Segment(id="s1", role=Role.clinician, text=(
        "so , this is the echocardiogram that we did about four months ago , and this shows that the pumping "
        "function of your heart is a little bit reduced at 45 % , and it also shows that leaky valve , the mitral "
        "regurgitation that you have , okay ?"))]
    assert [r.text for r in find_results(said)] == [
        "The ejection fraction is mildly reduced at 45%; mitral regurgitation."]


def test_vitals_said_with_digressions_fillers_and_restarts():
    from ambientnote.facts.objective import find_vitals

    said = [Segment(id="s1", role=Role.clinician, text=(
        "so i took a look at your vitals and your blood pressure is a little elevated . but honestly that's "
        "probably to do with the pain we are looking at like a hundred and forty over over seventy . your heart "
        "rate is also a little elevated at like about like eighty beats a minute . you are not running a fever so "
        "that's great look at ninety ninety seven . two . your respiratory rate is pretty normal at like twenty ."
    )), Segment(id="s2", role=Role.clinician, text=(
        "your oxygen saturation blood pressure for today was one twenty eight over eighty eight . your heart rate "
        "your spo2 was ninety eight percent ."))]
    found = {(v.name, v.setting): v.value for v in find_vitals(said)}
    assert found == {("blood pressure", "office"): "140/70", ("heart rate", "office"): "80",
                     ("temperature", "office"): "97.2", ("respiratory rate", "office"): "20",
                     ("oxygen saturation", "office"): "98"}


def test_an_x_ray_read_out_during_the_exam_is_a_result_in_one_line_not_a_finding():
    record = build_record(Transcript(segments=[
        Segment(id="s1", role=Role.clinician, text="let's do your exam. on exam you have some tenderness over the "
                                                  "medial meniscus. you have normal sensation."),
        Segment(id="s2", role=Role.clinician, text="hey dragon, show me the x-rays. so looking at the x-ray, um, of "
                "your knee, uh, it appears to be there's no fractures there right now. there's a little bit of, uh, "
                "fluid, uh, but there is no, uh, there's no, um, fracture or there's no dislocation.")]))
    assert not [f.text for f in record.exam if "fracture" in f.text.lower()]
    assert [(r.test, r.text) for r in record.results] == [("x-ray", "Mild fluid. No fracture or dislocation.")]


def test_a_finding_the_clinician_dictates_is_kept_without_the_words_that_follow_it():
    found = find_exam([Segment(id="s1", role=Role.clinician, text=(
        "okay . so we'll say you have some mild tenderness to light palpation in the upper abdominal quadrants , but "
        "everything on your exam looks normal and looks good ."))])
    assert [(f.system, f.text) for f in found] == [
        ("gastrointestinal", "Mild tenderness to light palpation in the upper abdominal quadrants.")]


def test_a_dictated_eye_and_mental_status_exam_is_kept_in_its_systems():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "the patient is alert , oriented to time , place , and person . visual acuity and eye movements are normal . "
        "visual field testing reveals bitemporal hemianopia . and color vision is normal ."))]
    assert [(f.system, f.text) for f in find_exam(said)] == [
        ("constitutional", "Alert, oriented to time, place, and person."),
        ("heent", "Visual acuity and eye movements are normal."),
        ("heent", "Visual field testing reveals bitemporal hemianopia."),
        ("heent", "Color vision is normal.")]


def test_a_finding_is_written_without_the_explanation_to_the_patient():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "so , on exam , you do have some tenderness over your distal phalanx , which is the tip of your finger . "
        "on your neck exam i do n't appreciate any lymph lymphadenopathy swollen lymph glands . and your belly "
        "is soft . your heart has a regular rhythm with a 2/6 s systolic murmur ."))]
    assert [f.text for f in find_exam(said)] == [
        "Tenderness over the distal phalanx.", "No lymphadenopathy.", "Abdomen is soft.",
        "Heart has a regular rhythm with a 2/6 systolic murmur."]


def test_an_exam_dictated_after_the_visit_is_read_whole_and_an_explained_diagnosis_is_no_finding():
    transcript = parse_tagged_text(
        "[doctor] how many wet diapers does she have in a day?\n"
        "[patient_guest] around 8 to 10.\n"
        "[doctor] so, let's complete the ultrasound today. i'll call you with the results.\n"
        "[doctor] all right . physical exams show the well-nourished female , who is slightly fussy when examined . "
        "she has mild hypotonia of the lower extremities . normal external female genitalia . no murmur rub or "
        "gallop is appreciated . neurological exam is normal .\n"
        "[doctor] most likely due to a rotator cuff tendinopathy so this means that you injured tendon you have "
        "injured tendons and muscles that make up your shoulder .")
    found = [(f.system, f.text) for f in build_record(transcript).exam]
    assert ("constitutional", "Well-nourished female, who is slightly fussy when examined.") in found
    assert ("musculoskeletal", "Mild hypotonia of the lower extremities.") in found
    assert ("genitourinary", "Normal external female genitalia.") in found
    assert ("cardiovascular", "No murmur, rub or gallop.") in found
    assert ("neurological", "Normal.") in found
    assert not [text for _, text in found if "tendon" in text]


def test_a_finding_trailing_into_small_talk_keeps_the_finding():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "on your abdominal exam there's no tenderness or guarding or anything that so that does n't that looks "
        "pretty good . on your heart exam i'm gon na take a listen ."))]
    assert [f.text for f in find_exam(said)] == ["No tenderness or guarding."]


def test_findings_said_as_positive_for_are_kept_and_instructions_and_named_manoeuvres_are_not():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "okay so you are positive for pain to palpation you do note that moderate tenderness of the medial "
        "epicondyle now i'm gon na have you turn your wrist")),
        Segment(id="s2", role=Role.clinician, text=(
            "okay now turn your wrist in so do you have any pain when you do that")),
        Segment(id="s3", role=Role.clinician, text=(
            "okay so you do have pain you were positive for pain when you pronate that that that forearm . "
            "piano key test . place the hand above the head on the shoulder exam ."))]
    assert [f.text for f in find_exam(said)] == ["Moderate tenderness of the medial epicondyle.",
                                                 "Pain with pronation of the forearm."]


def test_past_the_exam_a_diagnosis_is_no_finding_and_a_reviewed_x_ray_is_a_result():
    record = build_record(parse_tagged_text(
        "[doctor] what brings you in today?\n"
        "[patient] my right knee hurts when i run.\n"
        "[doctor] okay well so what i want to tell you is that i think you have a knee sprain from overuse now i "
        "reviewed the x-rays that we did when you first came into the office here this morning and the joint spaces "
        "of that right knee are are well maintained i do n't see any evidence of any fracture i'm also gon na order "
        "some physical therapy for your your right knee"))
    assert not [f.text for f in record.exam if "sprain" in f.text]
    assert [(r.test, r.text) for r in record.results] == [
        ("x-ray", "The joint spaces of the right knee are well maintained. No evidence of any fracture.")]
    assert "Refer to physical therapy." in [p.text for p in record.plan]


def test_the_next_part_announced_is_not_joined_to_the_finding_before_it():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "on your musculoskeletal exam your upper extremities i see normal range of movement with your right wrist "
        "let's go ahead and focus on it so when i push on the inside here does it hurt"))]
    assert not [f.text for f in find_exam(said) if "wrist" in f.text]


def test_a_part_named_as_the_exam_moves_on_is_no_finding_and_does_not_stick_to_the_last_one() -> None:
    from ambientnote.facts.objective import find_exam
    from ambientnote.facts.text import punctuated

    said = [Segment(id="s1", role=Role.clinician, text=punctuated(
        "okay so looking at your head and your neck i do n't appreciate any adenopathy your lungs are clear to "
        "auscultation bilaterally your lower legs you have palpable pulses no lower edema your shoulders every like "
        "your upper extremities i see normal range of movement"))]
    texts = [f.text for f in find_exam(said, [])]
    assert "Lungs are clear to auscultation bilaterally." in texts
    assert not [t for t in texts if "shoulders" in t.lower() or "legs" in t.lower()]


def test_run_on_dictation_splits_where_a_new_finding_is_noticed_or_evidenced() -> None:
    from ambientnote.facts.objective import find_exam
    from ambientnote.facts.text import punctuated

    said = [Segment(id="s1", role=Role.clinician, text=punctuated(
        "okay so i'm just gon na go ahead and feel on your fingers really quickly alright metacarpals intact noticed "
        "some obvious swelling and bruising there is evidence of potential fracture"))]
    texts = [f.text for f in find_exam(said, [])]
    assert "Metacarpals intact." in texts and not [t for t in texts if "noticed" in t.lower()]


def test_an_exam_dictated_in_the_plan_turn_is_read_and_announcements_are_no_findings() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] what happened?\n[patient] i rolled my left ankle.\n"
        "[doctor] so let me talk about my assessment and plan after the exam . on a focused exam of your left ankle "
        "now i do appreciate some edema . i do not appreciate any laxity in the joint . okay and i don't feel any "
        "type of bony tenderness to palpation of your foot . on the lower extremities . so for your left ankle "
        "sprain i want you to use crutches ."))
    lines = [f.text for f in record.exam]
    assert "No laxity in the joint." in lines
    assert "No bony tenderness to palpation of the foot." in lines
    assert not any(line.startswith("On the") for line in lines)


def test_the_exception_to_a_normal_exam_and_a_hedged_test_reading_reach_the_note() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] so let's just look at those . hey , dragon , show me the pulmonary function tests . okay , so it "
        "looks like ... , it's interesting . it says that you might be having a little bit of asthma or , uh , copd . "
        "let's look at our x-ray . hey , dragon , show me the most recent chest x-ray . okay , this is interesting . "
        "your ... kind of your diaphragm is a little bit flatter , and we'll see that in some , uh , copd .\n"
        "[patient] mm-hmm .\n"
        "[doctor] okay . let's do the exam . all right , so your physical exam looks pretty normal other than you've "
        "got kind of these mild wheezes in all your lung fields ."))
    assert [f.text for f in record.exam] == ["Mild wheezes in all the lung fields."]
    assert [r.text for r in record.results] == ["Possible mild asthma or COPD.", "The diaphragm is mildly flatter."]


def test_an_exam_of_manoeuvres_asked_of_the_patient_is_still_the_exam_and_the_part_looked_at_names_its_system() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] i saw with your notes that you've been having some knee pain yes that's true\n"
        "[patient] yes my right knee aches when i run.\n[doctor] how long has it been going on?\n"
        "[patient] a few months.\n[doctor] and what have you tried?\n[patient] ice and ibuprofen.\n"
        "[doctor] okay so let's go ahead and i want to do a quick examination here your heart rate was 58\n"
        "[doctor] okay so let me i just want you to back up here in the stretcher a little bit more and i'm just gon na "
        "do some movement of your knee so i want you to push your leg out against my hand does that hurt\n"
        "[patient] no\n"
        "[doctor] okay and i'm gon na move it around so when i look at the knee there is no redness there's no "
        "swelling i can appreciate a a small amount of effusion\n"
        "[doctor] okay okay and you've got a good pedal pulse\n"
        "[doctor] so i think you have a knee sprain from overuse and i want you to do physical therapy"))
    assert record.reason == "right knee pain"
    exam = {f.text: f.system for f in record.exam}
    assert exam.get("No redness.") == "musculoskeletal"
    assert exam.get("Good pedal pulse.") == "cardiovascular"


def test_unpunctuated_findings_after_the_part_examined_are_split_and_the_x_ray_read_after_is_no_finding() -> None:
    record = build_record(parse_tagged_text(
        "[patient] i dropped a brick on my right foot.\n[doctor] does it hurt?\n[patient] yes.\n"
        "[doctor] okay i'm gon na do a quick physical exam now your vitals look good and i would like to do a "
        "focused exam of your right foot the there is some bruising on the bottom part of your foot and on the top "
        "part as well and i do appreciate the associated swelling and i also recognize that you do have tenderness "
        "to palpation for midfoot i'm gon na go ahead and review the diagnostic imaging results so we did a x-ray of "
        "that right foot and i do notice dorsal displacement of the base of the second metatarsal"))
    exam = {f.text: f.system for f in record.exam}
    assert exam.get("Swelling.") == "musculoskeletal"
    assert not [t for t in exam if "metatarsal" in t]
    assert [r.text for r in record.results] == ["Dorsal displacement of the base of the second metatarsal."]


def test_a_result_in_lay_words_is_written_in_the_notes_words() -> None:
    record = build_record(parse_tagged_text(
        "[doctor] hey , dragon , show me the echocardiogram . so , this is the result of the echocardiogram that we "
        "did last year . it showed that you have that low-ish pumping function of your heart at about 45 % ."))
    assert [r.text for r in record.results] == ["Low ejection fraction at about 45%."]


def test_an_x_ray_read_after_the_good_news_is_its_result() -> None:
    record = build_record(parse_tagged_text(
        "[patient] i rolled my ankle.\n[doctor] does it hurt?\n[patient] yes.\n"
        "[doctor] now we did do an x-ray of that left ankle when you came in so i'm gon na review those x-ray results "
        "with you now the good news is i do not appreciate a fracture or any bony abnormalities so that's a good "
        "thing right"))
    assert [r.text for r in record.results] == ["No fracture or bony abnormalities."]


def test_a_finding_said_of_any_part_goes_with_the_part_named():
    record = build_record(parse_tagged_text(
        "[patient] my throat hurts and my ankle too.\n[doctor] okay let's go ahead and do a quick physical exam.\n"
        "[doctor] on your nasal exam there is edema and erythema of the nasal turbinates bilaterally. on your neck "
        "exam i do appreciate some cervical lymphadenopathy on the right side. on your ankle exam there is "
        "bruising over the lateral malleolus."))
    systems = {f.text.split()[0].lower(): f.system for f in record.exam}
    assert systems["edema"] == "heent" and systems["cervical"] == "neck", record.exam
    assert systems["bruising"] == "musculoskeletal", record.exam


def test_a_finding_the_patients_backchannel_cut_in_two_is_read_whole_and_cites_both_turns():
    record = build_record(parse_tagged_text(
        "[patient] my left shoulder hurts.\n[doctor] okay let's go ahead and do a quick physical exam.\n"
        "[doctor] on your left shoulder exam there is no tenderness at the sternoclavicular or acro\n"
        "[patient] yeah\n[doctor] acromioclavicular joints. your heart has a 2 out of 6 systolic ejection murmur, "
        "which we've heard in the past-\n[patient] mm-hmm .\n[doctor] . so that's stable . now your x-ray.\n"))
    found = {f.text: f.evidence for f in record.exam}
    assert found.get("No tenderness at the sternoclavicular or acromioclavicular joints.") == ["s3", "s5"], found
    assert found.get("Heart has a 2/6 systolic ejection murmur, unchanged.") == ["s5", "s7"], found


def test_results_read_to_the_patient_are_written_as_a_note_words_them():
    record = build_record(parse_tagged_text(
        "[doctor] let's look at your results . hey dragon , show me the lipid panel . so your cholesterol was a tiny "
        "bit high .\n"
        "[doctor] and the kidney function is also very good .\n"
        "[doctor] and the psa today is also , is good also .\n"))
    assert [r.text for r in record.results] == [
        "The cholesterol was mildly elevated.", "The kidney function is normal.", "Normal."]  # under "PSA:"


def test_a_screening_still_due_is_no_result():
    record = build_record(parse_tagged_text(
        "[doctor] let's review your results . hey dragon , show me the colonoscopy . so it shows a screening "
        "colonoscopy that she is overdue for .\n"))
    assert not record.results


def test_a_known_murmur_and_edema_said_around_fillers_are_findings():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "on your heart exam , i do appreciate a slight three out of six systolic ejection murmur , but we've heard "
        "that in the past . on your lung exam , everything sounds nice and clear , and on your lower extremity exam , "
        "i do appreciate , you know , 1 to 2+ pitting edema in your legs , okay ?"))]
    found = [(f.system, f.text) for f in find_exam(said)]
    assert ("cardiovascular", "Mild 3/6 systolic ejection murmur, unchanged.") in found
    assert ("musculoskeletal", "1 to 2+ pitting edema in the legs.") in found


def test_a_test_done_at_arrival_and_read_as_negative_is_a_result():
    record = build_record(parse_tagged_text(
        "[doctor] what brings you in?\n[patient] a sore throat.\n[doctor] on exam your throat is red.\n"
        "[doctor] okay alright well i saw that they did a rapid covid test when you came in here and that was "
        "negative so that's good so you do n't have covid\n"))
    assert [(r.test, r.text) for r in record.results] == [("COVID test", "Negative.")]


def test_unpunctuated_negatives_of_neck_and_heart_each_reach_their_system():
    """A clinician who says "i'm gon na do my physical exam" and then runs the systems together, each with
    "i don't appreciate any …", gets every negative in the note under its own system."""
    record = build_record(parse_tagged_text(
        "[doctor] which wrist is it ?\n[patient] my right one . it hurts real bad .\n"
        "[doctor] okay in the meantime i'm gon na do my physical exam alright\n[patient] okay\n"
        "[doctor] okay so you know looking at your head and your neck i do n't appreciate any like adenopathy no "
        "thyromegaly no no carotid bruit looking at your listening to your heart i do n't appreciate any murmur no "
        "rub no gallop your lungs are clear to auscultation bilaterally\n[patient] okay\n"
        "[doctor] now i'm just examining your neck and i do n't appreciate any cervical lymphadenopathy and also no "
        "supraclavicular adenopathy and i do n't see any hematoma so that's good\n"))
    found = [(f.system, f.text) for f in record.exam]
    for finding in [("neck", "No adenopathy."), ("neck", "No thyromegaly."), ("neck", "No carotid bruit."),
                    ("cardiovascular", "No murmur."), ("cardiovascular", "No gallop."),
                    ("neck", "No cervical lymphadenopathy."), ("neck", "No supraclavicular adenopathy.")]:
        assert finding in found
    assert not [text for _, text in found if "good" in text or "also" in text]


def test_an_office_reading_said_after_asking_about_home_and_a_weight_dictated_as_weighing_are_vitals():
    record = build_record(parse_tagged_text(
        "[doctor] what brings you in ?\n[patient] i get short of breath walking up the stairs .\n"
        "[doctor] okay and how has your pulse ox been your oxygen level been at home i know your oxygen level here "
        "is like ninety two right now in the office\n[patient] it's about the same at home .\n"
        "[doctor] physical exam . she is five feet , six inches in height , weighing 169 pounds . blood pressure is "
        "115 over 75 .\n"))
    office = {(v.name, v.value) for v in record.vitals if v.setting == "office"}
    assert {("oxygen saturation", "92"), ("weight", "169"), ("blood pressure", "115/75")} <= office


def test_a_home_reading_asked_about_a_few_turns_earlier_is_a_home_reading_and_a_peak_is_said_as_one():
    usual = build_record(parse_tagged_text(
        "[doctor] how is your blood pressure doing and have you been taking your blood pressures at home\n"
        "[patient] yes they are doing fine still about the same\n[doctor] so\n[patient] correct that whatever\n"
        "[doctor] so what has it been running\n"
        "[patient] i ca n't really remember but it runs around one twenty over seventy somewhere along in there\n"))
    home = [v for v in usual.vitals if v.setting == "home"]
    assert [(v.value, v.qualifier) for v in home] == [("120/70", None)]
    assert home[0].evidence[0] == "s1" and home[0].evidence[-1] == "s6"
    peak = build_record(parse_tagged_text(
        "[doctor] do you measure your blood pressure at home\n[patient] yes a few times a week\n[doctor] okay\n"
        "[patient] and it has been getting higher the other day was even as high as one seventy over ninety\n"))
    note, _ = draft_note(parse_tagged_text(
        "[doctor] what brings you in today\n[patient] my blood pressure has been high\n"
        "[doctor] do you measure your blood pressure at home\n[patient] yes a few times a week\n[doctor] okay\n"
        "[patient] and it has been getting higher the other day was even as high as one seventy over ninety\n"))
    assert [(v.value, v.qualifier) for v in peak.vitals] == [("170/90", "as high as")]
    assert "Home blood pressure readings have been as high as 170/90 mmHg." in render_note(note, "txt")


def test_a_finding_said_before_its_explanation_is_kept_without_the_explanation_or_the_reasoning():
    later = [Segment(id="s9", role=Role.clinician, text=(
        "now on your lung exam when you're taking some deep breaths. i do notice some crackles in your lungs "
        "bilaterally and what that means. is there is some faint sounds that i'm hearing which could represent "
        "some fluid there. so on looking at your skin exam on your chest. you do have some erythema on the anterior "
        "side of the chest on the left side and this could be related to the radiation."))]
    found = [(f.system, f.text) for f in find_exam([], later)]
    assert ("respiratory", "Crackles in the lungs bilaterally.") in found
    assert ("skin", "Erythema on the anterior side of the chest on the left side.") in found
    assert not [text for _, text in found if "fluid" in text or "radiation" in text]


def _results_read(reading: str) -> str:
    """The results of a short visit whose clinician reads out ``reading``, as one text."""
    record = build_record(parse_tagged_text(
        "[doctor] what brings you in?\n[patient] i feel unwell.\n[doctor] on exam your lungs are clear.\n"
        f"[doctor] {reading}\n"))
    return " ".join(r.text for r in record.results)


def test_a_reading_begun_again_keeps_only_what_was_said_the_second_time():
    texts = _results_read("so in reviewing the results of your back x-ray , this looks like a normal x-ray . there's "
                          "good bony alignment , there's normal uh- there's no fracture present .")
    assert "No fracture present." in texts and "Normal no" not in texts


def test_a_finding_named_after_its_lay_words_is_written_by_its_name():
    texts = _results_read("hey , dragon ? show me the echocardiogram . so , this shows that the pumping function of "
                          "your heart is a little bit reduced at 45 % , and it also shows that leaky valve , the mitral "
                          "regurgitation that , that you have , okay ?")
    assert "mitral regurgitation" in texts and "leaky" not in texts


def test_findings_run_together_with_instructions_reach_their_systems():
    record = build_record(parse_tagged_text(
        "[doctor] what brings you in?\n[patient] my left shoulder hurts.\n[doctor] let me do a quick physical exam.\n"
        "[doctor] okay sorry there is tenderness of the greater tuberosity of the humerus but there is no tenderness "
        "at the sternoclavicular or acromioclavicular joints you have good hand grips alright\n[patient] okay\n"
        "[doctor] i do appreciate a two out of six systolic ejection murmur but i heard that before and that is stable "
        "your lungs you want to take a deep breath for me lungs are clear bilaterally\n[patient] okay\n"
        "[doctor] okay alright good to hear alright and your lower extremities show a trace edema\n"))
    found = [(f.system, f.text) for f in record.exam]
    for finding in [("musculoskeletal", "Tenderness of the greater tuberosity of the humerus."),
                    ("musculoskeletal", "Good hand grips."), ("respiratory", "Lungs are clear bilaterally."),
                    ("musculoskeletal", "Lower extremities show a trace edema.")]:
        assert finding in found


def test_an_unpunctuated_negative_then_a_positive_finding_are_two_findings():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "okay so on physical examination of the abdomen there is no tenderness to palpation there is no peritoneal "
        "signs there is positive cva tenderness on the right flank"))]
    found = [f.text for f in find_exam(said)]
    assert "Positive cva tenderness on the right flank." in found, found
    assert not any("signs there" in f for f in found), found  # no finding reads on into the next


def test_findings_identified_are_the_exams_and_an_x_ray_read_in_the_same_breath_is_a_result():
    record = build_record(parse_tagged_text(
        "[doctor] what brings you in today?\n"
        "[patient] i slipped and hurt my right knee.\n"
        "[doctor] okay so on your knee exam i i see that you do have pain to palpation of the medial aspect of your "
        "right knee you have some pain with flexion extension i also identify some edema around the knee and some "
        "effusion you have a little bit of fluid in there as well so prior to coming in we did do an x-ray of that "
        "right knee and luckily you did n't break anything so there is no fractures no bony abnormalities so let's "
        "talk a little bit about my assessment and plan for you so you have what we call a mcl strain"))
    exam = " ".join(f.text for f in record.exam)
    assert "Edema around the knee and some effusion." in exam and "fracture" not in exam.lower(), exam
    assert [r.text for r in record.results] == ["No fractures or bony abnormalities."]


def test_a_ct_read_out_unpunctuated_gives_its_size_in_digits_and_its_negative_finding_not_the_explanation():
    record = build_record(parse_tagged_text(
        "[doctor] what brings you in?\n[patient] i have a sudden pain in my right back.\n"
        "[doctor] so i did review the results of your ct and it does show a stone that's measuring point five "
        "centimeters located in the proximal right ureter and that's that duct from your kidney down to your bladder "
        "there is no evidence of hydronephrosis that would mean that the stone is obstructing the ureter causing "
        "swelling in the kidney so there is there is no evidence of that so let's talk about my assessment and plan"))
    assert [r.text for r in record.results] == [
        "Stone measuring 0.5 cm located in the proximal right ureter. No evidence of hydronephrosis."]


def test_the_back_of_the_head_or_eye_is_not_the_back() -> None:
    """A headache felt "in the back of my head" is no back pain in the ROS, and "no swelling in the back of the
    eye" is no musculoskeletal finding (D2N040 had both)."""
    note, _ = draft_note(parse_tagged_text(
        "[doctor] what brings you in today ?\n"
        "[patient] my headache started about a week ago . it is a dull pain in the back of my head .\n"
        "[doctor] okay . on your eye exam there is no swelling in the back of the eye . your back is nontender .\n"))
    text = render_note(note, "txt")
    assert "back pain" not in text.lower()
    assert "Musculoskeletal: No swelling" not in text
    assert "Musculoskeletal: Back is nontender." in text or "back is nontender" in text.lower()


def test_the_exception_to_a_normal_exam_said_in_the_plan_and_a_finding_on_the_leg_are_kept() -> None:
    """"your exam is normal other than you've got tenderness over your distal phalanx …" said with the diagnosis
    (D2N005) and "on my exam, you have some significant tenderness to the lateral aspect of your right upper leg
    … you don't seem to have any pain …" (D2N017) gave no PHYSICAL EXAM at all."""
    plan_turn = Segment(id="s30", role=Role.clinician, text=(
        "okay . so generally , your exam is normal other than you've got tenderness over your distal phalanx of your "
        "right middle finger . um , so your diagnosis is distal phalanx fracture of the middle finger ."))
    assert [f.text for f in find_exam([], [plan_turn])] == [
        "Tenderness over the distal phalanx of the right middle finger."]
    exam_turn = Segment(id="s31", role=Role.clinician, text=(
        "so , on my exam , you have some significant tenderness to the lateral aspect of your um right upper leg . "
        "you do n't seem to have any pain or tenderness with flexion or extension of your um your lower leg ."))
    found = find_exam([exam_turn])
    assert [(f.system, f.text) for f in found] == [
        ("musculoskeletal", "Significant tenderness to the lateral aspect of the right upper leg."),
        ("musculoskeletal", "No pain or tenderness with flexion or extension of the lower leg.")]
    assert check_statement(Statement(text=found[1].text, evidence=["s31"]), [exam_turn]) == []  # "don't seem to have"


def test_vitals_called_good_after_a_long_aside_with_no_fever_are_normal_vitals() -> None:
    """"i reviewed your vitals you know that the assistants collected when you first came in including your weight and
    everything looks good there there is no fever" (D2N082) left VITALS empty; a fever said is still not normal."""
    said = ("i reviewed your vitals you know that the the assistants collected when you first came in including your "
            "weight and everything looks good there there is no fever")
    assert normal_vitals([Segment(id="s1", role=Role.clinician, text=said)]) == ["s1"]
    assert normal_vitals([Segment(id="s1", role=Role.clinician,
                                  text="your vitals look good but you do have a slight fever")]) == []


def test_a_comment_or_the_next_question_run_on_after_a_finding_does_not_lose_it() -> None:
    """D2N067, D2N048, D2N058: unpunctuated exams where the finding ran into "that's really interesting since …",
    "are you able to bend it" or "so good good and your extremities", and was lost or filed under the heart."""
    said = [Segment(id="s1", role=Role.clinician, text=(
        "on your heart exam i do n't appreciate any murmur we have a nice regular rate and rhythm for your lung exam "
        "i do appreciate a little bit of stridor that's really interesting but i do n't hear any wheezes or rales "
        "your lungs are clear so good good and your extremities i do n't see any swelling or edema")),
        Segment(id="s2", role=Role.clinician, text=(
            "okay alright on your skin exam i do appreciate some mild swelling and bruising that's really "
            "interesting since it's been two weeks with your knee are you able to bend it"))]
    found = [(f.system, f.text) for f in find_exam(said)]
    assert ("respiratory", "Mild stridor.") in found
    assert ("respiratory", "Lungs are clear.") in found
    assert ("skin", "Mild swelling and bruising.") in found
    assert not [text for _, text in found if "good and" in text or "interesting" in text or "able" in text]


def test_tenderness_found_by_asking_is_a_finding_and_a_denial_said_back_is_not() -> None:
    """D2N049, D2N033, D2N067: "let me press here on your abdomen. does that hurt?" — "yes" is the exam's
    tenderness; "no abdominal pain, alright" after the patient's "i wouldn't say any abdominal pain" is history."""
    record = build_record(parse_tagged_text(
        "[doctor] let me do a quick physical exam . are you having any abdominal pain ?\n"
        "[patient] i would n't say any abdominal pain .\n"
        "[doctor] no abdominal pain alright so on your heart exam i hear no murmur . so let me press here on your "
        "abdomen . does that hurt ?\n"
        "[patient] yes\n"
        "[doctor] and when i press on the inside of your knee does that hurt\n"
        "[patient] no , that's fine\n"
        "[doctor] does it hurt when i press here\n"
        "[patient] yes\n"))
    found = [(f.system, f.text, f.evidence) for f in record.exam]
    assert ("gastrointestinal", "Tenderness to palpation of the abdomen.", ["s3", "s4"]) in found
    assert ("musculoskeletal", "No tenderness to palpation of the inside of the knee.", ["s5", "s6"]) in found
    assert not [f for f in found if "abdominal pain" in f[1] or "here" in f[1]]  # said back; pressed where?


def test_a_blood_pressure_called_elevated_without_its_value_is_in_the_vitals() -> None:
    """Valid D2N070 (and D2N003, D2N011, D2N014): "your blood pressure's a little elevated here in the office" left
    VITALS empty, so the plan doubled lisinopril for no stated reason; the reference writes "Blood pressure is
    elevated". A reading from home, the last visit or the question is not today's remark."""
    note, _ = draft_note(parse_tagged_text(
        "[doctor] hi mr. cole . how is your back ?\n[patient] stiff .\n"
        "[doctor] hey dragon , show me the blood pressure . so your blood pressure's a little elevated here in the "
        "office , but you could be in some pain .\n"
        "[doctor] for your hypertension , we'll increase the lisinopril to 20 mg daily .\n[patient] okay ."))
    text = render_note(note, "txt")
    assert "VITALS\n\nBlood pressure is elevated." in text
    assert "Medical Reasoning: Blood pressure elevated today." in text  # why the dose goes up
    for said in ("your blood pressure was high last time .", "is your blood pressure high at home ?",
                 "your blood pressure is a little high today , 150 over 90 ."):
        record = build_record(parse_tagged_text(f"[doctor] hi mr. cole . {said}\n[patient] okay ."))
        assert not record.vital_remarks, said


def test_a_prostate_exam_is_genitourinary() -> None:
    said = [Segment(id="s1", role=Role.clinician, text=(
        "on your abdominal exam i do n't appreciate any masses or any rebound or guarding . on your prostate exam i "
        "do appreciate an enlarged prostate ."))]
    assert ("genitourinary", "Enlarged prostate.") in [(f.system, f.text) for f in find_exam(said)]


def test_an_unpunctuated_exam_turn_keeps_each_systems_findings() -> None:
    """Train D2N063 (round 28): of a dictated neck, lung, heart and belly exam only "No tenderness or guarding."
    survived; each system announced mid-sentence now keeps its findings."""
    said = [Segment(id="s1", role=Role.clinician, text=(
        "so neck exam you do have a little bit of swelling in your neck little bit of jvd no bruits your lung exam you "
        "have some crackles in both bases and some rales that i can hear and there are a little bit of intermittent "
        "wheezing as well on your heart exam you have a two over six systolic ejection murmur you've had that in the "
        "past otherwise regular rate and rhythm your belly exam your belly's slightly distended there's no tenderness "
        "or guarding"))]
    found = {(f.system, f.text) for f in find_exam([s.model_copy(update={"text": punctuated(s.text)}) for s in said])}
    assert ("respiratory", "Crackles in both bases and some rales, mild intermittent wheezing.") in found
    assert ("cardiovascular", "2/6 systolic ejection murmur, previously noted.") in found
    assert ("gastrointestinal", "Abdomen is mildly distended.") in found
    assert any(system == "neck" and "jvd" in text.lower() for system, text in found)


def test_once_the_turn_moves_on_to_the_assessment_an_explanation_is_no_finding_until_the_exam_is_named_again():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "on your foot exam . i do notice some bruising on the top of the foot . so let me talk to you a little bit "
        "about my assessment and plan . now there are ligaments at the top of your foot . so i'm gon na be ordering "
        "an mri . on examination today , there is a right inguinal lymph node with slightly atypical consistency ."))]
    found = [f.text for f in find_exam(said)]
    assert "Bruising on the top of the foot." in found
    assert not [f for f in found if "igament" in f]
    assert [f for f in found if "inguinal lymph node" in f]


def test_ligament_tests_soft_tissue_and_an_inguinal_node_have_their_systems_and_a_negative_test_is_a_finding():
    said = [Segment(id="s1", role=Role.clinician, text=(
        "now i'm gon na do a focused exam on your right ankle . you are positive for tenderness to palpation of the "
        "anterior lateral soft tissue . i do n't appreciate any laxity on anterior drawer and inversion stress . "
        "there is a negative varus and valgus stress test that's really important . there is a right inguinal lymph "
        "node with slightly atypical consistency ."))]
    found = {(f.system, f.text) for f in find_exam(said)}
    assert ("musculoskeletal", "Tenderness to palpation of the anterior lateral soft tissue.") in found
    assert ("musculoskeletal", "No laxity on anterior drawer and inversion stress.") in found
    assert ("musculoskeletal", "Negative varus and valgus stress test.") in found
    assert ("genitourinary", "Right inguinal lymph node with slightly atypical consistency.") in found
