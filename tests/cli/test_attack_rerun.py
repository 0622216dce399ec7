"""Cases of the insider attack re-run (docs/security/attack-rerun.md) that the command line had wrong, driven the
way an admin types them, on a real SQLCipher store."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from ambientnote.bench.sandbox import synthetic_note, synthetic_transcript
from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.store.encounters import save_draft
from ambientnote.store.session import login

ADMIN = {"AMBIENTNOTE_USER": "boss", "AMBIENTNOTE_PASSWORD": "boss-pass-123"}


def run(args: list[str], env: dict[str, str]) -> str:
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result.output


def test_an_admin_reset_says_the_clinicians_encounters_wait_for_restore_keys(home: Path) -> None:
    run(["db", "init"], ADMIN)
    run(["user", "add", "dr_c", "--role", "clinician"], ADMIN | {"AMBIENTNOTE_NEW_PASSWORD": "first-pass-123"})
    with login("dr_c", "first-pass-123", cfg=load_settings()) as s:
        save_draft(s, patient_label="Invented Person", transcript=synthetic_transcript(),
                   note_json=synthetic_note(), audio_path=None, model="m")
    said = run(["user", "passwd", "dr_c"], ADMIN | {"AMBIENTNOTE_NEW_PASSWORD": "second-pass-456"})
    assert "1 earlier encounter(s) stay sealed" in said and "ambientnote user restore-keys dr_c" in said
    own = run(["user", "passwd"], {"AMBIENTNOTE_USER": "dr_c", "AMBIENTNOTE_PASSWORD": "second-pass-456",
                                   "AMBIENTNOTE_NEW_PASSWORD": "third-pass-789"})
    assert own == "The password of 'dr_c' was changed.\n"


def test_a_clinician_is_refused_before_being_asked_for_someone_elses_new_password(home: Path) -> None:
    run(["db", "init"], ADMIN)
    run(["user", "add", "dr_c", "--role", "clinician"], ADMIN | {"AMBIENTNOTE_NEW_PASSWORD": "first-pass-123"})
    clinician = {"AMBIENTNOTE_USER": "dr_c", "AMBIENTNOTE_PASSWORD": "first-pass-123"}
    for args in (["user", "add", "eve", "--role", "admin"], ["user", "passwd", "boss"], ["user", "enable", "boss"]):
        result = CliRunner().invoke(main, args, env=clinician)
        assert result.exit_code == 6, result.output
        assert "assword" not in result.output and "needs the admin role" in result.output


def test_deleting_another_clinicians_encounter_is_refused_before_asking_for_good(home: Path) -> None:
    run(["db", "init"], ADMIN)
    run(["user", "add", "dr_c", "--role", "clinician"], ADMIN | {"AMBIENTNOTE_NEW_PASSWORD": "first-pass-123"})
    with login("dr_c", "first-pass-123", cfg=load_settings()) as s:
        eid = save_draft(s, patient_label="Invented Person", transcript=synthetic_transcript(),
                         note_json=synthetic_note(), audio_path=None, model="m")
    refused = CliRunner().invoke(main, ["encounter", "delete", str(eid)], env=ADMIN)
    assert (refused.exit_code, refused.output) == (6, f"Error: Encounter {eid} belongs to another clinician.\n")
    owner = {"AMBIENTNOTE_USER": "dr_c", "AMBIENTNOTE_PASSWORD": "first-pass-123"}
    kept = CliRunner().invoke(main, ["encounter", "delete", str(eid)], env=owner, input="n\n")
    assert kept.exit_code == 1 and "for good?" in kept.output
    assert "Invented Person" in run(["encounter", "list"], owner)


def test_a_listed_encounter_planted_under_a_clinicians_key_is_left_out_with_one_sentence(home: Path) -> None:
    recovery_key = re.search(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){12}", run(["db", "init"], ADMIN))[0]
    run(["user", "add", "dr_c", "--role", "clinician"], ADMIN | {"AMBIENTNOTE_NEW_PASSWORD": "first-pass-123"})
    owner = {"AMBIENTNOTE_USER": "dr_c", "AMBIENTNOTE_PASSWORD": "first-pass-123"}
    with login("dr_c", "first-pass-123", cfg=load_settings()) as s:
        eid = save_draft(s, patient_label="Invented Person", transcript=synthetic_transcript(),
                         note_json=synthetic_note(), audio_path=None, model="m")
    with login("boss", "boss-pass-123", cfg=load_settings()) as insider, insider.store.transaction() as tx:  # holds the data key
        tx.execute("UPDATE encounter_keys SET owner_tag = NULL WHERE encounter_id = ?", (eid,))
    listed = CliRunner().invoke(main, ["encounter", "list"], env=owner)
    assert listed.exit_code == 0 and "Invented Person" not in listed.output
    assert listed.stdout == "No encounters.\n"
    assert listed.stderr == (f"Encounter(s) {eid} are under your name but their key was not made by your account "
                             "(someone holding the data key planted or moved them), so they are not shown; tell an "
                             "administrator, who finds them with 'ambientnote db check'.\n")
    shown = CliRunner().invoke(main, ["encounter", "show", str(eid)], env=owner)
    assert shown.exit_code == 6 and f"Encounter {eid} was not sealed by your account" in shown.output
    assert "dr_c" in run(["encounter", "overview"], ADMIN)  # the metadata view still lists it, under dr_c
    (home / "rk.txt").write_text(recovery_key)
    glass = CliRunner().invoke(main, ["encounter", "break-glass", str(eid), "--recovery-key-file",
                                      str(home / "rk.txt"), "--reason", "Review"], env=ADMIN)
    assert glass.exit_code == 0 and "Invented Person" in glass.stdout
    assert f"Warning: Encounter {eid} may not be dr_c's: its key carries no tag of its clinician's" in glass.stderr
