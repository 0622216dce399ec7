"""Appending to the audit log: one hash-chained row per event, inside the caller's transaction.

Services write their data change and its audit event in the same transaction,
so a crash keeps both or neither. ``BEGIN IMMEDIATE`` (taken by
``Store.transaction``) serialises writers across processes, which keeps the
chain a single line even when several AmbientNote windows share a store.
"""

from __future__ import annotations

import platform
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from ambientnote import __version__
from ambientnote.audit.events import (
    GENESIS_HASH,
    KINDS,
    OUTCOME_SUCCESS,
    AuditEvent,
    canonical_detail,
    event_hash,
)
from ambientnote.db.connection import Store, utcnow

if TYPE_CHECKING:
    import sqlcipher3

_INSERT = (
    "INSERT INTO audit_event(seq, recorded, type, subtype, action, outcome, account, roles, host, source,"
    " entity_type, entity_id, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


LAST_SEQ_KEY = "audit_last_seq"  # the schema's audit_high_water trigger keeps it


def this_host() -> str:
    return socket.gethostname() or platform.node() or "unknown"


class EventFields(TypedDict, total=False):
    """What an event says beyond who and which kind (``record``'s keyword arguments)."""

    entity_type: str
    entity_id: str | int
    outcome: str
    detail: dict[str, Any] | None
    recorded: str | None


@dataclass(frozen=True)
class Actor:
    """Who acts: the agent of an audit event (an account name, never a person's PHI)."""

    account: str
    roles: tuple[str, ...] = ()
    host: str = ""


def source_name(host: str) -> str:
    return f"ambientnote/{__version__}@{host}"


def chain_head(conn: sqlcipher3.Connection) -> tuple[int, str]:
    """The newest event's (seq, hash), or (0, genesis) for an empty log."""
    row = conn.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def record(
    conn: sqlcipher3.Connection,  # inside a write transaction
    actor: Actor,
    kind: str,
    *,
    entity_type: str = "",
    entity_id: str | int = "",
    outcome: str = OUTCOME_SUCCESS,
    detail: dict[str, Any] | None = None,
    recorded: str | None = None,
) -> AuditEvent:
    """Append one event to the chain; the caller commits it with the change it describes.

    Numbers are never reused: the next one follows the highest ever given out
    (kept in ``meta`` by a trigger on every insert, see schema v3), not the highest
    left in the table, so events cut from the end leave a gap that ``verify``
    names even after new events are added.
    """
    spec = KINDS[kind]
    seq, prev = chain_head(conn)
    given = conn.execute(f"SELECT value FROM meta WHERE key = '{LAST_SEQ_KEY}'").fetchone()
    seq = max(seq, int(given[0]) if given else 0)
    host = actor.host or this_host()
    chained = (
        seq + 1, recorded or utcnow(), spec.type_code, spec.subtype, spec.action, outcome, actor.account,
        ",".join(actor.roles), host, source_name(host), entity_type, str(entity_id), canonical_detail(detail), prev,
    )
    row = (*chained, event_hash(chained))
    conn.execute(_INSERT, row)
    return AuditEvent.from_row(row)


def record_now(store: Store, actor: Actor, kind: str, **fields: Unpack[EventFields]) -> AuditEvent:
    """Append one event in a transaction of its own (reads, refusals, verifications)."""
    with store.transaction() as conn:
        return record(conn, actor, kind, **fields)


def insert_rows(conn: sqlcipher3.Connection, rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert already-chained rows (bench and tamper tests build large logs this way)."""
    conn.executemany(_INSERT, rows)
