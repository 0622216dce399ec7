"""The db, user, encounter, note and audit command groups, driven the way a script would."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ambientnote.bench.sandbox import synthetic_note, synthetic_transcript
from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.store.encounters import save_draft
from ambientnote.store.session import login

ADMIN = {"AMBIENTNOTE_USER": "boss", "AMBIENTNOTE_PASSWORD": "boss-pass-123"}
AUDITOR = {"AMBIENTNOTE_USER": "audrey", "AMBIENTNOTE_PASSWORD": "audit-pass-123"}


def run(args, env, ok=True, input=None):  # noqa: A002
    result = CliRunner().invoke(main, args, env=env, input=input)
    assert "Traceback" not in result.output
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def site(home):
    out = run(["db", "init"], ADMIN).output
    assert "Recovery key" in out
    recovery = out.strip().splitlines()[-1].strip()
    run(["user", "add", "audrey", "--role", "compliance"], ADMIN | {"AMBIENTNOTE_NEW_PASSWORD": "audit-pass-123"})
    return recovery


def test_wrong_password_or_missing_store_is_one_sentence(home):
    result = run(["encounter", "list"], ADMIN, ok=False)
    assert result.exit_code == 5 and result.output.startswith("Error: No store was found")
    run(["db", "init"], ADMIN)
    result = run(["encounter", "list"], ADMIN | {"AMBIENTNOTE_PASSWORD": "nope"}, ok=False)
    assert (result.exit_code, result.output) == (5, "Error: Wrong user name or password.\n")


def test_prompts_do_not_echo_the_password(site):
    result = run(["user", "list"], {"AMBIENTNOTE_USER": "", "AMBIENTNOTE_PASSWORD": ""},
                 input="boss\nboss-pass-123\n")
    assert "boss-pass-123" not in result.output and "audrey" in result.output


def test_clinician_flow_list_show_sign_export_delete(site, tmp_path):
    with login("boss", "boss-pass-123", cfg=load_settings()) as s:
        eid = save_draft(s, patient_label="Jane Roe", transcript=synthetic_transcript(), note_json=synthetic_note(),
                         audio_path=None, model="m")
        spare = save_draft(s, patient_label="Spare", transcript=synthetic_transcript(), note_json="{}",
                           audio_path=None, model="m")
    assert "Jane Roe" in run(["encounter", "list"], ADMIN).output
    shown = run(["encounter", "show", str(eid)], ADMIN).output
    assert "[s2] patient: I have had a crushing chest pain" in shown and "Note version 1 (draft)" in shown
    edited = tmp_path / "edit.json"
    note = synthetic_note()
    note["sections"][2]["subsections"][1]["statements"] = [{"text": "Refer to cardiology.", "evidence": ["s7"]}]
    edited.write_text(json.dumps(note))
    assert "version 2" in run(["note", "edit", str(eid), "--file", str(edited)], ADMIN).output
    assert "Signed version 2" in run(["note", "sign", str(eid)], ADMIN).output
    out = tmp_path / "note.md"
    run(["note", "export", str(eid), "--format", "md", "--out", str(out)], ADMIN)
    assert "### Plan\n\n- Refer to cardiology.\n" in out.read_text()
    assert run(["encounter", "delete", str(eid), "--yes"], ADMIN, ok=False).exit_code == 2
    run(["encounter", "delete", str(spare), "--yes"], ADMIN)
    denied = run(["encounter", "show", str(eid)], AUDITOR, ok=False)
    assert denied.exit_code == 6 and "clinician role" in denied.output


def test_audit_export_and_verify_file_catch_tampering(site, tmp_path):
    out = tmp_path / "audit.jsonl"
    run(["audit", "export", "--format", "jsonl", "--out", str(out)], AUDITOR)
    assert "verifies" in run(["audit", "verify", "--file", str(out)], {}).output
    assert "verifies" in run(["audit", "verify", "--quiet"], AUDITOR).output
    lines = out.read_text().splitlines()
    lines[3] = lines[3].replace('"boss"', '"mallory"')
    out.write_text("\n".join(lines) + "\n")
    result = run(["audit", "verify", "--file", str(out)], {}, ok=False)
    assert result.exit_code == 7 and "event 3 was altered" in result.output
    assert "audit-export" in run(["audit", "show", "--user", "audrey"], AUDITOR).output


def test_accounts_and_recovery_from_the_cli(site):
    run(["user", "add", "dr_c", "--role", "clinician", "--role", "clinician"],
        ADMIN | {"AMBIENTNOTE_NEW_PASSWORD": "dr-c-pass-123"})
    run(["user", "passwd"], {"AMBIENTNOTE_USER": "dr_c", "AMBIENTNOTE_PASSWORD": "dr-c-pass-123",
                             "AMBIENTNOTE_NEW_PASSWORD": "dr-c-pass-456"})
    run(["user", "roles", "dr_c", "--role", "clinician", "--role", "compliance"], ADMIN)
    run(["user", "disable", "dr_c"], ADMIN)
    listing = run(["user", "list"], ADMIN).output
    assert "dr_c" in listing and "disabled" in listing
    run(["user", "passwd", "boss", "--recovery-key"], {"AMBIENTNOTE_RECOVERY_KEY": site,
                                                       "AMBIENTNOTE_NEW_PASSWORD": "boss-pass-456"})
    run(["user", "list"], ADMIN | {"AMBIENTNOTE_PASSWORD": "boss-pass-456"})


def test_db_maintenance_commands(site, tmp_path):
    assert "intact" in run(["db", "check"], ADMIN).output
    backup = tmp_path / "b.bak"
    run(["db", "backup", "--out", str(backup)], ADMIN)
    assert "Restored" in run(["db", "restore", str(backup)], ADMIN).output
    assert "retention_audio_days = 7" in run(["db", "policy", "retention_audio_days", "7"], ADMIN).output
    assert "Purged the audio of 0 encounters" in run(["db", "purge"], ADMIN).output
    rekeyed = run(["db", "rekey"], ADMIN).output
    assert "new key" in rekeyed and "Recovery key" in rekeyed
    assert run(["db", "purge"], AUDITOR, ok=False).exit_code == 5  # audrey must be given a new password


def test_a_damaged_store_is_one_sentence(site, home):
    run(["db", "check"], ADMIN)  # checkpoints nothing, but leaves a settled store
    with login("boss", "boss-pass-123", cfg=load_settings()) as s:
        s.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray((home / "store.db").read_bytes())
    for page in range(1, len(data) // 4096):
        data[page * 4096 + 200] ^= 0x55
    (home / "store.db").write_bytes(bytes(data))
    result = run(["encounter", "list"], ADMIN, ok=False)
    assert result.exit_code == 5 and len(result.output.strip().splitlines()) == 1
    assert "restore a backup" in result.output


def test_check_runs_when_a_damaged_page_stops_the_login_from_being_audited(site, home, tmp_path):
    import shutil

    import sqlcipher3

    from ambientnote.bench.tamper import fill_log

    with login("boss", "boss-pass-123", cfg=load_settings()) as s:
        fill_log(s.store, 3000)
        s.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pristine = tmp_path / "pristine.db"
    shutil.copy(home / "store.db", pristine)
    pages = pristine.stat().st_size // 4096
    for back in range(1, 20):  # find the page the login's audit write needs: the newest events' page
        data = bytearray(pristine.read_bytes())
        data[(pages - back) * 4096 + 100] ^= 0xFF
        (home / "store.db").write_bytes(bytes(data))
        try:
            login("boss", "boss-pass-123", cfg=load_settings()).close()
        except (sqlcipher3.DatabaseError, MemoryError):
            break
    else:
        pytest.fail("no single damaged page stopped the login")
    refused = run(["encounter", "list"], ADMIN, ok=False)
    assert refused.exit_code == 5 and "run 'ambientnote db check'" in refused.output
    checked = run(["db", "check"], ADMIN, ok=False)
    assert checked.exit_code == 5 and checked.output.count("\n") == 1
    assert "page authentication" in checked.output and "this login could not be recorded" in checked.output


def test_overview_break_glass_and_restore_keys_from_the_cli(site, tmp_path):
    with login("boss", "boss-pass-123", cfg=load_settings()) as s:
        eid = save_draft(s, patient_label="Jane Roe", transcript=synthetic_transcript(), note_json=synthetic_note(),
                         audio_path=None, model="m")
    overview = run(["encounter", "overview"], AUDITOR).output
    assert f"{eid:>7}" in overview and "boss" in overview and "Jane Roe" not in overview
    key_file = tmp_path / "recovery.txt"
    key_file.write_text("WRONG-KEY1-2345\n")
    glass = ["encounter", "break-glass", str(eid), "--recovery-key-file", str(key_file), "--reason", "Complaint 7"]
    wrong = run(glass, AUDITOR, ok=False)
    assert wrong.exit_code == 5 and wrong.output == ("Error: That is not this store's recovery key (the one shown at "
                                                     "'ambientnote db init'); nothing was opened.\n")
    key_file.write_text(site + "\n")
    opened = run(glass, AUDITOR)
    assert "Jane Roe" in opened.output and "crushing chest pain" in opened.output
    run(["audit", "export", "--format", "jsonl", "--out", str(tmp_path / "audit.jsonl")], AUDITOR)
    events = (tmp_path / "audit.jsonl").read_text()
    assert "break-glass" in events and "Complaint 7" in events
    reset = run(["user", "passwd", "boss"], AUDITOR | {"AMBIENTNOTE_NEW_PASSWORD": "x"}, ok=False)
    assert reset.exit_code == 6  # an auditor resets nobody
    run(["user", "add", "dr_c", "--role", "clinician"], ADMIN | {"AMBIENTNOTE_NEW_PASSWORD": "first-pass-123"})
    restored = run(["user", "restore-keys", "dr_c", "--recovery-key-file", str(key_file)], ADMIN)
    assert "Restored 0 earlier key(s)" in restored.output
