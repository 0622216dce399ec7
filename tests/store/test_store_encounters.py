"""Encounters, note versions, exports and retention on a real store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlcipher3
from fhir.resources.R4B.documentreference import DocumentReference

from ambientnote.errors import AccessDenied, InputError
from ambientnote.store import encounters as enc
from ambientnote.store.note_export import export_note
from ambientnote.store.retention import get_policy, purge, set_policy
from ambientnote.bench.sandbox import synthetic_note

AUDIO = b"RIFF" + bytes(range(256)) * 9000  # ~2.3 MB, so it spans several chunks


@pytest.fixture
def saved(clinician, transcript, tmp_path):
    audio = tmp_path / "visit.wav"
    audio.write_bytes(AUDIO)
    eid = enc.save_draft(clinician, patient_label="Jane Roe 1961-04-02", transcript=transcript,
                         note_json=synthetic_note(), audio_path=audio, model="smollm2-135m")
    return eid


def test_save_draft_round_trips_audio_transcript_and_note(clinician, saved, transcript):
    detail = enc.show_encounter(clinician, saved)
    assert detail.summary.patient_label == "Jane Roe 1961-04-02"
    assert detail.transcript == transcript
    assert json.loads(detail.latest.body) == synthetic_note()
    assert (detail.latest.version, detail.latest.status, detail.latest.model) == (1, "draft", "smollm2-135m")
    assert detail.recording.size == len(AUDIO)
    assert enc.read_audio(clinician, saved) == AUDIO


def test_clinicians_see_only_their_own_encounters(admin, clinician, saved, transcript):
    mine = enc.save_draft(admin, patient_label="P2", transcript=transcript, note_json="{}", audio_path=None,
                          model="m")
    assert [e.id for e in enc.list_encounters(admin)] == [mine]
    assert [e.id for e in enc.list_encounters(clinician)] == [saved]
    for call in (enc.show_encounter, enc.sign_note, enc.delete_encounter, enc.read_audio):
        with pytest.raises(AccessDenied, match="belongs to another clinician"):
            call(admin, saved)
    with pytest.raises(InputError, match="no encounter 999"):
        enc.show_encounter(admin, 999)


def test_versions_go_draft_edited_signed_and_signed_is_immutable(clinician, saved):
    assert enc.edit_note(clinician, saved, {"subjective": "Edited."}) == 2
    assert enc.sign_note(clinician, saved) == 2
    with pytest.raises(InputError, match="already signed"):
        enc.sign_note(clinician, saved)
    with pytest.raises(sqlcipher3.IntegrityError, match="immutable"):
        clinician.store.conn.execute("UPDATE note_versions SET body = '{}' WHERE version = 2")
    assert enc.edit_note(clinician, saved, {"subjective": "Amended."}) == 3
    notes = enc.show_encounter(clinician, saved).notes
    assert [(n.version, n.status) for n in notes] == [(1, "draft"), (2, "signed"), (3, "edited")]
    assert json.loads(notes[1].body) == {"subjective": "Edited."}
    amend = clinician.store.conn.execute(
        "SELECT detail FROM audit_event WHERE subtype = 'edit' ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert json.loads(amend) == {"amends": 2, "version": 3}


def test_delete_removes_unsigned_and_keeps_signed(clinician, saved, transcript):
    other = enc.save_draft(clinician, patient_label="P3", transcript=transcript, note_json="{}",
                           audio_path=None, model="m")
    enc.delete_encounter(clinician, other)
    conn = clinician.store.conn
    assert conn.execute("SELECT count(*) FROM note_versions WHERE encounter_id = ?", (other,)).fetchone() == (0,)
    enc.sign_note(clinician, saved)
    with pytest.raises(InputError, match="signed note"):
        enc.delete_encounter(clinician, saved)


def test_invalid_note_saves_nothing(clinician, transcript):
    with pytest.raises(InputError, match="not valid JSON"):
        enc.save_draft(clinician, patient_label="P", transcript=transcript, note_json="{oops",
                       audio_path=None, model="m")
    assert enc.list_encounters(clinician) == []


def test_note_export_txt_md_fhir_is_audited(clinician, saved):
    txt = export_note(clinician, saved, "txt")
    assert "HISTORY OF PRESENT ILLNESS" in txt and "Crushing chest pain" in txt and "s2" not in txt
    md = export_note(clinician, saved, "md")
    assert "### Plan" in md and "- ECG and troponin" in md
    doc = DocumentReference.model_validate_json(export_note(clinician, saved, "fhir"))
    assert doc.docStatus == "preliminary"
    assert "lisinopril" in doc.content[0].attachment.data.decode()  # fhir.resources decodes base64Binary
    formats = [json.loads(d)["format"] for (d,) in clinician.store.conn.execute(
        "SELECT detail FROM audit_event WHERE subtype = 'note-export'")]
    assert formats == ["txt", "md", "fhir"]


def test_retention_purges_audio_of_signed_encounters_only(admin, clinician, saved, transcript, tmp_path):
    audio = tmp_path / "b.wav"
    audio.write_bytes(b"unsigned audio")
    unsigned = enc.save_draft(clinician, patient_label="P4", transcript=transcript, note_json="{}",
                              audio_path=audio, model="m")
    enc.sign_note(clinician, saved)
    with pytest.raises(InputError, match="No audio retention"):
        purge(admin)
    set_policy(admin, "retention_audio_days", 30)
    assert get_policy(admin) == {"retention_audio_days": 30}
    assert purge(admin).encounters == 0  # signed today: not due
    result = purge(admin, now=datetime.now(UTC) + timedelta(days=31))
    assert (result.encounters, result.audio_bytes) == (1, len(AUDIO))
    with pytest.raises(InputError, match="no audio"):
        enc.read_audio(clinician, saved)
    assert enc.read_audio(clinician, unsigned) == b"unsigned audio"
    assert enc.show_encounter(clinician, saved).transcript is not None
    purged = admin.store.conn.execute(
        "SELECT entity_id FROM audit_event WHERE subtype = 'retention-purge'").fetchall()
    assert purged == [(str(saved),)]
    with pytest.raises(AccessDenied):
        purge(clinician)


def test_transfers_are_audited_without_text(clinician, saved):
    enc.record_transfer(clinician, destination="https://llm.hospital.local/v1", encounter_id=saved,
                        detail={"reason": "long transcript"})
    row = clinician.store.conn.execute(
        "SELECT subtype, entity_id, detail FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    assert row[:2] == ("onprem-escalation", str(saved)) and "llm.hospital.local" in row[2]


def test_a_pydantic_note_is_stored_as_its_json(clinician, transcript):
    from pydantic import BaseModel

    class Note(BaseModel):
        subjective: list[str]

    eid = enc.save_draft(clinician, patient_label="P", transcript=transcript, note_json=Note(subjective=["Cough."]),
                         audio_path=None, model="m")
    assert json.loads(enc.show_encounter(clinician, eid).latest.body) == {"subjective": ["Cough."]}
