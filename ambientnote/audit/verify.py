"""Verifying the chain: in the store, or offline in an export file.

One walk over the events in ``seq`` order checks, for each event, that its seq
follows the previous one, that its ``prev_hash`` is the previous event's hash,
and that its own hash matches its contents. The end of the walk must meet the
anchor. The first failure names the first bad event, which is what a
compliance officer needs to start an investigation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ambientnote.access import AccountRole
from ambientnote.audit.anchor import Anchor, read_anchor
from ambientnote.audit.events import ALL_FIELDS, GENESIS_HASH, OUTCOME_SERIOUS_FAILURE, SELECT_ALL, event_hash
from ambientnote.audit.export import read_export
from ambientnote.audit.forward import forwarding_sentence
from ambientnote.audit.log import record_now
from ambientnote.db.connection import Store, store_paths
from ambientnote.db.keys import read_keyfile
from ambientnote.errors import InputError
from ambientnote.exports.signature import check_signature, load_public_pem, signature_path
from ambientnote.files import explain
from ambientnote.progress import ProgressCallback, no_progress

if TYPE_CHECKING:
    import sqlcipher3

    from ambientnote.store.session import Session  # the store sits above the audit: passed in, never imported

N_CHAINED = len(ALL_FIELDS) - 1


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    first_bad: int | None = None
    reason: str = ""
    head: str = GENESIS_HASH
    message: str = ""  # a whole sentence that replaces the default one (signature and forwarding checks)

    def sentence(self) -> str:
        if self.message:
            return self.message
        if self.ok:
            return f"The audit log verifies: {self.events} events, head {self.head[:16]}…"
        return f"The audit log was tampered with: {self.reason}"


def verify_rows(
    rows: Iterable[tuple[Any, ...]],
    *,
    anchor: Anchor | None,
    complete: bool = True,
    on_progress: ProgressCallback = no_progress,
    total: int = 0,
) -> VerifyResult:
    """Walk rows (``ALL_FIELDS`` order). ``complete=False`` allows seq gaps (a filtered export)."""
    expected, prev, count, anchored_seen = 1, GENESIS_HASH, 0, anchor is None or anchor.count == 0
    for row in rows:
        seq = row[0]
        if seq != expected and (complete or seq < expected):
            if seq > expected:
                missing = f"event {expected} is" if seq == expected + 1 else f"events {expected} to {seq - 1} are"
                return VerifyResult(False, count, expected, f"{missing} missing (the log jumps to {seq}).")
            return VerifyResult(False, count, seq, f"event {seq} is out of order or duplicated.")
        linked = seq != expected or row[N_CHAINED - 1] == prev  # across a filtered gap the link is unknown
        if not linked:
            return VerifyResult(False, count, seq, f"event {seq} does not link to event {seq - 1} "
                                                   f"(one of them was altered, inserted or removed).")
        if event_hash(row[:N_CHAINED]) != row[N_CHAINED]:
            return VerifyResult(False, count, seq, f"event {seq} was altered (its hash does not match its contents).")
        if anchor is not None and seq == anchor.count:
            if row[N_CHAINED] != anchor.head:
                return VerifyResult(False, count, seq, f"event {seq} is not the event the anchor recorded.")
            anchored_seen = True
        prev, expected, count = row[N_CHAINED], seq + 1, count + 1
        if count % 100_000 == 0:
            on_progress(count, total, "Verifying the audit chain")
    last = expected - 1
    if not anchored_seen and anchor is not None:  # not seen: there is an anchor
        return VerifyResult(False, count, last + 1,
                            f"events {last + 1} to {anchor.count} were deleted from the end of the log.")
    if anchor is not None and complete and last > anchor.count:
        # Unlocking catches the anchor up after a crash, so a live store is never legitimately ahead.
        return VerifyResult(False, count, anchor.count + 1,
                            f"events {anchor.count + 1} to {last} were added after the anchored end of the log.")
    on_progress(total or count, total or count, "Verifying the audit chain")
    return VerifyResult(True, count, None, "", prev)


def verify_store(store: Store, on_progress: ProgressCallback = no_progress) -> VerifyResult:
    """Verify the live chain against the anchor file, then against what the audit repository received."""
    anchor = read_anchor(store)
    if anchor is None:
        return VerifyResult(False, 0, None, "the anchor file is missing or its seal is broken, "
                                            "so deletion of the newest events cannot be ruled out.")
    total = store.conn.execute("SELECT count(*) FROM audit_event").fetchone()[0]
    cursor = store.conn.execute(SELECT_ALL + " ORDER BY seq")
    result = verify_rows(_flatten(cursor), anchor=anchor, on_progress=on_progress, total=total)
    if not result.ok:
        return result
    trusted, forwarded = forwarding_sentence(store)  # the one check a rollback of all the store files cannot pass
    return replace(result, ok=trusted, message=f"{result.sentence()} {forwarded}" if trusted else forwarded)


def _flatten(cursor: sqlcipher3.Cursor) -> Iterable[tuple[Any, ...]]:
    while batch := cursor.fetchmany(10_000):
        yield from batch


def verify_file(path: Path, public_key: Path | None = None, *, home: Path) -> VerifyResult:
    """Verify an export file offline (no store, no password): its chain if it is an audit export, then its
    signature against ``public_key`` (a PEM file an admin published) or this computer's installation key (from
    the store in ``home``).

    A signed file that is not an audit export (a note export) is checked by its signature alone.
    """
    path = Path(path)
    try:
        meta, rows = read_export(path)
    except InputError:
        if not signature_path(path).is_file():
            raise
        meta, rows = None, []
    result = VerifyResult(True, 0)
    if meta is not None:
        anchor = Anchor(meta["count"], meta["head"]) if meta.get("complete") and meta.get("count") else None
        result = verify_rows(rows, anchor=anchor, complete=bool(meta.get("complete")))
        if result.ok and meta.get("events") is not None and result.events != meta["events"]:
            return VerifyResult(False, result.events, None,
                                f"the export declares {meta['events']} events but holds {result.events}.")
        if not result.ok:
            return result
    check = check_signature(path, *_public_key(public_key, home))
    if not check.ok:
        return replace(result, ok=False, message=check.sentence)
    if meta is None:
        return replace(result, message=f"{path.name} is unchanged and {check.sentence}.")
    return replace(result, message=f"{result.sentence().rstrip('.')}; {check.sentence}.")


def _public_key(path: Path | None, home: Path) -> tuple[Ed25519PublicKey, str]:
    """The key to check signatures with, and how to name it: the published PEM given, else this computer's."""
    if path is not None:
        try:
            text = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"The public key file {path} cannot be read: {explain(exc)}.") from exc
        return load_public_pem(text, str(path)), f"the key in {Path(path).name}"
    keys = store_paths(home).keys
    published = read_keyfile(keys).signing_public if keys.is_file() else None
    if not published:
        raise InputError("There is no public key to check the signature with; pass --public-key with the key "
                         "your administrator published ('ambientnote audit public-key').")
    return load_public_pem(published, str(keys)), "this computer's installation key"


def verify_audit(session: Session, on_progress: ProgressCallback = no_progress) -> VerifyResult:
    """Verify the store's chain (compliance role); the verification itself is audited with its result."""
    session.require(AccountRole.compliance, "audit.verify")
    result = verify_store(session.store, on_progress)
    detail = {"events": result.events} | ({"first_bad": result.first_bad} if result.first_bad else {})
    record_now(session.store, session.actor, "audit.verify", detail=detail,
               outcome="0" if result.ok else OUTCOME_SERIOUS_FAILURE)
    return result
