"""FHIR R4 (validated by fhir.resources' R4B models): the note as a DocumentReference, the visit as a Bundle."""

from __future__ import annotations

import base64
import json
from collections import Counter

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.documentreference import DocumentReference

from ambientnote.store import encounters as enc
from ambientnote.store.note_export import export_note
from ambientnote.visits.signing import ATTESTATION


def _by_type(bundle: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for entry in bundle["entry"]:
        out.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return out


def test_document_reference_names_patient_author_visit_and_type(clinician, stored):
    draft = DocumentReference.model_validate_json(export_note(clinician, stored, "fhir"))
    assert draft.docStatus == "preliminary" and draft.authenticator is None
    assert (draft.type.coding[0].system, draft.type.coding[0].code) == ("http://loinc.org", "11506-3")
    enc.sign_note(clinician, stored)
    doc = json.loads(export_note(clinician, stored, "fhir"))
    DocumentReference.model_validate(doc)
    contained = {r["resourceType"]: r for r in doc["contained"]}
    assert doc["docStatus"] == "final"
    assert doc["subject"] == {"reference": f"#{contained['Patient']['id']}"}
    assert contained["Patient"]["name"] == [{"text": "Hayworth, R."}]
    assert doc["author"] == [{"reference": f"#{contained['Practitioner']['id']}"}] and \
        doc["authenticator"] == doc["author"][0]
    assert contained["Practitioner"]["identifier"][0]["value"] == "dr_b"
    assert doc["context"]["encounter"] == [{"reference": f"#{contained['Encounter']['id']}"}]
    summary = enc.show_encounter(clinician, stored).summary
    assert doc["context"]["period"]["start"].startswith(summary.started_at[:19])
    kinds = [a["attachment"]["contentType"] for a in doc["content"]]
    assert kinds == ["text/plain; charset=utf-8", "text/markdown; charset=utf-8"]
    attached = base64.b64decode(doc["content"][0]["attachment"]["data"]).decode()
    assert "Electronically signed by dr_b on " in attached and ATTESTATION in attached and "NOT SIGNED" not in attached
    assert json.loads(export_note(clinician, stored, "fhir"))["id"] == doc["id"]  # the same version, the same ids


def test_orthopedic_notes_are_typed_as_such(clinician, sample_transcript):
    from ambientnote.notes.draft import draft_note

    note, _ = draft_note(sample_transcript, template="orthopedics")
    eid = enc.save_draft(clinician, patient_label="P", transcript=sample_transcript, note_json=note, audio_path=None,
                         model=note.model)
    coding = json.loads(export_note(clinician, eid, "fhir"))["type"]["coding"][0]
    assert (coding["code"], coding["display"]) == ("68582-6", "Orthopaedic surgery Progress note")


def test_bundle_carries_the_visit_record_as_resources(clinician, stored, sample_transcript):
    text = export_note(clinician, stored, "fhir-bundle")
    bundle = json.loads(text)
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:  # each entry is valid as its own resource type, not only as a Bundle entry
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    assert bundle["type"] == "collection"
    counts = Counter(e["resource"]["resourceType"] for e in bundle["entry"])
    assert counts == {"DocumentReference": 1, "Patient": 1, "Practitioner": 1, "Encounter": 1, "Observation": 2,
                      "MedicationStatement": 1, "MedicationRequest": 2, "Condition": 1, "ServiceRequest": 1,
                      "Provenance": 7}
    r = _by_type(bundle)

    office, home = sorted(r["Observation"], key=lambda o: "effectiveDateTime" not in o)
    assert office["code"]["coding"] == [{"system": "http://loinc.org", "code": "85354-9"}]
    assert office["category"][0]["coding"][0]["code"] == "vital-signs" and office["status"] == "preliminary"
    assert [(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"], c["valueQuantity"]["code"])
            for c in office["component"]] == [("8480-6", 152, "mm[Hg]"), ("8462-4", 96, "mm[Hg]")]
    assert [c["valueQuantity"]["value"] for c in home["component"]] == [150, 95] and "Home" in home["note"][0]["text"]

    [statement] = r["MedicationStatement"]
    assert (statement["medicationCodeableConcept"]["text"], statement["status"], statement["dosage"][0]["text"]) == \
        ("lisinopril", "active", "10 mg every morning")
    requests = {m["medicationCodeableConcept"]["text"]: m for m in r["MedicationRequest"]}
    assert set(requests) == {"lisinopril", "amlodipine"}
    assert requests["lisinopril"]["dosageInstruction"][0]["text"] == "20 mg every morning"  # the new dose keeps the schedule the patient follows
    assert requests["amlodipine"]["dosageInstruction"][0]["text"] == "5 mg daily"
    assert all(m["status"] == "draft" and m["intent"] == "order" for m in requests.values())  # unsigned: drafts
    [condition] = r["Condition"]
    assert condition["code"]["text"] == "hypertension"  # on lisinopril with high readings: the diagnosis, not the reading
    [order] = r["ServiceRequest"]
    assert order["code"]["text"] == "kidney function tests and potassium"
    assert order["category"][0]["coding"][0]["display"] == "Laboratory procedure"

    urls = {e["fullUrl"] for e in bundle["entry"]}
    patient = f"urn:uuid:{r['Patient'][0]['id']}"
    said = {s.id: s for s in sample_transcript.segments}
    targets = {}
    for prov in r["Provenance"]:
        [target] = prov["target"]
        assert target["reference"] in urls
        segments = [e["what"]["identifier"]["value"] for e in prov["entity"]]
        assert segments and all(s in said for s in segments)
        targets[target["reference"]] = segments
    clinical = [x for kind in ("Observation", "MedicationStatement", "MedicationRequest", "Condition",
                               "ServiceRequest") for x in r[kind]]
    assert {f"urn:uuid:{x['id']}" for x in clinical} == set(targets)  # every clinical resource is traced
    assert all(x["subject"]["reference"] == patient for x in clinical)
    office_ids = targets[f"urn:uuid:{office['id']}"]
    assert any("152" in said[s].text or "fifty" in said[s].text.lower() for s in office_ids)  # where it was said

    enc.sign_note(clinician, stored)
    signed = _by_type(json.loads(export_note(clinician, stored, "fhir-bundle")))
    assert {m["status"] for m in signed["MedicationRequest"]} == {"active"}
    assert {o["status"] for o in signed["Observation"]} == {"final"}


def _drafted_bundle(clinician, dialogue: str) -> dict:
    """The FHIR bundle of a note drafted from ``dialogue`` and saved, by resource type."""
    from ambientnote.notes.draft import draft_note
    from ambientnote.transcript.formats import parse_tagged_text

    transcript = parse_tagged_text(dialogue)
    note, _ = draft_note(transcript)
    eid = enc.save_draft(clinician, patient_label="P", transcript=transcript, note_json=note, audio_path=None,
                         model=note.model)
    return _by_type(json.loads(export_note(clinician, eid, "fhir-bundle")))


def test_a_prescription_given_on_a_tests_result_is_planned_not_ordered(clinician):
    r = _drafted_bundle(
        clinician, "[patient] my throat has been hurting for four days.\n"
        "[doctor] so for your sore throat i'm gon na have the medical assistant swab you for a rapid strep test and "
        "if that's positive i wan na prescribe amoxicillin five hundred milligrams three times a day for ten days.\n")
    [amoxicillin] = r["MedicationRequest"]
    assert amoxicillin["intent"] == "plan" and amoxicillin["note"][0]["text"].startswith("If positive, start amoxicillin")
    [swab] = r["ServiceRequest"]
    assert swab["intent"] == "order" and swab["code"]["text"] == "rapid strep test"


def test_a_blood_pressure_called_elevated_is_an_observation_interpreted_high_without_a_value(clinician):
    r = _drafted_bundle(
        clinician, "[doctor] hey dragon , show me the blood pressure . your blood pressure's a little elevated here "
        "in the office .\n[patient] okay .\n"
        "[doctor] for your hypertension we'll increase the lisinopril to 20 mg daily .\n[patient] okay .\n")
    [bp] = [o for o in r["Observation"] if o["code"]["text"] == "blood pressure"]
    assert bp["code"]["coding"][0]["code"] == "85354-9"
    assert bp["interpretation"][0]["coding"][0]["code"] == "H"
    assert "valueQuantity" not in bp and "component" not in bp  # no number was said, none is made up
    assert any(p["target"][0]["reference"].endswith(bp["id"]) for p in r["Provenance"])
