"""An encounter under a clinician's name whose key their own account did not make is refused, not shown as theirs,
and audited (cases E12 and E13 of docs/security/attack-rerun.md, done as docs/security/attack/insider.py and
forge.py do them), on real SQLCipher stores; a moved encounter returns to its owner at their next login; a store from schema v5 is tagged at each owner's next login and its
encounters still open; break-glass still reads them all."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlcipher3

from ambientnote.config import load_settings
from ambientnote.db.connection import store_paths
from ambientnote.db.keys import editing_keyfile, password_kdf, read_keyfile, unwrap, wrap
from ambientnote.store import accounts
from ambientnote.store import encounters as enc
from ambientnote.store.account_keys import TAGGED_MARK, AccountKey, split_secret, wrap_aad
from ambientnote.store.break_glass import break_glass, encounter_overview
from ambientnote.store.content import NotYours
from ambientnote.store.maintenance import check_store
from ambientnote.store.note_export import export_note
from ambientnote.store.session import Session, login

from .conftest import ADMIN_PW, CLIN_PW, COMP_PW

A_PW = "insider-pass-7"
PASSWORDS = {"admin": ADMIN_PW, "dr_b": CLIN_PW, "carol": COMP_PW, "dr_a": A_PW}


def _save(session: Session, transcript: Any, label: str) -> int:
    return enc.save_draft(session, patient_label=label, transcript=transcript, note_json={"subjective": [label]},
                          audio_path=None, model="m")


def _forge(insider: Session, victim: Session, transcript: Any) -> int:
    """As forge.py: the insider seals a new encounter to the victim's public key through the save service."""
    own_id, own_key, own_account_key = insider.account_id, insider.keys, insider.account_key
    victim_key = victim.account_key()
    forged = AccountKey(victim_key.id, victim_key.public, b"", own_key.break_glass)
    insider.account_key, insider.account_id = (lambda: forged), victim.account_id  # type: ignore[method-assign]
    try:
        return _save(insider, transcript, "Forged Person")
    finally:
        insider.account_key, insider.account_id = own_account_key, own_id  # type: ignore[method-assign]


def _refusals(session: Session, eid: int) -> list[tuple[str, str]]:
    return [(subtype, json.loads(detail)["refused"]) for subtype, detail in session.store.conn.execute(
        "SELECT subtype, detail FROM audit_event WHERE entity_type = 'encounter' AND entity_id = ? AND outcome = '4'"
        " ORDER BY seq", (str(eid),))]


@pytest.fixture
def insider(created):
    accounts.add_account(created[0], "dr_a", ["clinician"], A_PW)
    with login("dr_a", A_PW, cfg=load_settings()) as session:
        yield session


def test_an_encounter_moved_to_another_clinicians_name_is_refused_to_them_and_back_at_its_owners_login(
        created, clinician, insider, transcript):
    eid = _save(clinician, transcript, "Invented Person")
    # As insider.py (E12): the raw update, committed by the next write.
    insider.store.conn.execute("UPDATE encounters SET author_id = ? WHERE id = ?", (insider.account_id, eid))
    with pytest.raises(NotYours) as err:
        enc.show_encounter(insider, eid)
    assert str(err.value) == (
        f"Encounter {eid} is sealed to another clinician's key, not yours, so it is not opened (if it is under your "
        "name, someone holding the data key moved it there: an administrator finds it with 'ambientnote db check', "
        "and break-glass still reads it).")
    for act in (lambda: enc.sign_note(insider, eid), lambda: enc.delete_encounter(insider, eid),
                lambda: export_note(insider, eid, "txt")):
        with pytest.raises(NotYours):
            act()
    listed = enc.list_encounters(insider)
    assert (list(listed), listed.withheld) == ([], (eid,))
    assert listed.notice().startswith(f"Encounter(s) {eid} are under your name but their key was not made by your")
    assert _refusals(insider, eid) == [(kind, "key not made by this account")
                                       for kind in ("read", "sign", "delete", "note-export", "list")]
    assert insider.store.conn.execute("SELECT status FROM encounters WHERE id = ?", (eid,)).fetchone() == ("draft",)
    assert break_glass(insider, eid, created[1], "Review").warning() == (
        f"Encounter {eid} may not be dr_a's: it is sealed to another account's key than its author's: someone "
        "holding the data key moved it.")
    with login("dr_b", CLIN_PW, cfg=load_settings()) as owner:  # the key is the owner's: their login makes them its author again
        assert [e.patient_label for e in enc.list_encounters(owner)] == ["Invented Person"]
        assert owner.store.conn.execute("SELECT detail FROM audit_event WHERE subtype = 'edit' ORDER BY seq DESC"
                                        " LIMIT 1").fetchone() == ('{"author":"restored: its key is this clinician\'s"}',)
    assert enc.list_encounters(insider).withheld == ()
    assert [row.clinician for row in encounter_overview(created[0])] == ["dr_b"]
    assert check_store(created[0]).ok, check_store(created[0]).problems


