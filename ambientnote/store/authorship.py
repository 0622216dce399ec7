"""Whose encounter is it? A cross-check for ``db check`` against rows moved or planted with the data key.

Envelope encryption keeps an encounter's content from everyone but its clinician, but anyone who holds the data
key (any account's password) can still rewrite an encounter's author, or seal a content key of their own to a
clinician's public key and plant an encounter in that clinician's list. Neither breaks a seal, so the content
checks cannot see them; the store's other records can: an encounter's content must be sealed to a key of its
author, and the audit log must show its author creating it (or encrypting it when an older store was migrated).
Someone who also rewrites the audit log escapes this check, but not the audit repository (``audit verify``).
"""

from __future__ import annotations

from ambientnote.audit.events import KINDS, OUTCOME_SUCCESS, canonical_detail
from ambientnote.db.connection import Store
from ambientnote.store.legacy_content import MIGRATED_DETAIL

_SHOWN = 5  # encounters named in one finding; the rest are counted


def _finding(ids: list[int], what: str) -> list[str]:
    if not ids:
        return []
    named = ", ".join(str(i) for i in ids[:_SHOWN]) + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")
    return [f"encounter(s) {named} {what}"]


def authorship_problems(store: Store) -> list[str]:
    """Sealed encounters whose key or audited creation belongs to another account than their author."""
    rows = store.conn.execute(
        "SELECT e.id, author.name, holder.name FROM encounters e JOIN encounter_keys k ON k.encounter_id = e.id"
        " JOIN accounts author ON author.id = e.author_id"
        " LEFT JOIN account_keys ak ON ak.id = k.owner_key_id LEFT JOIN accounts holder ON holder.id = ak.account_id"
        " ORDER BY e.id").fetchall()
    creators: dict[str, set[str]] = {}
    for entity_id, account in store.conn.execute(
            "SELECT entity_id, account FROM audit_event WHERE entity_type = 'encounter' AND outcome = ?"
            " AND (subtype = ? OR (subtype = ? AND detail = ?))",
            (OUTCOME_SUCCESS, KINDS["encounter.create"].subtype, KINDS["encounter.edit"].subtype,
             canonical_detail(MIGRATED_DETAIL))):
        creators.setdefault(str(entity_id), set()).add(account)
    other_key = [eid for eid, author, holder in rows if holder != author]
    not_theirs = [eid for eid, author, _ in rows if author not in creators.get(str(eid), set())]
    findings = (_finding(other_key, "are sealed to another account's key than their author's")
                + _finding(not_theirs, "were not created by their author, by the audit log"))
    return [f"{'; '.join(findings)}: someone holding the data key changed the store outside AmbientNote"] \
        if findings else []
