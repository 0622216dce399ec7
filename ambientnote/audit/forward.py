"""Forwarding the audit trail to the hospital's audit record repository, so a key holder cannot rewrite it unseen.

The anchor and the hash chain live beside the data they protect, so anyone who can unlock the store can
rewrite all three consistently, or put back yesterday's copies of the files. What they cannot reach is a
copy already sent elsewhere. So every committed event goes, in order, to the repository named by the site
policy (``audit_repository = "host:port"``), as IHE ATNA syslog over TLS (RFC 5424 messages, RFC 5425
octet-counted framing; ``ambientnote.audit.atna``).

The queue is the store itself: events past the forwarded head wait, encrypted, in the audit table, and each
commit (and ``ambientnote audit forward``) sends what waits; an unreachable repository is tried again after
``audit_repository_retry_s``. The head forwarded last (seq and hash) is kept outside the store in
``audit.forwarded``, which is not part of a backup: when the store files are rolled back to an earlier copy,
the store's chain no longer holds that event, and ``audit verify`` says so. The repository's own copy is the
final word (someone able to rewrite ``audit.forwarded`` too must still explain the repository's records).
"""

from __future__ import annotations

import json
import socket
import ssl
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ambientnote.audit.atna import octet_counted, syslog_message
from ambientnote.audit.events import SELECT_ALL, AuditEvent
from ambientnote.audit.log import chain_head
from ambientnote.config import Settings, settings
from ambientnote.db.connection import Store, utcnow
from ambientnote.errors import ConfigError
from ambientnote.files import locked_file, write_atomic

BATCH = 500
STATE_FILE = "audit.forwarded"


@dataclass
class ForwardState:
    """What ``audit.forwarded`` records: the last event the repository received, and the last failure."""

    store_id: str = ""
    seq: int = 0
    hash: str = ""
    at: str = ""
    retry_after: float = 0.0
    error: str = ""
    restored_over: dict | None = None  # the forwarded head a `db restore` went back behind, kept for the record


def state_path(store: Store) -> Path:
    return store.paths.home / STATE_FILE


def read_state(store: Store) -> ForwardState:
    """The recorded state; a missing file is a store that never forwarded (nothing to compare yet)."""
    try:
        data = json.loads(state_path(store).read_text(encoding="utf-8"))
        return ForwardState(**{k: v for k, v in data.items() if k in ForwardState.__dataclass_fields__})
    except FileNotFoundError:
        return ForwardState(store_id=store.store_id)
    except (OSError, ValueError, TypeError):
        return ForwardState(store_id=store.store_id, seq=-1, error="audit.forwarded is damaged")


def _write_state(store: Store, state: ForwardState) -> None:
    write_atomic(state_path(store), json.dumps(asdict(state), indent=1).encode())


def repository_address(cfg: Settings) -> tuple[str, int] | None:
    """``(host, port)`` of the configured repository, or None when the site names none."""
    if not cfg.audit_repository:
        return None
    host, sep, port = cfg.audit_repository.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"The setting 'audit_repository' must be HOST:PORT (got '{cfg.audit_repository}').")
    return host.strip("[]"), int(port)


def _tls_context(cfg: Settings) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(cfg.audit_repository_ca) if cfg.audit_repository_ca else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if cfg.audit_repository_client_cert:  # ATNA node authentication: the repository may ask for our certificate
        try:
            context.load_cert_chain(str(cfg.audit_repository_client_cert))
        except OSError as exc:
            raise ConfigError(f"The file in audit_repository_client_cert ({cfg.audit_repository_client_cert}) "
                              "does not hold a readable certificate and key.") from exc
    return context


def _send(address: tuple[str, int], cfg: Settings, frames: list[bytes]) -> None:
    from ambientnote import egress

    egress.allow(address[0], address[1])  # the site policy named it: the process's network guard lets it through
    with socket.create_connection(address, timeout=cfg.audit_repository_timeout_s) as raw, \
            _tls_context(cfg).wrap_socket(raw, server_hostname=address[0]) as tls:
        tls.sendall(b"".join(frames))
        tls.unwrap()  # a clean TLS close: the repository has read everything before we count it as sent


def diverged(store: Store, state: ForwardState) -> str:
    """Why the store's chain no longer holds the forwarded head ('' when it does)."""
    if state.seq < 0:
        return "the record of what was forwarded (audit.forwarded) is damaged"
    if state.seq == 0:
        return ""
    if state.store_id and state.store_id != store.store_id:
        return "the record of what was forwarded belongs to another store"
    row = store.conn.execute("SELECT hash FROM audit_event WHERE seq = ?", (state.seq,)).fetchone()
    if row is None:
        last = chain_head(store.conn)[0]
        return (f"the repository already received events up to {state.seq}, but the store's log ends at {last} "
                "(the store files were put back to an earlier copy, or the log was cut)")
    if row[0] != state.hash:
        return (f"event {state.seq} differs from the one the repository received (the log was rewritten, or the "
                "store files were replaced by an earlier copy)")
    return ""