@pytest.mark.parametrize("tamper", ["as forged", "tag removed", "tag copied from a real encounter"])
def test_an_encounter_forged_under_a_clinicians_public_key_is_refused(created, clinician, insider, transcript,
                                                                      tamper):
    real = _save(clinician, transcript, "Real Person")
    planted = _forge(insider, clinician, transcript)
    if tamper != "as forged":
        with insider.store.transaction() as tx:
            tx.execute("UPDATE encounter_keys SET owner_tag = (SELECT owner_tag FROM encounter_keys"
                       " WHERE encounter_id = ?) WHERE encounter_id = ?",
                       (real if tamper.endswith("encounter") else -1, planted))
    with login("dr_b", CLIN_PW, cfg=load_settings()) as victim:
        listed = enc.list_encounters(victim)
        assert ([e.patient_label for e in listed], listed.withheld) == (["Real Person"], (planted,))
        with pytest.raises(NotYours, match=f"Encounter {planted} was not sealed by your account"):
            enc.show_encounter(victim, planted)
        with pytest.raises(NotYours):
            enc.sign_note(victim, planted)
        assert _refusals(victim, planted) == [("list", "key not made by this account"),
                                              ("read", "key not made by this account"),
                                              ("sign", "key not made by this account")]
        assert enc.show_encounter(victim, real).summary.patient_label == "Real Person"
    with login("carol", COMP_PW, cfg=load_settings()) as officer:  # break-glass still reads it, and says it may not be dr_b's
        opened = break_glass(officer, planted, created[1], "Investigation of a planted encounter")
        assert (opened.clinician, opened.detail.summary.patient_label) == ("dr_b", "Forged Person")
        assert opened.warning() == f"Encounter {planted} may not be dr_b's: " + (
            "its key carries no tag of its clinician's: someone holding the data key planted it, unless its clinician "
            "has not logged in since the upgrade to schema 6." if tamper == "tag removed" else
            "its key was not made by its clinician's account: someone holding the data key planted it.")
        assert json.loads(officer.store.conn.execute("SELECT detail FROM audit_event WHERE subtype = 'break-glass'"
                                                     " ORDER BY seq DESC LIMIT 1").fetchone()[0])["key"] == \
            "not its clinician's"
        assert break_glass(officer, real, created[1], "Sample").warning() is None


def test_a_plaintext_encounter_planted_later_is_not_adopted_at_login(clinician, insider):
    with insider.store.transaction() as tx:
        planted = tx.execute("INSERT INTO encounters(author_id, patient_label, created_at, status)"
                             " VALUES (?, 'Planted Person', '2026-01-01', 'draft')", (clinician.account_id,)).lastrowid
    with login("dr_b", CLIN_PW, cfg=load_settings()) as victim:
        listed = enc.list_encounters(victim)
        assert (list(listed), listed.withheld) == ([], (planted,))
        assert victim.store.conn.execute("SELECT patient_label FROM encounters WHERE id = ?",
                                         (planted,)).fetchone() == ("Planted Person",)  # not encrypted as theirs


