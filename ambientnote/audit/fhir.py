"""Audit events as FHIR R4 AuditEvent resources in a Bundle, and back.

fhir.resources ships R4B, whose AuditEvent is R4's. Each resource carries its
chain fields (seq, prev hash, hash) and the exact canonical text that was
hashed as extensions, so ``audit verify --file`` can check the chain offline;
reading back also checks that the visible FHIR fields still say what the
hashed text says, so editing either one is caught.
"""

from __future__ import annotations

import json
from typing import Any

from fhir.resources.R4B.auditevent import AuditEvent as FhirAuditEvent
from fhir.resources.R4B.bundle import Bundle

from ambientnote.audit.events import ALL_FIELDS, CHAINED_FIELDS, TYPE_DISPLAY, AuditEvent, canonical

DCM = "http://dicom.nema.org/resources/ontology/DCM"
_NS = "urn:ambientnote:audit"
EXT_SEQ, EXT_PREV, EXT_HASH, EXT_CANONICAL = (f"{_NS}:seq", f"{_NS}:prev-hash", f"{_NS}:hash", f"{_NS}:canonical")
EXT_EXPORT = f"{_NS}:export"
STORE_SYSTEM = f"{_NS}:store"  # the identifier system of the store an event comes from (AuditEvent.source.observer)
MISMATCH = "fhir-fields-differ-from-hashed-record"


def to_resource(row: tuple[Any, ...]) -> dict[str, Any]:
    """One stored event row (``ALL_FIELDS`` order) as a FHIR AuditEvent dict."""
    ev = dict(zip(ALL_FIELDS, row, strict=True))
    roles = [r for r in ev["roles"].split(",") if r]
    agent: dict[str, Any] = {
        "who": {"identifier": {"system": f"{_NS}:account", "value": ev["account"]}},
        "requestor": True,
        "network": {"address": ev["host"], "type": "1"},
    }
    if roles:
        agent["role"] = [{"coding": [{"system": f"{_NS}:role", "code": r}]} for r in roles]
    resource: dict[str, Any] = {
        "resourceType": "AuditEvent",
        "id": f"audit-{ev['seq']}",
        "extension": [
            {"url": EXT_SEQ, "valueInteger": ev["seq"]},
            {"url": EXT_PREV, "valueString": ev["prev_hash"]},
            {"url": EXT_HASH, "valueString": ev["hash"]},
            {"url": EXT_CANONICAL, "valueString": canonical(row[: len(CHAINED_FIELDS)])},
        ],
        "type": {"system": DCM, "code": ev["type"], "display": TYPE_DISPLAY.get(ev["type"], ev["type"])},
        "subtype": [{"system": f"{_NS}:subtype", "code": ev["subtype"]}],
        "action": ev["action"],
        "recorded": ev["recorded"],
        "outcome": ev["outcome"],
        "agent": [agent],
        "source": {"site": ev["host"], "observer": {"display": ev["source"]}},
    }
    entity: dict[str, Any] = {}
    if ev["entity_id"]:
        entity["what"] = {"identifier": {"system": f"{_NS}:{ev['entity_type'] or 'entity'}", "value": ev["entity_id"]}}
    details = json.loads(ev["detail"]) if ev["detail"] else {}
    if details:
        entity["detail"] = [{"type": k, "valueString": str(v)} for k, v in details.items()]
    if entity:
        resource["entity"] = [entity]
    return resource


def repository_resource(event: AuditEvent, store_id: str) -> dict[str, Any]:
    """One event as POSTed to a FHIR audit repository, validated: no id (the server assigns it), and the store
    as the observer's identifier, which is how ``audit verify`` finds this store's newest events there."""
    resource = to_resource(tuple(getattr(event, name) for name in ALL_FIELDS))
    del resource["id"]
    resource["source"]["observer"]["identifier"] = {"system": STORE_SYSTEM, "value": store_id}
    FhirAuditEvent.model_validate(resource)  # raises if we ever produce invalid FHIR
    return resource


def to_bundle(rows: list[tuple[Any, ...]], meta: dict[str, Any]) -> str:
    """A validated R4 Bundle (type collection) of AuditEvents; export facts ride in Bundle.meta."""
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": meta["exported"],
        "meta": {"extension": [{"url": EXT_EXPORT, "valueString": json.dumps(meta, sort_keys=True)}]},
        "entry": [{"fullUrl": f"urn:ambientnote:audit-event:{r[0]}", "resource": to_resource(r)} for r in rows],
    }
    Bundle.model_validate(bundle)  # raises if we ever produce invalid FHIR
    return json.dumps(bundle, ensure_ascii=False)


def extension_value(resource: dict[str, Any], url: str) -> str | int | None:
    """The value of the extension ``url`` on a resource (a chain field), None when absent."""
    for ext in resource.get("extension", []):
        if ext.get("url") == url:
            return ext.get("valueString", ext.get("valueInteger"))
    return None


def from_bundle(text: str) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """Export facts and event rows from a Bundle; a resource whose visible fields disagree
    with its hashed text comes back with a hash that cannot match, so verification names it."""
    data = json.loads(text)
    Bundle.model_validate(data)
    meta = json.loads(str(extension_value(data.get("meta", {}), EXT_EXPORT) or "{}"))
    rows = []
    for entry in data.get("entry", []):
        res = entry["resource"]
        chained = json.loads(str(extension_value(res, EXT_CANONICAL) or "[]"))
        if len(chained) != len(CHAINED_FIELDS):
            chained = [extension_value(res, EXT_SEQ) or 0] + [""] * (len(CHAINED_FIELDS) - 1)
        ev = dict(zip(CHAINED_FIELDS, chained, strict=False))
        visible = (res.get("recorded"), res.get("action"), res.get("outcome"), res["type"].get("code"),
                   res["agent"][0]["who"]["identifier"]["value"],
                   res.get("entity", [{}])[0].get("what", {}).get("identifier", {}).get("value", ""))
        hashed = (ev.get("recorded"), ev.get("action"), ev.get("outcome"), ev.get("type"), ev.get("account"),
                  ev.get("entity_id"))
        consistent = (visible == hashed and extension_value(res, EXT_SEQ) == ev.get("seq")
                      and extension_value(res, EXT_PREV) == ev.get("prev_hash"))
        rows.append((*chained, extension_value(res, EXT_HASH) if consistent else MISMATCH))
    return meta, rows
