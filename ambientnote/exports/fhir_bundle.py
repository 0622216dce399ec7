"""The visit as a FHIR R4 Bundle (type collection): the note's DocumentReference and the visit record's facts.

Why: an EHR can file a note's text, but it can only chart what it can read as data. The visit record the
note was composed from (``Note.record``) already holds typed facts, so each becomes its resource:
office and home vitals are Observations (LOINC code and UCUM unit), current medications are
MedicationStatements, medications started or changed are MedicationRequests, problems are Conditions,
ordered tests, imaging, procedures and referrals are ServiceRequests. A Provenance per resource names the
transcript segments it rests on, so the chart can point back to what was said. An unsigned note's orders
are drafts (``status: draft``, observations ``preliminary``); signing makes them active and final.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from ambientnote import __version__
from ambientnote.exports.document import ExportDocument
from ambientnote.exports.fhir import (
    LOINC,
    Parties,
    Resource,
    bundle_ref,
    document_reference,
    parties,
    resource_id,
    system,
)
from ambientnote.facts.lexicon import lexicon
from ambientnote.facts.schema import Assertion, Fact, Medication, PlanItem, Problem, Vital, VitalRemark

if TYPE_CHECKING:
    from fhir.resources.R4B import FHIRAbstractModel

UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
# The record's units (models/lexicons/vitals.toml) as UCUM codes.
UCUM_CODES = {"mmHg": "mm[Hg]", "bpm": "/min", "breaths/min": "/min", "/min": "/min", "%": "%", "°F": "[degF]",
              "°C": "Cel", "lb": "[lb_av]", "kg": "kg", "kg/m2": "kg/m2", "cm": "cm", "in": "[in_i]"}
BP_PARTS = (("8480-6", "Systolic blood pressure"), ("8462-4", "Diastolic blood pressure"))
CHANGED = {"start", "increase", "decrease", "change", "switch", "restart", None}  # None: a new drug named in the plan
SERVICE_CATEGORIES = {
    "test": ("108252007", "Laboratory procedure"),
    "imaging": ("363679005", "Imaging"),
    "referral": ("3457005", "Patient referral"),
    "procedure": ("387713003", "Surgical procedure"),
}
UNCERTAIN = re.compile(r"\b(likely|possible|probable|probably|suspected|rule out|r/o|query|versus|vs)\b", re.I)


class _Builder:
    """Collects the record's resources, each with the Provenance that names its transcript segments."""

    def __init__(self, doc: ExportDocument, store_id: str) -> None:
        self.doc, self.store_id = doc, store_id
        self.p: Parties = parties(doc, store_id, bundle_ref)
        self.signed = doc.header.signed
        self.when = (doc.header.visit_start or doc.header.entry.created_at).isoformat()
        self.resources: list[Resource] = []
        self.provenance: list[Resource] = []

    def common(self) -> dict[str, Any]:
        return {"subject": self.p.ref(self.p.patient), "encounter": self.p.ref(self.p.encounter)}

    def add(self, kind: str, index: int, resource: Resource, fact: Fact) -> None:
        resource["id"] = resource_id(self.doc, self.store_id, kind, index)
        self.resources.append(resource)
        segments = system(self.store_id, f"encounter:{self.doc.header.encounter_id}:transcript-segment")
        self.provenance.append({
            "resourceType": "Provenance", "id": resource_id(self.doc, self.store_id, "provenance", kind, index),
            "target": [self.p.ref(resource)],
            "recorded": self.doc.header.entry.created_at.isoformat(),
            "activity": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                                     "code": "CREATE"}]},
            "agent": [
                {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                                      "code": "assembler"}]},
                 "who": {"display": f"AmbientNote {__version__} ({self.doc.note.model})"}},
                {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                                      "code": "author"}]},
                 "who": self.p.ref(self.p.practitioner)},
            ],
            "entity": [{"role": "source", "what": {"identifier": {"system": segments, "value": seg},
                                                   "display": f"Transcript segment {seg} ({fact.speaker})"}}
                       for seg in fact.evidence],
        })

    def source(self, fact: Fact) -> dict[str, str]:
        """Who said it: the patient (a home reading, a reported drug) or the clinician."""
        return self.p.ref(self.p.patient if fact.speaker == "patient" else self.p.practitioner)

    # --- one function per kind of fact -------------------------------------------------------------

    def observation(self, name: str, loinc: str, fact: Fact) -> Resource:
        return {
            "resourceType": "Observation", "status": "final" if self.signed else "preliminary",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                      "code": "vital-signs", "display": "Vital Signs"}]}],
            "code": {"coding": [{"system": LOINC, "code": loinc}] if loinc else [], "text": name},
            **self.common(),
            "performer": [self.source(fact)],
        }

    def vital(self, index: int, v: Vital) -> None:
        resource = self.observation(v.name, v.loinc, v)
        if v.setting == "office":
            resource["effectiveDateTime"] = self.when
        else:
            resource["note"] = [{"text": "Home reading, as reported in the visit."}]
        parts = v.value.split("/")
        if v.name == "blood pressure" and len(parts) == 2 and all(_number(x) is not None for x in parts):
            resource["component"] = [{"code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
                                      "valueQuantity": _quantity(part, v.unit)}
                                     for (code, display), part in zip(BP_PARTS, parts, strict=True)]
        elif _number(v.value) is not None:
            resource["valueQuantity"] = _quantity(v.value, v.unit)
        else:
            resource["valueString"] = f"{v.value} {v.unit}".strip()
        self.add("vital", index, resource, v)

    def vital_remark(self, index: int, r: VitalRemark) -> None:
        """A vital the clinician called high or low without reading it out: the judgement as the Observation's
        interpretation, and no value, for none was said."""
        resource = self.observation(r.name, lexicon("vitals")["vitals"][r.name]["loinc"], r)
        code, display = {"elevated": ("H", "High"), "low": ("L", "Low")}[r.finding]
        resource |= {"effectiveDateTime": self.when,
                     "interpretation": [{"coding": [{"system": INTERPRETATION, "code": code, "display": display}]}],
                     "note": [{"text": f"Called {r.finding} in the visit; the value was not read out."}]}
        self.add("vital-remark", index, resource, r)

    def medication(self, index: int, m: Medication, stopped: bool) -> None:
        status = {Assertion.present: "active", Assertion.denied: "not-taken", Assertion.historical: "completed"}
        if m.assertion not in status:
            return
        resource: Resource = {
            "resourceType": "MedicationStatement", "status": "stopped" if stopped else status[m.assertion],
            "medicationCodeableConcept": {"text": m.name},
            "subject": self.p.ref(self.p.patient), "context": self.p.ref(self.p.encounter),
            "dateAsserted": self.when, "informationSource": self.source(m),
        }
        if dosage := " ".join(x for x in (m.dose, m.route, m.frequency) if x):
            resource["dosage"] = [{"text": dosage}]
        if m.adherence:
            resource["note"] = [{"text": m.adherence.capitalize() + "."}]
        self.add("medication-statement", index, resource, m)

    def medication_request(self, index: int, item: PlanItem) -> None:
        resource: Resource = {
            "resourceType": "MedicationRequest", "status": "active" if self.signed else "draft",
            "intent": _intent(item),
            "medicationCodeableConcept": {"text": item.target or item.text},
            **self.common(), "authoredOn": self.when, "requester": self.p.ref(self.p.practitioner),
            "note": [{"text": item.text}],
        }
        if dosage := " ".join(x for x in (item.dose, item.frequency) if x):
            resource["dosageInstruction"] = [{"text": dosage}]
        if item.reason:
            resource["reasonCode"] = [{"text": item.reason}]
        self.add("medication-request", index, resource, item)

    def condition(self, index: int, problem: Problem) -> None:
        if problem.assertion not in (Assertion.present, Assertion.possible):
            return
        uncertain = problem.assertion == Assertion.possible or bool(UNCERTAIN.search(problem.impression or ""))
        resource: Resource = {
            "resourceType": "Condition",
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                           "code": "active"}]},
            "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                               "code": "provisional" if uncertain else "confirmed"}]},
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                      "code": "encounter-diagnosis", "display": "Encounter Diagnosis"}]}],
            "code": {"text": problem.name},
            **self.common(), "recordedDate": self.when, "recorder": self.p.ref(self.p.practitioner),
        }
        if problem.impression:
            resource["note"] = [{"text": problem.impression}]
        self.add("condition", index, resource, problem)

    def service_request(self, index: int, item: PlanItem) -> None:
        code, display = SERVICE_CATEGORIES[item.kind]
        resource: Resource = {
            "resourceType": "ServiceRequest", "status": "active" if self.signed else "draft", "intent": _intent(item),
            "category": [{"coding": [{"system": SNOMED, "code": code, "display": display}]}],
            "code": {"text": item.target or item.text},
            **self.common(), "authoredOn": self.when, "requester": self.p.ref(self.p.practitioner),
            "note": [{"text": item.text}],
        }
        if item.reason:
            resource["reasonCode"] = [{"text": item.reason}]
        self.add("service-request", index, resource, item)


INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def _number(text: str) -> float | None:
    return float(text) if re.fullmatch(r"\d+(?:\.\d+)?", text.strip()) else None


def _quantity(value: str, unit: str) -> dict[str, Any]:
    number = float(value)  # the caller checked it is a number
    quantity: dict[str, Any] = {"value": int(number) if number == int(number) else number, "unit": unit}
    if unit in UCUM_CODES:
        quantity |= {"system": UCUM, "code": UCUM_CODES[unit]}
    return quantity


def _intent(item: PlanItem) -> str:
    """An order given on a condition ("if the strep test is positive, amoxicillin …", "an MRI if it is not better")
    is the plan, not yet an order a pharmacy or a department should act on."""
    return "plan" if (item.reason or "").startswith("if ") else "order"


def record_resources(doc: ExportDocument, store_id: str = "") -> tuple[Parties, list[Resource], list[Resource]]:
    """(parties, the record's clinical resources, one Provenance per clinical resource); none without a record."""
    b = _Builder(doc, store_id)
    record = doc.note.record
    if record is None:  # a note drafted before the visit record existed: its text is all there is
        return b.p, [], []
    plan = record.plan
    stops = {i.target.casefold() for i in plan if i.kind == "medication" and i.action == "stop" and i.target}
    current = {m.name.casefold() for m in record.medications}
    for n, v in enumerate(record.vitals):
        if v.assertion == Assertion.present:
            b.vital(n, v)
    for n, r in enumerate(record.vital_remarks):
        b.vital_remark(n, r)
    for n, m in enumerate(record.medications):
        b.medication(n, m, stopped=m.name.casefold() in stops)
    for n, item in enumerate(plan):
        if item.kind == "medication" and item.action in CHANGED and item.assertion == Assertion.present \
                and not (item.action is None and (item.target or "").casefold() in current):
            b.medication_request(n, item)
    for n, problem in enumerate(record.problems):
        b.condition(n, problem)
    for n, item in enumerate(plan):
        if item.kind in SERVICE_CATEGORIES and item.assertion == Assertion.present:
            b.service_request(n, item)
    return b.p, b.resources, b.provenance


def _validated(resource: Resource) -> FHIRAbstractModel:
    """The resource as its fhir.resources R4B model (raises on anything R4 would reject)."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def bundle(doc: ExportDocument, store_id: str = "") -> Bundle:
    """The collection Bundle: DocumentReference, Patient, Practitioner, Encounter, the record, Provenance."""
    p, clinical, provenance = record_resources(doc, store_id)
    resources = [document_reference(doc, store_id, p), *p.all, *clinical, *provenance]
    return Bundle.model_validate({
        "resourceType": "Bundle", "id": resource_id(doc, store_id, "bundle"), "type": "collection",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{resource_id(doc, store_id, 'bundle')}"},
        "timestamp": datetime.now(UTC).isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": _validated(r)} for r in resources],
    })


def bundle_json(doc: ExportDocument, store_id: str = "") -> str:
    return bundle(doc, store_id).model_dump_json(indent=2, exclude_none=True) + "\n"
