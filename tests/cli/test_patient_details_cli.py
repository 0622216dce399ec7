"""``draft --save --dob --mrn`` and ``encounter set``: the patient's date of birth and MRN from the command line, a
mistake said in one sentence before anything is drafted or changed."""

from __future__ import annotations

from click.testing import CliRunner
from support.store import home  # noqa: F401  (a sandboxed AMBIENTNOTE_HOME)

from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.paths import assets_dir
from ambientnote.store.encounters import list_encounters, show_encounter
from ambientnote.store.session import login

USER, PASSWORD = "dr_a", "a-long-pass-123"
ENV = {"AMBIENTNOTE_USER": USER, "AMBIENTNOTE_PASSWORD": PASSWORD}
SAMPLE = assets_dir() / "samples" / "consult1_hypertension.txt"
DOB_SENTENCE = "Error: Write the date of birth as a real date in the form YYYY-MM-DD, such as 1961-03-14.\n"


def run(*args: str, ok: bool = True):  # noqa: ANN201
    result = CliRunner().invoke(main, list(args), env=ENV)
    assert "Traceback" not in result.output
    assert (result.exit_code == 0) == ok, result.output
    return result


def _summaries():  # noqa: ANN202
    with login(USER, PASSWORD, cfg=load_settings()) as s:
        return [show_encounter(s, e.id).summary for e in list_encounters(s)]


def test_draft_save_keeps_the_details_and_encounter_set_corrects_them(home):
    run("db", "init")
    refused = run("draft", str(SAMPLE), "--save", "--patient", "Mr Hayes", "--dob", "03/14/1961", "--quiet", ok=False)
    assert refused.output == DOB_SENTENCE  # said before drafting: nothing printed, nothing saved
    assert _summaries() == []

    saved = run("draft", str(SAMPLE), "--save", "--patient", "Mr Hayes", "--dob", "1961-03-14", "--mrn", "H-204",
                "--route", "local", "--quiet")
    assert "Saved as encounter" in saved.output
    (summary,) = _summaries()
    assert (summary.patient_label, summary.birth_date, summary.mrn) == ("Mr Hayes", "1961-03-14", "H-204")
    assert "PATIENT: Mr Hayes, DOB 1961-03-14, MRN H-204" in run("encounter", "show", str(summary.id)).output

    eid = str(summary.id)
    assert run("encounter", "set", eid, "--dob", "1961-02-30", ok=False).output == DOB_SENTENCE
    assert run("encounter", "set", eid, "--mrn", "H 204", ok=False).output == (
        "Error: Write the MRN as 1 to 32 letters, digits, '-' or '/', without spaces.\n")
    assert run("encounter", "set", eid, ok=False).output == "Error: Give --dob, --mrn or both; nothing was changed.\n"
    assert _summaries()[0].birth_date == "1961-03-14"  # the refusals changed nothing

    assert run("encounter", "set", eid, "--mrn", "").output == (
        f"Encounter {eid}: date of birth entered, MRN not entered.\n")
    assert "PATIENT: Mr Hayes, DOB 1961-03-14\n" in run("note", "export", eid).output
    assert "--dob" in run("encounter", "set", "--help").output and "YYYY-MM-DD" in run("draft", "--help").output