@dataclass(frozen=True)
class ForwardResult:
    sent: int
    waiting: int
    head: int
    problem: str = ""  # why events wait: the repository is unreachable, or the store diverged from what was sent


def forward_pending(store: Store, *, force: bool = False) -> ForwardResult | None:
    """Send every committed event past the forwarded head; None when no repository is configured.

    Never raises for a network failure: the events stay queued in the store and the failure is recorded.
    ``force`` ignores the retry pause (``ambientnote audit forward``).
    """
    cfg = settings()
    address = repository_address(cfg)
    if address is None:
        return None
    with locked_file(store.paths.home / "forward.lock"):
        state = read_state(store)
        last = chain_head(store.conn)[0]
        if problem := diverged(store, state):
            return ForwardResult(0, max(last - max(state.seq, 0), 0), state.seq, problem)
        if not force and state.retry_after > time.time():
            return ForwardResult(0, last - state.seq, state.seq, state.error)
        sent = 0
        while rows := store.conn.execute(SELECT_ALL + " WHERE seq > ? ORDER BY seq LIMIT ?",
                                         (state.seq, BATCH)).fetchall():
            events = [AuditEvent.from_row(r) for r in rows]
            try:
                _send(address, cfg, [octet_counted(syslog_message(e, store.store_id)) for e in events])
            except (OSError, ConfigError) as exc:
                state.retry_after, state.error = time.time() + cfg.audit_repository_retry_s, _why(address, exc)
                _write_state(store, state)
                return ForwardResult(sent, last - state.seq, state.seq, state.error)
            state.store_id, state.seq, state.hash, state.at = store.store_id, events[-1].seq, events[-1].hash, utcnow()
            state.retry_after, state.error = 0.0, ""
            _write_state(store, state)
            sent += len(events)
        return ForwardResult(sent, 0, state.seq)


def _why(address: tuple[str, int], exc: OSError | ConfigError) -> str:
    """Why events wait, as the end of a sentence."""
    where = f"the audit repository at {address[0]}:{address[1]}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"{where} presented a certificate that audit_repository_ca does not trust"
    if isinstance(exc, ssl.SSLError):
        return f"{where} failed the TLS handshake ({exc.reason or exc})"
    if isinstance(exc, OSError):
        return f"{where} cannot be reached ({exc.strerror or type(exc).__name__})"
    return str(exc).rstrip(".")


def forward_now(store: Store) -> ForwardResult:
    """Send what waits now, ignoring the retry pause (``ambientnote audit forward``, e.g. from a timer)."""
    result = forward_pending(store, force=True)
    if result is None:
        raise ConfigError("No audit repository is configured; set audit_repository in the site policy.")
    return result


def forward_after_commit(store: Store) -> None:
    """The on-commit hook: forward quietly; a failure only queues (the commit has happened)."""
    try:
        forward_pending(store)
    except (OSError, ConfigError):
        pass  # an unwritable state file or a bad setting: `audit verify` and `audit forward` say so


def restored(store: Store, base: tuple[int, str]) -> dict | None:
    """After ``db restore``: accept the backup's chain (its head was ``base``) as what the repository has seen,
    and keep the forwarded head it went back over; None when the backup still holds that head.

    The restore itself is audited and forwarded next, so the repository shows where the store went back to.
    """
    with locked_file(store.paths.home / "forward.lock"):
        state = read_state(store)
        if state.seq <= 0 or not diverged(store, state):
            return None
        over = {"seq": state.seq, "hash": state.hash, "at": utcnow()}
        _write_state(store, ForwardState(store.store_id, base[0], base[1], utcnow(), restored_over=over))
        return over


def forwarding_sentence(store: Store) -> tuple[bool, str]:
    """What ``audit verify`` adds about the repository: (still trustworthy?, one sentence)."""
    try:
        address = repository_address(settings())
    except ConfigError as exc:
        return False, str(exc)
    if address is None:
        return True, ("No audit repository is configured (audit_repository in the site policy), so a rollback of "
                      "the store files to an earlier copy, or a rewrite by someone who can unlock the store, "
                      "cannot be detected.")
    state = read_state(store)
    if problem := diverged(store, state):
        return False, f"The audit log does not match what the audit repository received: {problem}."
    last = chain_head(store.conn)[0]
    waiting = last - max(state.seq, 0)
    queued = (f"; {waiting} wait to be sent" + (f" ({state.error})" if state.error else "")) if waiting > 0 else ""
    restored_note = (f" The store was restored from a backup on {state.restored_over['at'][:10]}, going back from "
                     f"event {state.restored_over['seq']}; the repository keeps the events in between."
                     if state.restored_over else "")
    return True, (f"The audit repository at {address[0]}:{address[1]} has received events up to "
                  f"{max(state.seq, 0)}{queued}.{restored_note}")
