"""Looking after the store: integrity check, encrypted backup and restore, changing the data key.

A backup is a zip holding the three files a store is made of: the SQLCipher
database (a consistent snapshot via SQLite's backup API, still encrypted with
the data key), ``keys.json`` (wrapped keys only) and the audit anchor. Nothing
in it is readable without a password or the recovery key of that store.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from ambientnote.access import AccountRole
from ambientnote.audit.anchor import anchor_json
from ambientnote.audit.forward import restored
from ambientnote.audit.log import chain_head, record_now
from ambientnote.audit.verify import verify_store
from ambientnote.config import Settings
from ambientnote.db.connection import Store, store_paths
from ambientnote.db.keys import (
    apply_rekey_pending,
    editing_keyfile,
    locked_file,
    new_data_key,
    read_keyfile,
    unwrap,
)
from ambientnote.errors import AuditTampered, InputError, StoreError, StoreLocked
from ambientnote.files import atomic_writer, check_name, create_private, explain
from ambientnote.store.account_keys import password_wrap, split_secret, wrap_aad
from ambientnote.store.accounts import recovery_wrap
from ambientnote.store.authorship import authorship_problems
from ambientnote.store.credentials import normalize_name
from ambientnote.store.session import WRONG_LOGIN, Session, open_store, reopen_store, session_for

BACKUP_MEMBERS = ("store.db", "keys.json", "audit.anchor")


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    problems: list[str]


def _page_authentication(store: Store) -> list[str]:
    return [f"page authentication: {r[0]}" for r in store.conn.execute("PRAGMA cipher_integrity_check")]


def _page_structure(store: Store) -> list[str]:
    """SQLite's findings, summed up: a damaged tree can list every page under it, one line each."""
    lines = [line for r in store.conn.execute("PRAGMA integrity_check") if r[0] != "ok"
             for line in r[0].splitlines() if line.strip() and not line.startswith("***")]
    if len(lines) <= 3:
        return [f"page structure: {line}" for line in lines]
    return [f"page structure: {lines[0]} (and {len(lines) - 1} more findings)"]


def _references(store: Store) -> list[str]:
    return [f"dangling reference in {r[0]}" for r in store.conn.execute("PRAGMA foreign_key_check")]


def _audit_chain(store: Store) -> list[str]:
    audit = verify_store(store)
    return [] if audit.ok else [audit.sentence()]


def check_store(session: Session) -> CheckResult:
    """Page integrity, page authentication (HMAC), foreign keys, the audit chain and who authored each encounter
    (admin only).

    Each step runs even when an earlier one met a damaged page (SQLCipher then fails every
    read on that connection, so the next step gets a fresh one): the report is complete.
    """
    session.require(AccountRole.admin, "store.check")
    problems = ["this login could not be recorded in the audit log"] if session.unrecorded_login else []
    for step in (_page_authentication, _page_structure, _references, _audit_chain, authorship_problems):
        try:
            problems += step(session.store)
        except (sqlcipher3.DatabaseError, MemoryError) as exc:  # SQLCipher reports some damaged pages as no memory
            problems.append(f"some pages cannot be read ({str(exc) or 'a damaged page'})")
            session.store = reopen_store(session.store)
    try:
        record_now(session.store, session.actor, "store.check", outcome="0" if not problems else "8",
                   detail={"problems": len(problems)})
    except (StoreError, sqlcipher3.Error, MemoryError):
        problems.append("the store is too damaged to record this check in its audit log")
    return CheckResult(not problems, problems)


def backup(session: Session, out: Path) -> int:
    """Write an encrypted backup of the whole store to ``out``; returns its size in bytes (admin only)."""
    session.require(AccountRole.admin, "store.backup")
    out = Path(out).expanduser()
    paths = session.store.paths
    record_now(session.store, session.actor, "store.backup", detail={"file": out.name})
    staging: Path | None = None
    try:
        check_name(out)
        # The anchor is read before the snapshot, so the snapshot is never behind its anchor.
        anchor = paths.anchor.read_bytes()
        fd, staging = create_private(paths.home, "backup.db")  # in the store's own 0700 folder, never beside OUT
        os.close(fd)
        dest = sqlcipher3.connect(str(staging))
        try:
            dest.execute(f"PRAGMA key = \"x'{session.store.data_key.hex()}'\"")
            session.store.conn.backup(dest)
        finally:
            dest.close()
        with atomic_writer(out) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:
            zf.write(staging, "store.db")
            zf.write(paths.keys, "keys.json")
            zf.writestr("audit.anchor", anchor)
    except (OSError, sqlcipher3.OperationalError) as exc:
        reason = explain(exc) if isinstance(exc, OSError) else f"{exc}; free some space or choose another place"
        raise InputError(f"The backup cannot be written to {out}: {reason}.") from exc
    finally:
        if staging is not None:
            for leftover in (staging, staging.with_name(staging.name + "-journal")):
                leftover.unlink(missing_ok=True)
    return out.stat().st_size


