"""Retention: the site's policy on how long audio outlives a signed note, and the purge that applies it.

The signed note and transcript are the record and stay; the audio that
produced them is the bulkiest and most identifying part, so the policy deletes
it N days after signing. The policy lives in the store (set by an admin,
audited); the site's settings give the default. Each purged encounter gets its
own audit event, so compliance can answer "when did this recording go".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ambientnote.access import AccountRole
from ambientnote.audit.log import record
from ambientnote.db.connection import utcnow
from ambientnote.errors import InputError
from ambientnote.store.session import Session

POLICY_KEYS = {"retention_audio_days": int}


@dataclass(frozen=True)
class PurgeResult:
    encounters: int
    audio_bytes: int


def get_policy(session: Session) -> dict[str, int | None]:
    """The store's policy, falling back to the site settings for unset keys (admin only)."""
    session.require(AccountRole.admin, "policy.change")
    stored = dict(session.store.conn.execute("SELECT key, value FROM settings").fetchall())
    site = session.settings
    return {key: kind(stored[key]) if key in stored else getattr(site, key) for key, kind in POLICY_KEYS.items()}


def set_policy(session: Session, key: str, value: int | None) -> None:
    """Set (or with None, unset) one policy key (admin only, audited)."""
    session.require(AccountRole.admin, "policy.change")
    if key not in POLICY_KEYS:
        raise InputError(f"Unknown policy '{key}'; known: {', '.join(POLICY_KEYS)}.")
    if value is not None and value < 0:
        raise InputError(f"The policy '{key}' must be zero or more.")
    with session.store.transaction() as tx:
        if value is None:
            tx.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            tx.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, str(value)))
        record(tx, session.actor, "policy.change", entity_type="policy", entity_id=key, detail={"value": value})


def purge(session: Session, *, audio_days: int | None = None, now: datetime | None = None) -> PurgeResult:
    """Delete the audio of encounters signed more than ``audio_days`` ago (default: the policy); admin only."""
    session.require(AccountRole.admin, "retention.purge")
    days = audio_days if audio_days is not None else get_policy(session)["retention_audio_days"]
    if days is None:
        raise InputError("No audio retention is set; pass --audio-days or set the policy first.")
    cutoff = ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="microseconds")
    with session.store.transaction() as tx:
        due = tx.execute(
            "SELECT r.id, r.encounter_id, r.size FROM recordings r JOIN encounters e ON e.id = r.encounter_id"
            " WHERE r.purged_at IS NULL AND e.signed_at IS NOT NULL AND e.signed_at < ?", (cutoff,)).fetchall()
        for recording_id, encounter_id, size in due:
            tx.execute("DELETE FROM recording_chunks WHERE recording_id = ?", (recording_id,))
            tx.execute("UPDATE recordings SET purged_at = ? WHERE id = ?", (utcnow(), recording_id))
            record(tx, session.actor, "retention.purge", entity_type="encounter", entity_id=encounter_id,
                   detail={"part": "audio", "bytes": size, "days": days})
    return PurgeResult(len(due), sum(size for *_, size in due))
