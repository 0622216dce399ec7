"""`db check` notices an encounter moved to another author or planted under a clinician's public key by someone
holding the data key (cases E12 and E13 of docs/security/attack-rerun.md), on a real SQLCipher store; a clean
store, one after an admin reset and restore-keys, and one migrated from before v5 still check out."""

from __future__ import annotations

import json

import pytest

from ambientnote.bench.sandbox import synthetic_note
from ambientnote.config import load_settings
from ambientnote.store import accounts
from ambientnote.store import encounters as enc
from ambientnote.store.account_keys import AccountKey
from ambientnote.store.content import NotYours
from ambientnote.store.maintenance import check_store
from ambientnote.store.session import login

from .conftest import ADMIN_PW, CLIN_PW

A_PW = "clinician-pass-7"


def _save(session, transcript) -> int:  # noqa: ANN001
    return enc.save_draft(session, patient_label="Invented Person", transcript=transcript,
                          note_json=synthetic_note(), audio_path=None, model="m")


def test_a_clean_store_and_one_after_reset_and_restore_keys_check_out(created, clinician, transcript):
    admin, recovery_key = created
    _save(clinician, transcript)
    assert check_store(admin).ok
    accounts.change_password(admin, "clinician-pass-9", "dr_b")
    accounts.restore_account_keys(admin, "dr_b", recovery_key)
    assert check_store(admin).ok, check_store(admin).problems


def test_an_encounter_moved_to_another_author_is_found(created, clinician, transcript):
    eid = _save(clinician, transcript)
    accounts.add_account(created[0], "dr_a", ["clinician"], A_PW)
    with login("dr_a", A_PW, cfg=load_settings()) as insider:
        insider.store.conn.execute("UPDATE encounters SET author_id = ? WHERE id = ?", (insider.account_id, eid))
        insider.store.conn.commit()
    assert check_store(created[0]).problems == [
        f"encounter(s) {eid} are sealed to another account's key than their author's; encounter(s) {eid} were not "
        "created by their author, by the audit log: someone holding the data key changed the store outside AmbientNote"]


def test_an_encounter_planted_under_a_clinicians_public_key_is_found(created, clinician, transcript):
    accounts.add_account(created[0], "dr_a", ["clinician"], A_PW)
    victim_key, victim_id = clinician.account_key(), clinician.account_id
    with login("dr_a", A_PW, cfg=load_settings()) as insider:
        forged = AccountKey(victim_key.id, victim_key.public, b"", insider.account_key().break_glass)
        insider.account_key = lambda: forged  # type: ignore[method-assign]
        insider.account_id = victim_id
        planted = _save(insider, transcript)
    with login("dr_b", CLIN_PW, cfg=load_settings()) as victim:
        with pytest.raises(NotYours):  # refused since v6 (tests/store/test_key_tags.py); db check still names it
            enc.show_encounter(victim, planted)
    problems = check_store(created[0]).problems
    assert problems == [f"encounter(s) {planted} were not created by their author, by the audit log: someone "
                        "holding the data key changed the store outside AmbientNote"]


def test_a_store_migrated_from_before_v5_checks_out(old_store, transcript):
    old_store(4, transcript, note=json.dumps(synthetic_note()))
    with login("admin", ADMIN_PW, cfg=load_settings()) as admin:
        assert check_store(admin).ok, check_store(admin).problems