def restore(backup_file: Path, name: str, password: str, *, cfg: Settings) -> Path | None:
    """Replace the store in ``cfg.home`` with a backup, as an admin account *of the backup*.

    The store being replaced is kept, still encrypted, in a ``before-restore-…``
    folder; its path is returned (None when there was no store).
    """
    name = normalize_name(name)
    paths = store_paths(cfg.home)
    staging = paths.home / ".restore-staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True, mode=0o700)
    try:
        with zipfile.ZipFile(backup_file) as zf:
            if sorted(zf.namelist()) != sorted(BACKUP_MEMBERS):
                raise InputError(f"{backup_file} is not an AmbientNote backup.")
            zf.extractall(staging)
        for member in BACKUP_MEMBERS:
            os.chmod(staging / member, 0o600)  # zip extraction follows the umask; the store's files are owner-only
    except (OSError, zipfile.BadZipFile) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"{backup_file} cannot be read as an AmbientNote backup.") from exc
    staged = store_paths(staging)
    keyfile = read_keyfile(staged.keys)
    entry = keyfile.accounts.get(name) or {}
    secret = unwrap(entry["wrap"], password, wrap_aad(keyfile.store_id, name)) if entry.get("wrap") else None
    if secret is None:
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreLocked(f"{WRONG_LOGIN[:-1]} for the backup.")
    data_key = split_secret(secret)[0]
    probe = open_store(staged, data_key, keyfile.store_id, cfg)
    roles = (probe.conn.execute("SELECT roles FROM accounts WHERE name = ?", (name,)).fetchone() or ("",))[0]
    base = chain_head(probe.conn)  # what the backup's log held, before this restore adds to it
    probe.close()
    if AccountRole.admin not in roles.split(","):
        shutil.rmtree(staging, ignore_errors=True)
        raise StoreLocked(f"Restoring needs an admin account of the backup; '{name}' is not one.")
    kept = None
    if paths.db.exists():
        kept = paths.home / f"before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S}"
        kept.mkdir(mode=0o700)
        for f in paths.home.iterdir():
            if f.name.startswith(("store.db", "keys.json", "audit.anchor")):
                f.replace(kept / f.name)
    for member in BACKUP_MEMBERS:
        (staging / member).replace(paths.home / member)
    shutil.rmtree(staging, ignore_errors=True)
    session = session_for(open_store(paths, data_key, keyfile.store_id, cfg), name)
    with session:
        over = restored(session.store, base)  # the repository then hears of the restore and how far back it went
        record_now(session.store, session.actor, "store.restore",
                   detail={"file": Path(backup_file).name} | ({"forwarded_before": over["seq"]} if over else {}))
    return kept


def rekey(session: Session, password: str) -> str:
    """Re-encrypt the store under a new data key; returns the new recovery key (admin only).

    Only the caller's password (given again) and the new recovery key can open
    the store afterwards; every other account needs a new password from an admin.
    Encounter content is not re-encrypted (its keys do not depend on the data key),
    and break-glass still uses the recovery key of ``db init``, from which the
    break-glass key was derived.
    """
    session.require(AccountRole.admin, "store.rekey")
    store = session.store
    if not (audit := verify_store(store)).ok:
        raise AuditTampered(f"{audit.sentence()} Investigate before changing the key.")
    paths = store.paths
    with locked_file(paths.home / "rekey.lock"):
        entry = read_keyfile(paths.keys).accounts.get(session.account) or {}
        if not entry.get("wrap") or unwrap(entry["wrap"], password, wrap_aad(store.store_id, session.account)) is None:
            raise StoreLocked(WRONG_LOGIN)
        new_key = new_data_key()
        recovery, recovery_key = recovery_wrap(new_key)
        count, head = chain_head(store.conn)
        with editing_keyfile(paths.keys) as keyfile:
            keyfile.rekey_pending = {
                "account": session.account, "recovery": recovery,
                "wrap": password_wrap(new_key, session.account_key(), store.store_id, session.account, password,
                                      cfg=store.settings),
                "anchor": anchor_json(new_key, store.store_id, count, head),
            }
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        store.data_key = new_key
        apply_rekey_pending(paths.keys, paths.anchor)
    others = store.conn.execute("SELECT count(*) FROM accounts WHERE name != ? AND disabled = 0",
                                (session.account,)).fetchone()[0]
    record_now(store, session.actor, "store.rekey", detail={"accounts_to_reset": others})
    return recovery_key
