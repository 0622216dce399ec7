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
The repository's own copy is the final word: ``audit verify`` reads back the newest ``READ_BACK`` events a
FHIR repository holds from this store, and each must be the log's own (same seq, same hash). So a key holder who
rewrites the log and this computer's record of what was sent is caught, and so is one who also sends the
rewritten events on to the repository (it then holds two different events under one number), as long as the
rewrite reaches into the newest events the repository holds; a rewrite further back changes every later hash
in the chain, so it does.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from ambientnote.audit.events import SELECT_ALL, AuditEvent
from ambientnote.audit.fhir_transport import FhirTransport
from ambientnote.audit.log import chain_head
from ambientnote.audit.syslog_transport import SyslogTransport, repository_address
from ambientnote.audit.transport import Received, SendFailed, Transport
from ambientnote.config import Settings
from ambientnote.db.connection import Store, utcnow
from ambientnote.errors import ConfigError
from ambientnote.files import locked_file, write_atomic

BATCH = 500
READ_BACK = 200  # how many of the repository's newest events from this store `audit verify` compares with the log
STATE_EVERY_S = 1.0  # while a backlog drains, the record of what was received is written at least this often
STATE_FILES = (SyslogTransport.state_file, FhirTransport.state_file)
NO_REPOSITORY = ("No audit repository is configured (audit_repository or audit_repository_fhir in the site policy), "
                 "so the audit chain proves nothing against anyone who can unlock the store: any account's password "
                 "is enough to rewrite the log, or put back an earlier copy of the store files, and it would still "
                 "verify.")


@dataclass
class ForwardState:
    """What a repository's state file records: the last event it received, and the last failure."""

    store_id: str = ""
    seq: int = 0
    hash: str = ""
    at: str = ""
    retry_after: float = 0.0
    error: str = ""
    # the forwarded head a `db restore` went back behind ("seq", "hash", "at"), and the backup's head ("from")
    restored_over: dict[str, Any] | None = None
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
        if last > state.seq and (held := transport.received(store.store_id, 1)) is not None:
            # Resume only where the repository's own copy still agrees with the log: a key holder who rewrote
            # the log and this computer's record of what was sent must not get a forged continuation in.
            if problem := _repository_disagrees(store, state, held):
                return ForwardResult(transport.where, 0, last - state.seq, state.seq,
                                     f"what {transport.where} holds no longer matches the log: {problem}")
            if held and held[0].seq > state.seq and not _not_in_chain(store, held[0].seq, held[0].hash):
                state.seq, state.hash = held[0].seq, held[0].hash  # it holds more than recorded (a crash before
                # the record was written, or the same server under a new name): resume after its own head
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
            over = {"seq": state.seq, "hash": state.hash, "at": utcnow(), "from": base[0]}
            _write_state(store, state_file, ForwardState(store.store_id, base[0], base[1], utcnow(),
                                                         restored_over=over, repository=state.repository))
            furthest = over if furthest is None or over["seq"] > furthest["seq"] else furthest
    return furthest


def no_repository_sentence(cfg: Settings) -> str:
    """``NO_REPOSITORY`` when the settings name no audit repository, else "": ``db check`` adds it to its verdict,
    since its audit chain check passes an insider's rewrite as readily as ``audit verify`` does."""
    try:
        return "" if transports(cfg) else NO_REPOSITORY
    except ConfigError:
        return ""  # a repository is named, wrongly: the chain check fails and says so


def forwarding_sentence(store: Store) -> tuple[bool, str]:
    """What ``audit verify`` adds about the repositories: (still trustworthy?, one sentence each)."""
    try:
        found = transports(store.settings)
    except ConfigError as exc:
        return False, str(exc)
    if not found:
        return True, NO_REPOSITORY
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
        held = transport.received(store.store_id, READ_BACK)
    except SendFailed as exc:
        waits = f"; {waiting} wait to be sent" if waiting > 0 else ""
        return True, (f"{_capital(str(exc))}, so the log was compared only with this computer's record of what it "
                      f"received ({transport.state_file}): events up to {max(state.seq, 0)}{waits}.{restored_note}")
    if held is None:
        return True, f"{received}{queued}.{restored_note}"
    if problem := _repository_disagrees(store, state, held):
        return False, f"{mismatch}{problem}."
    if not held:
        return True, f"{received}{queued}.{restored_note}"
    seqs = sorted({e.seq for e in held})
    checked = (f"its newest event from this store, {seqs[0]}, is in the log" if len(held) == 1 else
               f"the newest {len(held)} events it holds from this store ({seqs[0]} to {seqs[-1]}) agree with the log")
    return True, f"{received}{queued}; {checked}.{restored_note}"


def _capital(clause: str) -> str:
    return clause[:1].upper() + clause[1:]


def _repository_disagrees(store: Store, state: ForwardState, held: list[Received]) -> str:
    """Why the events read back from the repository (newest first) contradict the store's chain ('' when they
    do not): one it holds past the log's end (the store files were put back), two different events under one
    number (the log was rewritten and the rewrite sent on), or one the log holds differently.

    Events that a ``db restore`` went back over on purpose (after the backup's head, recorded before the
    restore) stay in the repository and are not the log's any more; they are left out of the comparison.
    """
    if not held:
        return (f"it holds no events from this store, though {state.seq} were sent to it" if state.seq > 0 else "")
    over = state.restored_over or {}
    current = [e for e in held if not _restored_over(e, over)]
    if not current:
        return ""
    newest = max(current, key=lambda e: e.seq)
    if newest.seq > chain_head(store.conn)[0]:
        return _not_in_chain(store, newest.seq, newest.hash)
    ours = dict(store.conn.execute("SELECT seq, hash FROM audit_event WHERE seq BETWEEN ? AND ?",
                                   (min(e.seq for e in current), newest.seq)))
    for seq in sorted({e.seq for e in current}):
        hashes = {e.hash for e in current if e.seq == seq}
        if len(hashes) > 1:
            return (f"it holds two different events numbered {seq} (the log was rewritten from there on and the "
                    "rewrite sent to it as well)")
        if ours.get(seq) not in hashes:
            return _not_in_chain(store, seq, hashes.pop())
    return ""


def _restored_over(event: Received, over: dict[str, Any]) -> bool:
    """Whether ``event`` is one a restore went back over: after the backup's head, up to the head it left, and
    recorded before the restore (the events after it with the same numbers are the log's own)."""
    if not over or not over.get("from", 0) < event.seq <= over["seq"]:
        return False
    try:
        return datetime.fromisoformat(event.recorded) < datetime.fromisoformat(over["at"])
    except ValueError:
        return False
