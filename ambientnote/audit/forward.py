"""Forwarding the audit trail to the hospital's audit record repository, so a key holder cannot rewrite it unseen.

The anchor and the hash chain live beside the data they protect, so anyone who can unlock the store can
rewrite all three consistently, or put back yesterday's copies of the files. What they cannot reach is a
copy already sent elsewhere. So every committed event goes, in order, to each repository the site policy
names: IHE ATNA syslog over TLS (``audit_repository = "host:port"``, ``ambientnote.audit.syslog_transport``)
and/or FHIR R4 AuditEvent resources (``audit_repository_fhir = "https://…/fhir"``,
``ambientnote.audit.fhir_transport``).

The queue is the store itself: events past a repository's forwarded head wait, encrypted, in the audit table,
and each commit (and ``ambientnote audit forward``) sends what waits; an unreachable repository is tried again
after ``audit_repository_retry_s``. The head each repository received last (seq and hash) is kept outside the
store (``audit.forwarded``, ``audit.forwarded-fhir``), which is not part of a backup: when the store files are
rolled back to an earlier copy, the store's chain no longer holds that event, and ``audit verify`` says so.
The repository's own copy is the final word: a FHIR repository is read back by ``audit verify``, so even
someone able to rewrite the local record too is caught.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from ambientnote.audit.events import SELECT_ALL, AuditEvent
from ambientnote.audit.fhir_transport import FhirTransport
from ambientnote.audit.log import chain_head
from ambientnote.audit.syslog_transport import SyslogTransport, repository_address
from ambientnote.audit.transport import SendFailed, Transport
from ambientnote.config import Settings
from ambientnote.db.connection import Store, utcnow
from ambientnote.errors import ConfigError
from ambientnote.files import locked_file, write_atomic

BATCH = 500
STATE_EVERY_S = 1.0  # while a backlog drains, the record of what was received is written at least this often
STATE_FILES = (SyslogTransport.state_file, FhirTransport.state_file)


@dataclass
class ForwardState:
    """What a repository's state file records: the last event it received, and the last failure."""

    store_id: str = ""
    seq: int = 0
    hash: str = ""
    at: str = ""
    retry_after: float = 0.0
    error: str = ""
    restored_over: dict[str, Any] | None = None  # the forwarded head a `db restore` went back behind, for the record
    repository: str = ""  # which repository received it ('' in records written before this was kept)


def transports(cfg: Settings) -> list[Transport]:
    """The repositories the settings name, syslog first; empty when none."""
    found: list[Transport] = []
    if address := repository_address(cfg):
        found.append(SyslogTransport(address, cfg))
    if cfg.audit_repository_fhir:
        found.append(FhirTransport(cfg.audit_repository_fhir, cfg))
    return found


def read_state(store: Store, state_file: str) -> ForwardState:
    """The recorded state; a missing file is a store that never forwarded there (nothing to compare yet)."""
    try:
        data = json.loads((store.paths.home / state_file).read_text(encoding="utf-8"))
        return ForwardState(**{k: v for k, v in data.items() if k in ForwardState.__dataclass_fields__})
    except FileNotFoundError:
        return ForwardState(store_id=store.store_id)
    except (OSError, ValueError, TypeError):
        return ForwardState(store_id=store.store_id, seq=-1, error=f"{state_file} is damaged")


def _state_for(store: Store, transport: Transport) -> ForwardState:
    """What ``transport``'s repository has received; a repository the site has since replaced by another
    leaves nothing to compare, and the new one is sent the whole log from the first event."""
    state = read_state(store, transport.state_file)
    if state.seq >= 0 and state.repository and state.repository != transport.where:
        return ForwardState(store_id=store.store_id, repository=transport.where)
    state.repository = transport.where
    return state


def _write_state(store: Store, state_file: str, state: ForwardState) -> None:
    write_atomic(store.paths.home / state_file, json.dumps(asdict(state), indent=1).encode())


def diverged(store: Store, state: ForwardState, state_file: str) -> str:
    """Why the store's chain no longer holds the forwarded head ('' when it does)."""
    if state.seq < 0:
        return f"the record of what was forwarded ({state_file}) is damaged"
    if state.seq == 0:
        return ""
    if state.store_id and state.store_id != store.store_id:
        return "the record of what was forwarded belongs to another store"
    return _not_in_chain(store, state.seq, state.hash)


