"""Exporting the audit log for compliance officers: CSV, JSON Lines, or a FHIR R4 Bundle.

Exports carry every chained field (seq, prev_hash, hash) plus a small header
(store id, filters, whether the export is complete, the chain head), so
``audit verify --file`` proves offline that nothing in it was altered. Events
hold ids, never PHI text, so an export may leave the machine. The export runs
in one read snapshot; the ``audit.export`` event recording it comes after.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from ambientnote.access import AccountRole
from ambientnote.audit import fhir
from ambientnote.audit.events import ALL_FIELDS, SELECT_ALL, AuditEvent
from ambientnote.audit.log import record_now
from ambientnote.audit.signing import sign_export
from ambientnote.db.connection import utcnow
from ambientnote.errors import InputError
from ambientnote.files import explain, write_atomic

if TYPE_CHECKING:  # the store sits above the audit: sessions are passed in, never imported
    from ambientnote.store.session import Session

FORMATS = ("csv", "jsonl", "fhir")
HEADER_KEY = "ambientnote_audit_export"
CSV_PREFIX = "# ambientnote audit export "


def _instant(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError as exc:
            raise InputError(f"'{value}' is not a date; write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM.") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class EventFilters(TypedDict, total=False):
    """Which events to read or export (``select_events``'s keyword arguments)."""

    since: datetime | str | None
    until: datetime | str | None
    user: str | None
    encounter: int | None


def select_events(session: Session, *, since: datetime | str | None = None, until: datetime | str | None = None,
                  user: str | None = None, encounter: int | None = None,
                  newest: int | None = None) -> tuple[list[tuple[Any, ...]], dict]:
    """Event rows matching the filters (``until`` exclusive; only the ``newest`` N if given), oldest first,
    and the filters as recorded in exports."""
    filters = {"since": _instant(since), "until": _instant(until), "user": user,
               "encounter": str(encounter) if encounter is not None else None}
    clauses = {"since": "recorded >= ?", "until": "recorded < ?", "user": "account = ?",
               "encounter": "entity_type = 'encounter' AND entity_id = ?"}
    where = [clauses[k] for k, v in filters.items() if v]
    params = [v for v in filters.values() if v]
    sql = SELECT_ALL + (" WHERE " + " AND ".join(where) if where else "")
    if newest is not None:
        sql = f"SELECT * FROM ({sql} ORDER BY seq DESC LIMIT {int(newest)})"
    rows = session.store.conn.execute(sql + " ORDER BY seq", params).fetchall()
    return rows, {k: v for k, v in filters.items() if v}


def read_events(session: Session, *, newest: int | None = None, **filters: Unpack[EventFilters]) -> list[AuditEvent]:
    """Audit events for display (compliance role; no note bodies are ever in them)."""
    session.require(AccountRole.compliance, "audit.read")
    rows, applied = select_events(session, newest=newest, **filters)
    record_now(session.store, session.actor, "audit.read", detail={"events": len(rows), **applied})
    return [AuditEvent.from_row(r) for r in rows]


def render(rows: list[tuple[Any, ...]], meta: dict[str, Any], fmt: str) -> str:
    if fmt == "jsonl":
        lines = [json.dumps({HEADER_KEY: meta}, sort_keys=True)]
        lines += [json.dumps(dict(zip(ALL_FIELDS, r, strict=True)), ensure_ascii=False) for r in rows]
        return "\n".join(lines) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        buf.write(CSV_PREFIX + json.dumps(meta, sort_keys=True) + "\n")
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(ALL_FIELDS)
        writer.writerows(rows)
        return buf.getvalue()
    return fhir.to_bundle(rows, meta)


def export_audit(session: Session, fmt: str, out: Path, **filters: Unpack[EventFilters]) -> int:
    """Write the (filtered) audit log to ``out`` and its signature to ``out.sig``; returns the number of events.

    The chain's hashes show an export is self-consistent; only the signature shows it came from this
    installation, since anyone can re-hash a forged export.
    """
    if fmt not in FORMATS:
        raise InputError(f"Unknown audit export format '{fmt}'; choose one of {', '.join(FORMATS)}.")
    session.require(AccountRole.compliance, "audit.export")
    conn = session.store.conn
    conn.execute("BEGIN")  # one snapshot for the rows and the head
    try:
        rows, applied = select_events(session, **filters)
        head = conn.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone() or (0, "")
    finally:
        conn.execute("COMMIT")
    meta = {"format": 1, "store_id": session.store.store_id, "exported": utcnow(), "exported_by": session.account,
            "filters": applied, "complete": not applied, "count": head[0], "head": head[1], "events": len(rows)}
    try:
        write_atomic(Path(out), render(rows, meta, fmt).encode())
    except OSError as exc:
        raise InputError(f"The export cannot be written to {out}: {explain(exc)}.") from exc
    sign_export(session.store, session.actor, Path(out))
    record_now(session.store, session.actor, "audit.export",
               detail={"format": fmt, "events": len(rows), **applied})
    return len(rows)


def read_export(path: Path) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """An export's header and rows, whatever its format (guessed from the contents)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"The export file {path} cannot be read.") from exc
    try:
        if text.startswith(CSV_PREFIX):
            first, _, rest = text.partition("\n")
            reader = csv.reader(io.StringIO(rest))
            next(reader)
            rows = [(int(r[0]), *r[1:]) for r in reader if r]
            return json.loads(first[len(CSV_PREFIX):]), rows
        if text.lstrip().startswith('{"' + HEADER_KEY):
            lines = text.splitlines()
            rows = [tuple(json.loads(line)[f] for f in ALL_FIELDS) for line in lines[1:] if line.strip()]
            return json.loads(lines[0])[HEADER_KEY], rows
        return fhir.from_bundle(text)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InputError(f"The file {path} is not an AmbientNote audit export, or it is damaged.") from exc
