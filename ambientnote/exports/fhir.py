"""A stored note as a FHIR R4 DocumentReference, with the Patient, Practitioner and Encounter it points to.

Why R4B: fhir.resources' top-level package is R5, but EHRs take R4; R4B (4.3) is R4's wire format for the
resources used here. The attachment is the exported document itself, as text/plain and text/markdown,
so the EHR shows the same words the clinician pasted or printed. Ids are UUIDs derived from the store,
encounter and version, so exporting the same version twice yields the same resources.

A standalone DocumentReference carries its Patient, Practitioner and Encounter as contained resources
(``#id``); inside a Bundle (``fhir_bundle``) they are entries referenced by ``urn:uuid:``.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.documentreference import DocumentReference

from ambientnote.exports.document import ExportDocument

Resource = dict[str, Any]
LOINC = "http://loinc.org"
PROGRESS_NOTE = ("11506-3", "Progress note")
# Document type by note layout (templates/notes/*.toml); a layout not named here is a progress note.
DOCUMENT_TYPES: dict[str, tuple[str, str]] = {
    "soap": PROGRESS_NOTE,
    "followup": PROGRESS_NOTE,
    "orthopedics": ("68582-6", "Orthopaedic surgery Progress note"),
}


def resource_id(doc: ExportDocument, store_id: str, *parts: object) -> str:
    """A UUID that names one resource of this note version, the same on every export."""
    h = doc.header
    key = ":".join(str(p) for p in ("ambientnote", store_id, "encounter", h.encounter_id, "v", h.version, *parts))
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def system(store_id: str, kind: str) -> str:
    """The identifier system for this store's ``kind`` of thing (accounts, encounters, transcript segments)."""
    return f"urn:ambientnote:{store_id or 'store'}:{kind}"


@dataclass
class Parties:
    """The Patient, Practitioner and Encounter of a note, and how the other resources refer to them."""

    patient: Resource
    practitioner: Resource
    encounter: Resource
    ref: Callable[[Resource], dict[str, str]]

    @property
    def all(self) -> list[Resource]:
        return [self.patient, self.practitioner, self.encounter]


def contained_ref(resource: Resource) -> dict[str, str]:
    return {"reference": f"#{resource['id']}"}


def bundle_ref(resource: Resource) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource['id']}"}


def parties(doc: ExportDocument, store_id: str, ref: Callable[[Resource], dict[str, str]]) -> Parties:
    """The Patient (label, and birth date and MRN when entered), the clinician, and the visit."""
    h = doc.header
    patient: Resource = {"resourceType": "Patient", "id": resource_id(doc, store_id, "patient"),
                         "name": [{"text": h.patient_label}]}
    if h.mrn:
        patient["identifier"] = [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                                       "code": "MR"}]}, "value": h.mrn}]
    if h.birth_date:
        patient["birthDate"] = h.birth_date
    practitioner: Resource = {
        "resourceType": "Practitioner", "id": resource_id(doc, store_id, "practitioner"),
        "identifier": [{"system": system(store_id, "account"), "value": h.clinician}],
        "name": [{"text": h.clinician}],
    }
    encounter: Resource = {
        "resourceType": "Encounter", "id": resource_id(doc, store_id, "encounter"),
        "identifier": [{"system": system(store_id, "encounter"), "value": str(h.encounter_id)}],
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB",
                  "display": "ambulatory"},
        "subject": ref(patient),
        "participant": [{"individual": ref(practitioner)}],
    }
    if period := visit_period(doc):
        encounter["period"] = period
    return Parties(patient, practitioner, encounter, ref)


def visit_period(doc: ExportDocument) -> dict[str, str]:
    h = doc.header
    return {k: v.isoformat() for k, v in (("start", h.visit_start), ("end", h.visit_end)) if v is not None}


def _attachment(text: str, content_type: str, title: str, created: str) -> dict[str, Any]:
    return {"contentType": f"{content_type}; charset=utf-8", "language": "en", "title": title, "creation": created,
            "data": base64.b64encode(text.encode("utf-8")).decode("ascii")}


def document_reference(doc: ExportDocument, store_id: str, p: Parties) -> Resource:
    """The note version as a DocumentReference: typed by layout, authored, authenticated once signed."""
    h, entry = doc.header, doc.header.entry
    code, display = DOCUMENT_TYPES.get(h.template, PROGRESS_NOTE)
    when = (entry.signed_at or entry.created_at).isoformat()
    title = f"{h.template_title}, version {h.version}"
    resource: Resource = {
        "resourceType": "DocumentReference", "id": resource_id(doc, store_id, "document"),
        "masterIdentifier": {"system": "urn:ietf:rfc:3986",
                             "value": f"urn:uuid:{resource_id(doc, store_id, 'document')}"},
        "identifier": [{"system": system(store_id, "note-version"), "value": f"{h.encounter_id}/{h.version}"}],
        "status": "current",
        "docStatus": ("amended" if entry.amends else "final") if h.signed else "preliminary",
        "type": {"coding": [{"system": LOINC, "code": code, "display": display}], "text": h.template_title},
        "category": [{"coding": [{"system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                                  "code": "clinical-note", "display": "Clinical Note"}]}],
        "subject": p.ref(p.patient),
        "date": when,
        "author": [p.ref(p.practitioner)],
        "description": title,
        "content": [{"attachment": _attachment(doc.render("txt"), "text/plain", title, when)},
                    {"attachment": _attachment(doc.render("md"), "text/markdown", title, when)}],
        "context": {"encounter": [p.ref(p.encounter)]},
    }
    if h.signed:
        resource["authenticator"] = p.ref(p.practitioner)
    if entry.amends:
        resource["relatesTo"] = [{"code": "replaces", "target": {"identifier": {
            "system": system(store_id, "note-version"), "value": f"{h.encounter_id}/{entry.amends}"}}}]
    if period := visit_period(doc):
        resource["context"]["period"] = period
    return resource


def document_reference_json(doc: ExportDocument, store_id: str = "") -> str:
    """The standalone DocumentReference (its parties contained), validated as FHIR R4B, as JSON."""
    p = parties(doc, store_id, contained_ref)
    resource = document_reference(doc, store_id, p) | {"contained": p.all}
    return DocumentReference.model_validate(resource).model_dump_json(indent=2, exclude_none=True) + "\n"