def _not_in_chain(store: Store, seq: int, digest: str) -> str:
    """Why the store's chain does not hold event ``seq`` with hash ``digest`` as a repository received it."""
    row = store.conn.execute("SELECT hash FROM audit_event WHERE seq = ?", (seq,)).fetchone()
    if row is None:
        last = chain_head(store.conn)[0]
        return (f"the repository already received events up to {seq}, but the store's log ends at {last} "
                "(the store files were put back to an earlier copy, or the log was cut)")
    if row[0] != digest:
        return (f"event {seq} differs from the one the repository received (the log was rewritten, or the "
                "store files were replaced by an earlier copy)")
    return ""


@dataclass(frozen=True)
class ForwardResult:
    where: str  # the repository, as a sentence names it
    sent: int
    waiting: int
    head: int
    problem: str = ""  # why events wait: the repository is unreachable, or the store diverged from what was sent


def forward_pending(store: Store, *, force: bool = False) -> list[ForwardResult]:
    """Send every committed event past each repository's forwarded head; empty when none is configured.

    Never raises for a network failure: the events stay queued in the store and the failure is recorded.
    ``force`` ignores the retry pause (``ambientnote audit forward``).
    """
    cfg = store.settings
    found = transports(cfg)
    if not found:
        return []
    with locked_file(store.paths.home / "forward.lock"):
        return [_forward(store, transport, cfg, force) for transport in found]


def _forward(store: Store, transport: Transport, cfg: Settings, force: bool) -> ForwardResult:
    state = _state_for(store, transport)
    last = chain_head(store.conn)[0]
    if problem := diverged(store, state, transport.state_file):
        return ForwardResult(transport.where, 0, max(last - max(state.seq, 0), 0), state.seq,
                             f"what {transport.where} received no longer matches the log: {problem}")
    if not force and state.retry_after > time.time():
        return ForwardResult(transport.where, 0, last - state.seq, state.seq, state.error)
    sent, written = 0, time.monotonic()

    def on_sent(event: AuditEvent) -> None:
        nonlocal sent, written
        sent += event.seq - state.seq
        state.store_id, state.seq, state.hash, state.at = store.store_id, event.seq, event.hash, utcnow()
        state.retry_after, state.error = 0.0, ""
        if time.monotonic() - written >= STATE_EVERY_S:  # a long backlog: not one fsync per event
            _write_state(store, transport.state_file, state)
            written = time.monotonic()

    try:
        if last > state.seq and (newest := transport.newest(store.store_id)) is not None:
            # Resume only where the repository's own copy still agrees with the log: a key holder who rewrote
            # the log and this computer's record of what was sent must not get a forged continuation in.
            if problem := _repository_disagrees(store, state, newest):
                return ForwardResult(transport.where, 0, last - state.seq, state.seq,
                                     f"what {transport.where} holds no longer matches the log: {problem}")
            if newest[0] > state.seq and not _not_in_chain(store, *newest):
                state.seq, state.hash = newest  # it holds more than recorded (a crash before the record was
                # written, or the same server under a new name): resume after its own head, send nothing twice
        while rows := store.conn.execute(SELECT_ALL + " WHERE seq > ? ORDER BY seq LIMIT ?",
                                         (state.seq, BATCH)).fetchall():
            transport.send([AuditEvent.from_row(r) for r in rows], store.store_id, on_sent)
            _write_state(store, transport.state_file, state)
    except SendFailed as exc:
        state.retry_after, state.error = time.time() + cfg.audit_repository_retry_s, str(exc)
        _write_state(store, transport.state_file, state)
        return ForwardResult(transport.where, sent, last - state.seq, state.seq, state.error)
    return ForwardResult(transport.where, sent, 0, state.seq)


def forward_now(store: Store) -> list[ForwardResult]:
    """Send what waits now, ignoring the retry pause (``ambientnote audit forward``, e.g. from a timer)."""
    results = forward_pending(store, force=True)
    if not results:
        raise ConfigError("No audit repository is configured; set audit_repository or audit_repository_fhir "
                          "in the site policy.")
    return results