def _as_v5(home: Any, data_key: bytes) -> None:
    """Turn a closed store into what schema v5 left: no tag column, and wraps without the tagged mark."""
    conn = sqlcipher3.connect(str(store_paths(home).db), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    conn.execute("DROP INDEX encounter_keys_owner")
    conn.execute("ALTER TABLE encounter_keys DROP COLUMN owner_tag")
    conn.execute("PRAGMA user_version = 5")
    conn.close()
    with editing_keyfile(store_paths(home).keys) as keyfile:
        for name, entry in keyfile.accounts.items():
            aad = wrap_aad(keyfile.store_id, name)
            secret = unwrap(entry["wrap"], PASSWORDS[name], aad)
            entry["wrap"] = wrap(secret.removesuffix(TAGGED_MARK), PASSWORDS[name], password_kdf(1024, 1), aad)


def _wrap_is_tagged(home: Any, name: str) -> bool:
    keyfile = read_keyfile(store_paths(home).keys)
    return split_secret(unwrap(keyfile.accounts[name]["wrap"], PASSWORDS[name],
                               wrap_aad(keyfile.store_id, name))).tagged


def test_a_v5_store_is_tagged_at_each_owners_next_login_and_its_encounters_still_open(home, created, clinician,
                                                                                       transcript):
    admin, recovery_key = created
    eids = [_save(clinician, transcript, f"Person {i}") for i in range(3)]
    data_key = clinician.store.data_key
    clinician.close()
    admin.close()
    _as_v5(home, data_key)
    assert not _wrap_is_tagged(home, "dr_b")
    with login("dr_b", CLIN_PW, cfg=load_settings()) as s:
        conn = s.store.conn
        assert conn.execute("PRAGMA user_version").fetchone() == (6,)
        assert [e.patient_label for e in enc.list_encounters(s)] == ["Person 2", "Person 1", "Person 0"]
        assert json.loads(enc.show_encounter(s, eids[0]).latest.body) == {"subjective": ["Person 0"]}
        assert conn.execute("SELECT count(*) FROM encounter_keys WHERE owner_tag IS NULL").fetchone() == (0,)
        assert conn.execute("SELECT detail FROM audit_event WHERE subtype = 'account-password' ORDER BY seq DESC"
                            " LIMIT 1").fetchone() == ('{"content_keys":"tagged"}',)
        # From now on an untagged key is planted: the wrap vouches that every key of dr_b's is tagged.
        with s.store.transaction() as tx:
            tx.execute("UPDATE encounter_keys SET owner_tag = NULL WHERE encounter_id = ?", (eids[1],))
    assert _wrap_is_tagged(home, "dr_b")
    with login("dr_b", CLIN_PW, cfg=load_settings()) as again:
        assert enc.list_encounters(again).withheld == (eids[1],)
    with login("carol", COMP_PW, cfg=load_settings()) as officer:
        assert break_glass(officer, eids[1], recovery_key, "Audit sample").detail.summary.patient_label == "Person 1"


def test_a_v5_encounter_under_a_key_retired_by_an_admin_reset_opens_after_restore_keys(home, created, clinician,
                                                                                       transcript):
    admin, recovery_key = created
    eid = _save(clinician, transcript, "Before the reset")
    data_key = clinician.store.data_key
    clinician.close()
    admin.close()
    _as_v5(home, data_key)
    with login("admin", ADMIN_PW, cfg=load_settings()) as s:  # dr_b never logs in under v6 before the reset
        accounts.reset_password(s, "dr_b", "reset-by-admin-9")
        assert accounts.restore_account_keys(s, "dr_b", recovery_key) == (1, 0)
    with login("dr_b", "reset-by-admin-9", cfg=load_settings()) as s:
        assert enc.show_encounter(s, eid).summary.patient_label == "Before the reset"
