"""Social history under its own heading: work, activity and household as the patient states them."""

from ambientnote.notes.draft import draft_note
from ambientnote.transcript.formats import parse_tagged_text


def _sections(dialogue: str) -> dict[str, list[str]]:
    note, _ = draft_note(parse_tagged_text(dialogue))
    return {sub.title: [st.text for st in sub.statements] for sec in note.sections for sub in sec.subsections}


VISIT = ("[doctor] good morning, how are you doing?\n"
         "[patient] my right knee has been hurting for two weeks.\n"
         "[doctor] what do you do for work?\n"
         "[patient] um, i'm a cashier at the grocery store, so i'm on my feet all day.\n"
         "[doctor] do you smoke?\n"
         "[patient] no, never.\n"
         "[doctor] and are you active?\n"
         "[patient] i run about five miles a day, and i've been married for 20 years.\n"
         "[patient] will i be able to run again?\n"
         "[doctor] on exam there is swelling of the right knee. i want you to rest it and we will get an x-ray.")


def test_work_activity_household_and_habits_read_as_a_social_history_each_once():
    sections = _sections(VISIT)
    social = sections["SOCIAL HISTORY"]
    assert "Works as a cashier at the grocery store." in social  # the answer to the work question
    assert "Runs about 5 miles a day." in social
    assert "Married for 20 years." in social
    assert "Nonsmoker." in social
    assert not any("able to run" in line.lower() for line in social)  # a question about the future is no habit
    hpi = " ".join(sections["HISTORY OF PRESENT ILLNESS"]).lower()
    assert "5 miles a day" not in hpi  # said once, where a chart keeps it


def test_a_clause_that_names_no_activity_or_is_negated_is_left_out():
    sections = _sections("[doctor] what brings you in?\n[patient] my back hurts since i lifted a box.\n"
                         "[doctor] do you exercise?\n[patient] i ride, uh, sometimes. i can't run anymore.\n"
                         "[doctor] there is tenderness of the lower back. we will start physical therapy.")
    assert not sections.get("SOCIAL HISTORY")  # "Rides." and "Runs anymore." are no history


def test_pastimes_and_who_the_patient_is_said_unpunctuated_are_social_history() -> None:
    sections = _sections(
        "[doctor] so are you active other than going up and down the steps ?\n"
        "[patient] very i'm a big runner i love to run i run about five to six miles a day\n"
        "[doctor] and what do you do for fun ?\n"
        "[patient] i do some gardening around the house . and i really like photography too .\n"
        "[doctor] does anything make the knee worse ?\n"
        "[patient] well it used to be that when i run it ache and then i put ice on it\n"
        "[doctor] on exam there is swelling of the right knee .")
    assert sections["SOCIAL HISTORY"] == ["Avid runner.", "Enjoys running.", "Runs about 5 to 6 miles a day.",
                                          "Does some gardening around the house.", "Enjoys photography."]
