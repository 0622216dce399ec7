"""Audit exports: CSV, JSON Lines and FHIR R4 Bundles that verify offline and expose tampering."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from ambientnote.audit.export import export_audit, read_events
from ambientnote.audit.verify import verify_file
from ambientnote.config import load_settings
from ambientnote.errors import AccessDenied, InputError
from ambientnote.store import encounters as enc


@pytest.fixture
def busy(clinician, compliance, transcript):
    """A log with two encounters' worth of activity; returns the first encounter id."""
    first = enc.save_draft(clinician, patient_label="A", transcript=transcript, note_json="{}", audio_path=None,
                           model="m")
    second = enc.save_draft(clinician, patient_label="B", transcript=transcript, note_json="{}", audio_path=None,
                            model="m")
    enc.show_encounter(clinician, first)
    enc.sign_note(clinician, second)
    return first


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "fhir"])
def test_complete_exports_verify_offline(compliance, busy, tmp_path, fmt):
    out = tmp_path / f"audit.{fmt}"
    count = export_audit(compliance, fmt, out)
    result = verify_file(out, home=load_settings().home)
    assert result.ok and result.events == count > 10
    if fmt == "fhir":
        bundle = Bundle.model_validate_json(out.read_text())
        event = bundle.entry[0].resource
        assert event.__resource_type__ == "AuditEvent" and event.type.code == "110100"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "fhir"])
def test_filtered_exports_verify_and_hold_only_what_was_asked(compliance, busy, tmp_path, fmt):
    out = tmp_path / f"enc.{fmt}"
    count = export_audit(compliance, fmt, out, encounter=busy, user="dr_b")
    assert count == 2  # create and read
    assert verify_file(out, home=load_settings().home).ok
    assert export_audit(compliance, fmt, tmp_path / f"none.{fmt}", since="2999-01-01") == 0


def test_exports_are_audited_and_compliance_only(compliance, clinician, busy, tmp_path):
    export_audit(compliance, "jsonl", tmp_path / "a.jsonl", user="dr_b")
    last = read_events(compliance, user="carol")[-1]
    assert last.subtype == "audit-export" and last.entity_id == ""
    assert json.loads(last.detail) == {"events": 5, "format": "jsonl", "user": "dr_b"}  # login, 2 creates, read, sign
    with pytest.raises(AccessDenied):
        export_audit(clinician, "csv", tmp_path / "b.csv")
    with pytest.raises(InputError, match="not a date"):
        export_audit(compliance, "csv", tmp_path / "c.csv", since="last tuesday")


def _edit_jsonl(path, line_no, **changes):
    lines = path.read_text().splitlines()
    event = json.loads(lines[line_no])
    event.update(changes)
    lines[line_no] = json.dumps(event)
    path.write_text("\n".join(lines) + "\n")


def test_tampered_jsonl_exports_are_caught(compliance, busy, tmp_path):
    out = tmp_path / "a.jsonl"
    export_audit(compliance, "jsonl", out)
    pristine = out.read_text()
    _edit_jsonl(out, 5, account="nobody")
    assert verify_file(out, home=load_settings().home).first_bad == 5
    lines = pristine.splitlines()
    out.write_text("\n".join(lines[:7] + lines[8:]) + "\n")  # drop event 7
    assert verify_file(out, home=load_settings().home).first_bad == 7
    out.write_text("\n".join(lines[:-1]) + "\n")  # drop the newest
    assert not verify_file(out, home=load_settings().home).ok


def test_tampered_fhir_visible_field_is_caught(compliance, busy, tmp_path):
    out = tmp_path / "a.json"
    export_audit(compliance, "fhir", out)
    bundle = json.loads(out.read_text())
    bundle["entry"][3]["resource"]["agent"][0]["who"]["identifier"]["value"] = "nobody"
    out.write_text(json.dumps(bundle))
    result = verify_file(out, home=load_settings().home)
    assert (result.ok, result.first_bad) == (False, 4)


def test_tampered_csv_is_caught_and_garbage_is_one_sentence(compliance, busy, tmp_path):
    out = tmp_path / "a.csv"
    export_audit(compliance, "csv", out)
    out.write_text(out.read_text().replace(",read,R,0,dr_b,", ",read,R,4,dr_b,", 1))
    assert not verify_file(out, home=load_settings().home).ok
    junk = tmp_path / "junk.txt"
    junk.write_text("hello")
    with pytest.raises(InputError, match="not an AmbientNote audit export"):
        verify_file(junk, home=load_settings().home)
