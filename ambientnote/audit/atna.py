"""One audit event as an IHE ATNA syslog message: RFC 5424 header, DICOM audit message XML, chain fields.

Why this shape: a hospital's audit record repository (ATNA, ITI-20) already reads RFC 5424 messages with
facility authpriv, MSGID ``IHE+RFC-3881`` and a DICOM PS3.15 ``AuditMessage`` as the body, so AmbientNote's
trail lands beside every other system's without a custom parser. The chain fields (store, seq, prev hash,
hash and the exact text hashed) ride in a structured-data element, so the repository's copy can be verified
with the same rule as an export (``ambientnote.audit.events.event_hash``) long after the workstation is gone.

An event holds account names, host names, ids and counts, never PHI text (``ambientnote.audit.events``), so
the message may leave the machine; RFC 5425 (TLS) keeps it private on the wire.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ambientnote.audit.events import TYPE_DISPLAY, AuditEvent, canonical

PRI = 10 * 8 + 5  # facility 10 (authpriv: security/authorization), severity 5 (notice), as IHE ITI-20 asks
MSGID = "IHE+RFC-3881"
SD_ID = "ambientnote@32473"  # 32473: the enterprise number RFC 5612 reserves for documentation and examples
_BOM = "\ufeff"
_DCM = "DCM"


def _code(parent: ET.Element, tag: str, code: str, system: str, text: str) -> None:
    ET.SubElement(parent, tag, {"csd-code": code, "codeSystemName": system, "originalText": text})


def audit_message_xml(event: AuditEvent, store_id: str) -> str:
    """The event as a DICOM PS3.15 A.5 ``AuditMessage`` (what ATNA repositories index and search)."""
    root = ET.Element("AuditMessage")
    ident = ET.SubElement(root, "EventIdentification", {
        "EventActionCode": event.action, "EventDateTime": event.recorded, "EventOutcomeIndicator": event.outcome})
    _code(ident, "EventID", event.type, _DCM, TYPE_DISPLAY.get(event.type, event.type))
    _code(ident, "EventTypeCode", event.subtype, "urn:ambientnote:audit:subtype", event.subtype)
    agent = ET.SubElement(root, "ActiveParticipant", {
        "UserID": event.account, "UserIsRequestor": "true", "NetworkAccessPointID": event.host,
        "NetworkAccessPointTypeCode": "1"})
    for role in filter(None, event.roles.split(",")):
        _code(agent, "RoleIDCode", role, "urn:ambientnote:role", role)
    source = ET.SubElement(root, "AuditSourceIdentification",
                           {"AuditEnterpriseSiteID": store_id, "AuditSourceID": event.source})
    _code(source, "AuditSourceTypeCode", "1", _DCM, "End-user display device, diagnostic display")
    if event.entity_type:
        obj = ET.SubElement(root, "ParticipantObjectIdentification", {
            "ParticipantObjectID": event.entity_id, "ParticipantObjectTypeCode": "2"})
        _code(obj, "ParticipantObjectIDTypeCode", event.entity_type, "urn:ambientnote:entity", event.entity_type)
        if event.detail not in ("", "{}"):
            ET.SubElement(obj, "ParticipantObjectDetail", {"type": "detail", "value": event.detail})
    return ET.tostring(root, encoding="unicode")


def _sd_value(value: str) -> str:
    """RFC 5424 6.3.3: inside PARAM-VALUE, '"', '\\' and ']' are escaped with a backslash."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _header_token(value: str, limit: int) -> str:
    """A header field: printable US-ASCII without spaces, at most ``limit`` characters, '-' when empty."""
    token = "".join(c if 33 <= ord(c) <= 126 else "_" for c in value)[:limit]
    return token or "-"


def syslog_message(event: AuditEvent, store_id: str) -> bytes:
    """One RFC 5424 message (without the RFC 5425 length prefix)."""
    params = {"store": store_id, "seq": str(event.seq), "prev": event.prev_hash, "hash": event.hash,
              "canonical": canonical(event.chained())}
    sd = "[" + SD_ID + "".join(f' {k}="{_sd_value(v)}"' for k, v in params.items()) + "]"
    header = (f"<{PRI}>1 {event.recorded} {_header_token(event.host, 255)} ambientnote - {MSGID} {sd} ")
    return (header + _BOM + audit_message_xml(event, store_id)).encode()


def octet_counted(message: bytes) -> bytes:
    """RFC 5425 / RFC 6587 octet-counting framing: ``MSG-LEN SP SYSLOG-MSG``."""
    return str(len(message)).encode() + b" " + message
