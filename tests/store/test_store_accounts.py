"""Accounts, keys and logins on a real SQLCipher store."""

from __future__ import annotations

import json

import pytest

from ambientnote.config import load_settings
from ambientnote.errors import AccessDenied, InputError, StoreLocked
from ambientnote.store import accounts
from ambientnote.store.encounters import list_encounters, save_draft
from ambientnote.store.session import login


def _events(session, subtype):
    return session.store.conn.execute(
        "SELECT account, outcome, detail FROM audit_event WHERE subtype = ? ORDER BY seq", (subtype,)).fetchall()


def test_init_writes_only_ciphertext_and_wrapped_keys(created, home):
    session, recovery_key = created
    assert (home / "store.db").read_bytes()[:16] != b"SQLite format 3\x00"
    keyfile = (home / "keys.json").read_text()
    assert session.store.data_key.hex() not in keyfile
    assert recovery_key.replace("-", "") not in keyfile
    assert json.loads(keyfile)["accounts"]["admin"]["wrap"]["kdf"]["alg"] == "argon2id"
    assert session.roles == {"admin", "clinician"}


def test_init_refuses_an_existing_store(created):
    with pytest.raises(InputError, match="already exists"):
        accounts.init_store("again", "another-pass-1", cfg=load_settings())


def test_wrong_password_is_one_sentence_and_audited_at_next_login(created):
    with pytest.raises(StoreLocked) as err:
        login("dr_b", "not-the-password", cfg=load_settings())
    assert str(err.value) == "Wrong user name or password."
    with pytest.raises(StoreLocked):
        login("nobody", "whatever-pass", cfg=load_settings())
    with login("admin", "admin-pass-1", cfg=load_settings()) as s:
        failed = [(a, o) for a, o, _ in _events(s, "login") if o != "0"]
    assert failed[0] == ("dr_b", "4") and failed[1][1] == "4"
    assert failed[1][0].startswith("unknown:") and "nobody" not in failed[1][0]  # an unknown name, only hashed


def test_failed_logins_lock_the_account_until_an_admin_resets_it(created, monkeypatch):
    monkeypatch.setenv("AMBIENTNOTE_MAX_FAILED_LOGINS", "3")
    for _ in range(3):
        with pytest.raises(StoreLocked, match="Wrong"):
            login("dr_b", "bad-password", cfg=load_settings())
    with pytest.raises(StoreLocked, match="locked after 3 failed logins"):
        login("dr_b", "clinician-pass-2", cfg=load_settings())  # even the right password
    accounts.change_password(created[0], "fresh-pass-22", "dr_b")
    login("dr_b", "fresh-pass-22", cfg=load_settings()).close()


def test_back_off_refuses_quick_retries(created, monkeypatch):
    monkeypatch.setenv("AMBIENTNOTE_LOGIN_BACKOFF_SECONDS", "100")
    with pytest.raises(StoreLocked, match="Wrong"):
        login("dr_b", "bad-password", cfg=load_settings())
    with pytest.raises(StoreLocked, match="wait 100 seconds"):
        login("dr_b", "clinician-pass-2", cfg=load_settings())


def test_password_change_rewraps_the_same_data_key(created, home):
    before = (home / "store.db").read_bytes()[:4096]
    with login("dr_b", "clinician-pass-2", cfg=load_settings()) as s:
        accounts.change_password(s, "new-clinician-pw")
    assert (home / "store.db").read_bytes()[:4096] == before  # nothing re-encrypted
    with pytest.raises(StoreLocked):
        login("dr_b", "clinician-pass-2", cfg=load_settings())
    login("dr_b", "new-clinician-pw", cfg=load_settings()).close()


def test_recovery_key_resets_a_forgotten_password(created):
    _, recovery_key = created
    with pytest.raises(StoreLocked, match="recovery key does not open"):
        accounts.reset_with_recovery_key("admin", "AAAA-BBBB", "forgot-it-new-1", cfg=load_settings())
    accounts.reset_with_recovery_key("admin", recovery_key.lower(), "forgot-it-new-1", cfg=load_settings())
    with login("admin", "forgot-it-new-1", cfg=load_settings()) as s:
        assert _events(s, "account-password")[-1][2] == '{"by":"recovery-key"}'


def test_disable_and_enable(admin):
    accounts.disable_account(admin, "dr_b")
    with pytest.raises(StoreLocked, match="disabled"):
        login("dr_b", "clinician-pass-2", cfg=load_settings())
    with pytest.raises(InputError, match="last active admin"):
        accounts.disable_account(admin, "admin")
    accounts.enable_account(admin, "dr_b", "welcome-back-1")
    login("dr_b", "welcome-back-1", cfg=load_settings()).close()
    states = {a.name: a.disabled for a in accounts.list_accounts(admin)}
    assert states == {"admin": False, "carol": False, "dr_b": False}


def test_roles_are_enforced_in_the_services_and_refusals_audited(admin, clinician, compliance, transcript):
    with pytest.raises(AccessDenied, match="admin role"):
        accounts.add_account(clinician, "eve", ["admin"], "sneaky-pass-1")
    with pytest.raises(AccessDenied, match="clinician role"):
        list_encounters(compliance)
    accounts.set_roles(admin, "admin", ["admin"])
    with pytest.raises(AccessDenied, match="clinician role"):
        save_draft(admin, patient_label="X", transcript=transcript, note_json="{}", audio_path=None, model="m")
    refused = admin.store.conn.execute(
        "SELECT account, subtype FROM audit_event WHERE outcome = '4' ORDER BY seq").fetchall()
    assert refused == [("dr_b", "account-create"), ("carol", "list"), ("admin", "create")]


def test_role_and_name_validation(admin):
    with pytest.raises(InputError, match="Roles must be chosen"):
        accounts.add_account(admin, "x", ["superuser"], "long-enough-1")
    with pytest.raises(InputError, match="too short"):
        accounts.add_account(admin, "x", ["clinician"], "short")
    with pytest.raises(InputError, match="already exists"):
        accounts.add_account(admin, "dr_b", ["clinician"], "long-enough-1")


def test_missing_or_foreign_store_is_one_sentence(created, home, tmp_path):
    with pytest.raises(StoreLocked, match="No store was found"):
        login("admin", "admin-pass-1", cfg=load_settings(home=tmp_path / "elsewhere"))
    other = tmp_path / "other"
    accounts.init_store("admin", "admin-pass-1", cfg=load_settings(home=other))[0].close()
    (home / "store.db").replace(tmp_path / "mine.db")
    (other / "store.db").replace(home / "store.db")
    for suffix in ("-wal", "-shm"):
        (home / f"store.db{suffix}").unlink(missing_ok=True)
    with pytest.raises(StoreLocked, match="does not open with this key"):
        login("admin", "admin-pass-1", cfg=load_settings())
