"""What an audit event is, and the one way its hash is computed.

Fields follow FHIR R4 AuditEvent (type/subtype, action, recorded, outcome, agent,
source, entity, detail) flattened into columns. The entity is an id, never PHI
text. Each event's ``hash`` is the SHA-256 of its canonical form, which includes
``prev_hash``, the hash of the event before it: editing, deleting, inserting or
reordering any event breaks the chain at that point. Export files carry the
same fields, so ``canonical`` verifies them offline too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

GENESIS_HASH = "0" * 64

# Column order of the chained fields: the canonical form is this list, JSON-encoded.
CHAINED_FIELDS = (
    "seq", "recorded", "type", "subtype", "action", "outcome", "account", "roles", "host",
    "source", "entity_type", "entity_id", "detail", "prev_hash",
)
ALL_FIELDS = (*CHAINED_FIELDS, "hash")
SELECT_ALL = f"SELECT {', '.join(ALL_FIELDS)} FROM audit_event"

OUTCOME_SUCCESS, OUTCOME_MINOR_FAILURE, OUTCOME_SERIOUS_FAILURE = "0", "4", "8"


@dataclass(frozen=True)
class Kind:
    """An event kind: the DICOM audit type (as FHIR R4 uses), our subtype verb, the CRUDE action."""

    type_code: str
    type_display: str
    subtype: str
    action: str


_AUTH = ("110114", "User Authentication")
_RECORD = ("110110", "Patient Record")
_EXPORT = ("110106", "Export")
_SECURITY = ("110137", "User Security Attributes Changed")
_APP = ("110100", "Application Activity")
_AUDIT = ("110101", "Audit Log Used")

TYPE_DISPLAY = dict((_AUTH, _RECORD, _EXPORT, _SECURITY, _APP, _AUDIT))

KINDS: dict[str, Kind] = {
    "login": Kind(*_AUTH, "login", "E"),
    "encounter.create": Kind(*_RECORD, "create", "C"),
    "encounter.list": Kind(*_RECORD, "list", "E"),
    "encounter.read": Kind(*_RECORD, "read", "R"),
    "encounter.edit": Kind(*_RECORD, "edit", "U"),
    "encounter.sign": Kind(*_RECORD, "sign", "U"),
    "encounter.delete": Kind(*_RECORD, "delete", "D"),
    "encounter.export": Kind(*_EXPORT, "note-export", "R"),
    "encounter.break-glass": Kind(*_RECORD, "break-glass", "R"),
    "retention.purge": Kind(*_RECORD, "retention-purge", "D"),
    "transfer.onprem": Kind(*_EXPORT, "onprem-escalation", "E"),
    "account.create": Kind(*_SECURITY, "account-create", "C"),
    "account.password": Kind(*_SECURITY, "account-password", "U"),
    "account.disable": Kind(*_SECURITY, "account-disable", "U"),
    "account.enable": Kind(*_SECURITY, "account-enable", "U"),
    "account.roles": Kind(*_SECURITY, "account-roles", "U"),
    "policy.change": Kind(*_APP, "policy-change", "U"),
    "store.init": Kind(*_APP, "store-init", "C"),
    "store.check": Kind(*_APP, "store-check", "E"),
    "store.backup": Kind(*_EXPORT, "store-backup", "R"),
    "store.restore": Kind(*_APP, "store-restore", "U"),
    "store.rekey": Kind(*_APP, "store-rekey", "U"),
    "store.signing-key": Kind(*_SECURITY, "signing-key-create", "C"),
    "audit.read": Kind(*_AUDIT, "audit-read", "R"),
    "audit.verify": Kind(*_AUDIT, "audit-verify", "E"),
    "audit.export": Kind(*_AUDIT, "audit-export", "R"),
}


class AuditEvent(BaseModel):
    """One audit event as stored and exported."""

    seq: int
    recorded: str
    type: str
    subtype: str
    action: str
    outcome: str
    account: str
    roles: str
    host: str
    source: str
    entity_type: str
    entity_id: str
    detail: str
    prev_hash: str
    hash: str

    def detail_dict(self) -> dict[str, Any]:
        return json.loads(self.detail) if self.detail else {}

    def outcome_text(self) -> str:
        """The DICOM outcome code in words, as a compliance officer reads it."""
        return OUTCOME_WORDS.get(self.outcome, f"outcome {self.outcome}")

    def detail_text(self) -> str:
        """The detail as a compliance officer reads it: ``format: pdf · version: 2``, not JSON.

        Keys lose their underscores, lists are joined, nested facts are flattened with their parent's name, and
        a long value (an attestation sentence) is cut to its start, since the export keeps it whole.
        """
        return " · ".join(f"{key}: {value}" for key, value in _readable(self.detail_dict()))

    def chained(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in CHAINED_FIELDS)

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> AuditEvent:
        return cls(**dict(zip(ALL_FIELDS, row, strict=True)))


def canonical(chained: tuple[Any, ...] | list[Any]) -> str:
    """The exact text that is hashed: the chained fields (``CHAINED_FIELDS`` order) as compact JSON."""
    return json.dumps(list(chained), ensure_ascii=False, separators=(",", ":"))


def event_hash(chained: tuple[Any, ...] | list[Any]) -> str:
    """SHA-256 of the canonical form of the chained fields."""
    return hashlib.sha256(canonical(chained).encode()).hexdigest()


def canonical_detail(detail: dict[str, Any] | None) -> str:
    """Details are small id-and-count facts; sorted keys keep their text stable."""
    return json.dumps(detail or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


OUTCOME_WORDS = {OUTCOME_SUCCESS: "ok", OUTCOME_MINOR_FAILURE: "refused or failed", OUTCOME_SERIOUS_FAILURE:
                 "serious failure", "12": "major failure"}
_LONG = 60  # characters of a value shown in a table cell


def _readable(detail: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in detail.items():
        name = f"{prefix}{key.replace('_', ' ')}"
        if isinstance(value, dict):
            pairs.extend(_readable(value, f"{name} "))
            continue
        if isinstance(value, list):
            text = ", ".join(str(v) for v in value) or "none"
        elif isinstance(value, bool):
            text = "yes" if value else "no"
        elif value is None:
            text = "none"
        else:
            text = str(value)
        pairs.append((name, text if len(text) <= _LONG else text[: _LONG - 1].rstrip() + "…"))
    return pairs