def forward_after_commit(store: Store) -> None:
    """The on-commit hook: forward quietly; a failure only queues (the commit has happened)."""
    try:
        forward_pending(store)
    except (OSError, ConfigError):
        pass  # an unwritable state file or a bad setting: `audit verify` and `audit forward` say so


def restored(store: Store, base: tuple[int, str]) -> dict[str, Any] | None:
    """After ``db restore``: accept the backup's chain (its head was ``base``) as what each repository has seen,
    and keep the forwarded head it went back over; returns the furthest such head, None when the backup still
    holds every forwarded head.

    The restore itself is audited and forwarded next, so the repositories show where the store went back to.
    """
    furthest: dict[str, Any] | None = None
    with locked_file(store.paths.home / "forward.lock"):
        for state_file in STATE_FILES:
            state = read_state(store, state_file)
            if state.seq <= 0 or not diverged(store, state, state_file):
                continue
            over = {"seq": state.seq, "hash": state.hash, "at": utcnow()}
            _write_state(store, state_file, ForwardState(store.store_id, base[0], base[1], utcnow(),
                                                         restored_over=over, repository=state.repository))
            furthest = over if furthest is None or over["seq"] > furthest["seq"] else furthest
    return furthest


def forwarding_sentence(store: Store) -> tuple[bool, str]:
    """What ``audit verify`` adds about the repositories: (still trustworthy?, one sentence each)."""
    try:
        found = transports(store.settings)
    except ConfigError as exc:
        return False, str(exc)
    if not found:
        return True, ("No audit repository is configured (audit_repository or audit_repository_fhir in the site "
                      "policy), so a rollback of the store files to an earlier copy, or a rewrite by someone who "
                      "can unlock the store, cannot be detected.")
    checks = [_repository_sentence(store, transport) for transport in found]
    failed = [sentence for ok, sentence in checks if not ok]
    return not failed, " ".join(failed or [sentence for _, sentence in checks])


def _repository_sentence(store: Store, transport: Transport) -> tuple[bool, str]:
    state = _state_for(store, transport)
    mismatch = f"The audit log does not match what {transport.where} received: "
    if problem := diverged(store, state, transport.state_file):
        return False, f"{mismatch}{problem}."
    last = chain_head(store.conn)[0]
    waiting = last - max(state.seq, 0)
    queued = (f"; {waiting} wait to be sent" + (f" ({state.error})" if state.error else "")) if waiting > 0 else ""
    restored_note = (f" The store was restored from a backup on {state.restored_over['at'][:10]}, going back from "
                     f"event {state.restored_over['seq']}; the repository keeps the events in between."
                     if state.restored_over else "")
    received = f"{_capital(transport.where)} has received events up to {max(state.seq, 0)}"
    try:
        newest = transport.newest(store.store_id)
    except SendFailed as exc:
        waits = f"; {waiting} wait to be sent" if waiting > 0 else ""
        return True, (f"{_capital(str(exc))}, so the log was compared only with this computer's record of what it "
                      f"received ({transport.state_file}): events up to {max(state.seq, 0)}{waits}.{restored_note}")
    if newest is None:
        return True, f"{received}{queued}.{restored_note}"
    if problem := _repository_disagrees(store, state, newest):
        return False, f"{mismatch}{problem}."
    return True, (f"{received}{queued}; its newest event from this store, {newest[0]}, is in the log."
                  f"{restored_note}")


def _capital(clause: str) -> str:
    return clause[:1].upper() + clause[1:]


def _repository_disagrees(store: Store, state: ForwardState, newest: tuple[int, str]) -> str:
    """Why the repository's own newest event contradicts the store's chain ('' when it does not)."""
    seq, digest = newest
    if seq == 0:
        return (f"it holds no events from this store, though {state.seq} were sent to it" if state.seq > 0 else "")
    over = state.restored_over or {}
    if (seq, digest) == (over.get("seq"), over.get("hash")):
        return ""  # a restore went back behind it on purpose, and the restore event has not reached it yet
    return _not_in_chain(store, seq, digest)
