"""The audit chain: what gets recorded, append-only, and that any tampering is caught and located."""

from __future__ import annotations

import pytest
import sqlcipher3

from ambientnote.audit.anchor import read_anchor
from ambientnote.audit.events import AuditEvent
from ambientnote.audit.log import record_now
from ambientnote.audit.verify import verify_audit, verify_store
from ambientnote.bench.sandbox import synthetic_note
from ambientnote.bench.tamper import fill_log, run_tamper_trials
from ambientnote.config import load_settings
from ambientnote.errors import AccessDenied
from ambientnote.store import encounters as enc
from ambientnote.store.note_export import export_note
from ambientnote.store.session import login


def _all(session) -> list[AuditEvent]:
    cols = "seq, recorded, type, subtype, action, outcome, account, roles, host, source, entity_type, entity_id," \
           " detail, prev_hash, hash"
    return [AuditEvent.from_row(r) for r in session.store.conn.execute(f"SELECT {cols} FROM audit_event")]


def test_every_clinical_action_is_an_event_with_ids_and_no_phi(clinician, transcript):
    eid = enc.save_draft(clinician, patient_label="Jane Roe", transcript=transcript, note_json=synthetic_note(),
                         audio_path=None, model="m")
    enc.list_encounters(clinician)
    enc.show_encounter(clinician, eid)
    enc.edit_note(clinician, eid, synthetic_note())
    enc.sign_note(clinician, eid)
    export_note(clinician, eid, "md")
    other = enc.save_draft(clinician, patient_label="Jim Doe", transcript=transcript, note_json="{}",
                           audio_path=None, model="m")
    enc.delete_encounter(clinician, other)
    mine = [e for e in _all(clinician) if e.account == "dr_b"]
    assert [e.subtype for e in mine] == ["login", "create", "list", "read", "edit", "sign", "read", "note-export",
                                         "create", "delete"]
    assert {e.entity_id for e in mine if e.entity_type == "encounter"} == {str(eid), str(other)}
    assert all(e.host and e.roles == "clinician" and e.source.startswith("ambientnote/") for e in mine)
    text = " ".join(e.model_dump_json() for e in _all(clinician))
    assert "Jane" not in text and "Roe" not in text and "chest" not in text


def test_the_table_is_append_only(admin):
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        admin.store.conn.execute("UPDATE audit_event SET account = 'x' WHERE seq = 1")
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        admin.store.conn.execute("DELETE FROM audit_event WHERE seq = 1")


def _untriggered(session):
    conn = session.store.conn
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    return conn


def test_verify_names_the_first_bad_event(compliance):
    fill_log(compliance.store, 50)
    assert verify_audit(compliance).ok
    conn = _untriggered(compliance)
    conn.execute("UPDATE audit_event SET account = 'someone_else' WHERE seq = 20")
    result = verify_audit(compliance)
    assert (result.ok, result.first_bad) == (False, 20)
    assert "event 20 was altered" in result.sentence()
    assert conn.execute("SELECT outcome FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone() == ("8",)


def test_deleting_the_newest_events_is_caught_by_the_anchor_even_after_new_writes(compliance):
    fill_log(compliance.store, 30)
    head = read_anchor(compliance.store)
    conn = _untriggered(compliance)
    conn.execute("DELETE FROM audit_event WHERE seq > ?", (head.count - 3,))
    assert verify_store(compliance.store).first_bad == head.count - 2
    for _ in range(5):  # the app keeps writing: new events take new numbers, never the deleted ones
        record_now(compliance.store, compliance.actor, "audit.read")
    result = verify_store(compliance.store)
    assert not result.ok and result.first_bad == head.count - 2
    assert f"events {head.count - 2} to {head.count} are missing" in result.reason
    compliance.close()
    with login("carol", "compliance-pass-3", cfg=load_settings()) as s:  # a new unlock does not launder it either
        assert not verify_store(s.store).ok


def test_a_missing_anchor_fails_verification(compliance):
    compliance.store.paths.anchor.unlink()
    assert "anchor file is missing" in verify_store(compliance.store).sentence()


def test_insertion_in_the_middle_is_caught(compliance):
    fill_log(compliance.store, 20)
    conn = _untriggered(compliance)
    n = conn.execute("SELECT max(seq) FROM audit_event").fetchone()[0]
    for seq in range(n, 9, -1):  # make room at 10, renumbering like a careful forger would
        conn.execute("UPDATE audit_event SET seq = seq + 1 WHERE seq = ?", (seq,))
    conn.execute("INSERT INTO audit_event SELECT 10, recorded, type, subtype, action, outcome, account, roles, host,"
                 " source, entity_type, entity_id, detail, prev_hash, hash FROM audit_event WHERE seq = 9")
    assert verify_store(compliance.store).first_bad in (10, 11)


def test_random_tampering_is_always_detected(compliance):
    fill_log(compliance.store, 300)
    report = run_tamper_trials(compliance.store, 100)
    assert report.share_detected == 1.0
    assert report.located == report.trials
    assert set(report.by_kind) == {"edit", "edit-rehash", "delete", "delete-newest", "swap"}


def test_only_compliance_verifies(clinician):
    with pytest.raises(AccessDenied, match="compliance role"):
        verify_audit(clinician)
