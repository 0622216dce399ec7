"""Logging in: from an account name and password to an open store and a ``Session``.

Every service takes a ``Session``: the unlocked store plus the authenticated
account and its roles, so role checks live in the services and both faces get
them for free. Failed logins cannot be written to the audit log directly (the
store stays locked without the right password), so they wait in ``keys.json``
and enter the chain, with their original time, at the next successful unlock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import sqlcipher3

from ambientnote.access import AccountRole
from ambientnote.audit.anchor import advance_anchor
from ambientnote.audit.commit_hooks import watch_commits
from ambientnote.audit.events import OUTCOME_MINOR_FAILURE
from ambientnote.audit.log import Actor, record, record_now, this_host
from ambientnote.config import Settings
from ambientnote.db.connection import Store, StorePaths, connect, store_paths, utcnow
from ambientnote.db.keys import Keyfile, apply_rekey_pending, editing_keyfile, locked_file, read_keyfile, unwrap
from ambientnote.errors import AccessDenied, StoreCorrupt, StoreError, StoreLocked
from ambientnote.store.account_keys import (
    AccountKey,
    WrapSecret,
    break_glass_public,
    create_account_key,
    escrow_key,
    is_escrowed,
    password_wrap,
    split_secret,
    unlock_account_key,
    wrap_aad,
)
from ambientnote.store.credentials import normalize_name, unknown_name_digest
from ambientnote.store.legacy_content import bring_up_to_date
from ambientnote.store.safety import apply_safety_settings

WRONG_LOGIN = "Wrong user name or password."


@dataclass
class Session:
    """An authenticated account on an unlocked store; close it when done."""

    store: Store
    account_id: int
    account: str
    roles: frozenset[str]
    host: str = field(default_factory=this_host)
    unrecorded_login: bool = False  # only for `db check` on a damaged store: the login is not in the log
    keys: AccountKey | None = None  # the account's content key pair, unlocked by its password (ambientnote.db.envelope)
    opened: dict[bytes, bytes] = field(default_factory=dict)  # encounter keys by their seal (ambientnote.store.content)

    @property
    def settings(self) -> Settings:
        """What this session's services go by: the face's settings with the store's safety settings on top."""
        return self.store.settings

    @property
    def actor(self) -> Actor:
        return Actor(self.account, tuple(sorted(self.roles)), self.host)

    def require(self, role: AccountRole, kind: str, *, entity_type: str = "", entity_id: str | int = "",
                refusal: str = "") -> None:
        """Refuse (and audit the refusal) unless the account holds ``role``; ``refusal`` is the sentence shown."""
        if role in self.roles:
            return
        record_now(self.store, self.actor, kind, entity_type=entity_type, entity_id=entity_id,
                   outcome=OUTCOME_MINOR_FAILURE, detail={"refused": f"needs role {role}"})
        raise AccessDenied(refusal or f"This needs the {role} role, which the account '{self.account}' does not hold.")

    def account_key(self) -> AccountKey:
        """The account's unlocked content key; a session opened without the password (a restore) has none."""
        if self.keys is None:
            raise StoreLocked("This session cannot open encounter content; log in with the account's password.")
        return self.keys

    def close(self) -> None:
        self.store.close()
        self.keys = None
        self.opened.clear()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _pending_failure(keyfile: Keyfile, name: str, reason: str) -> None:
    keyfile.pending_audit.append({"recorded": utcnow(), "account": name, "host": this_host(), "reason": reason})


def _backoff_left(entry: dict[str, Any], cfg: Settings) -> float:
    failed = entry.get("failed", 0)
    if not failed:
        return 0.0
    wait = min(cfg.login_backoff_seconds * 2 ** (failed - 1), 300.0)
    return entry.get("last_failed", 0.0) + wait - time.time()


def _check_and_unwrap(paths: StorePaths, name: str, password: str, cfg: Settings) -> tuple[bytes, str]:
    """The account's secret (data key + private key) for a correct password; every refusal is counted and queued
    for the audit log."""
    max_failed = cfg.max_failed_logins
    with editing_keyfile(paths.keys) as keyfile:
        entry = keyfile.accounts.get(name)
        if entry is None:  # perhaps a password typed into the name field: only its slow hash is kept
            digest = unknown_name_digest(keyfile.store_id, name, memory_kib=cfg.kdf_memory_kib,
                                         time_cost=cfg.kdf_time_cost)
            _pending_failure(keyfile, digest, "unknown account")
            error = StoreLocked(WRONG_LOGIN)
        elif entry.get("failed", 0) >= max_failed:
            _pending_failure(keyfile, name, "account locked")
            error = StoreLocked(
                f"The account '{name}' is locked after {max_failed} failed logins; "
                "an administrator or the recovery key can reset its password."
            )
        elif (left := _backoff_left(entry, cfg)) > 0:
            _pending_failure(keyfile, name, "too soon after a failed login")
            error = StoreLocked(f"After a failed login, wait {left:.0f} seconds before trying again.")
        elif entry.get("wrap") is None:
            _pending_failure(keyfile, name, "account disabled")
            error = StoreLocked(f"The account '{name}' is disabled or needs a new password from an administrator.")
        elif (secret := unwrap(entry["wrap"], password, wrap_aad(keyfile.store_id, name))) is None:
            entry["failed"] = entry.get("failed", 0) + 1
            entry["last_failed"] = time.time()
            _pending_failure(keyfile, name, f"wrong password ({entry['failed']} in a row)")
            error = StoreLocked(WRONG_LOGIN)
        else:
            entry["failed"] = 0
            return secret, keyfile.store_id
    raise error


def open_store(paths: StorePaths, data_key: bytes, store_id: str, cfg: Settings) -> Store:
    """Open the database and check that it is the store the key file belongs to; it goes by ``cfg`` until its
    safety settings are applied (``apply_safety_settings``)."""
    conn = connect(paths.db, data_key)
    row = conn.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
    if row is None or row[0] != store_id:
        conn.close()
        raise StoreLocked(f"The database in {paths.home} does not belong to its key file; "
                          "restore both from one backup.")
    return watch_commits(Store(paths, conn, data_key, store_id, cfg))


def _open_maybe_rekeyed(paths: StorePaths, name: str, password: str, data_key: bytes, store_id: str,
                        cfg: Settings) -> Store:
    """Open the store, finishing (or forgetting) a key change that a crash interrupted."""
    with locked_file(paths.home / "rekey.lock"):
        pending = read_keyfile(paths.keys).rekey_pending
        try:
            store = open_store(paths, data_key, store_id, cfg)
        except StoreLocked as exc:
            if not pending:
                raise
            if pending["account"] != name:
                raise StoreLocked(f"A key change was interrupted; '{pending['account']}' must log in once "
                                  "to finish it.") from exc
            new_secret = unwrap(pending["wrap"], password, wrap_aad(store_id, name))
            if new_secret is None:
                raise
            store = open_store(paths, split_secret(new_secret)[0], store_id, cfg)
            apply_rekey_pending(paths.keys, paths.anchor)
            return store
        if pending:  # the key change never reached the database: forget it
            with editing_keyfile(paths.keys) as keyfile:
                keyfile.rekey_pending = None
        return store


def flush_pending_failures(store: Store, conn: sqlcipher3.Connection) -> None:
    """Move queued failed logins from the key file into the chain (inside the caller's transaction)."""
    with editing_keyfile(store.paths.keys) as keyfile:
        for item in keyfile.pending_audit:
            record(conn, Actor(item["account"], (), item["host"]), "login", outcome=OUTCOME_MINOR_FAILURE,
                   entity_type="account", entity_id=item["account"], detail={"reason": item["reason"]},
                   recorded=item["recorded"])
        keyfile.pending_audit.clear()


def session_for(store: Store, name: str, *, for_check: bool = False) -> Session:
    """A session for an account of an unlocked store; refuses disabled accounts.

    ``for_check``: a damaged page that stops the login's audit write does not stop
    the login, so ``db check`` can still say what is damaged (it reports the gap).
    """
    row = store.conn.execute("SELECT id, roles, disabled FROM accounts WHERE name = ?", (name,)).fetchone()
    if row is None or row[2]:
        record_now(store, Actor(name, (), this_host()), "login", outcome=OUTCOME_MINOR_FAILURE,
                   entity_type="account", entity_id=name, detail={"reason": "account disabled or missing"})
        store.close()
        raise StoreLocked(f"The account '{name}' is disabled or does not exist in this store.")
    session = Session(store, row[0], name, frozenset(r for r in row[1].split(",") if r))
    try:
        with store.transaction() as conn:
            flush_pending_failures(store, conn)
            record(conn, session.actor, "login", entity_type="account", entity_id=name)
    except (StoreError, sqlcipher3.DatabaseError, MemoryError):  # SQLCipher reports some damaged pages as no memory
        if not for_check:
            store.close()
            raise
        session.store = reopen_store(store)
        session.unrecorded_login = True  # queued failures stay in keys.json; the check reports the gap
    return session


def reopen_store(store: Store) -> Store:
    """A fresh connection to the same store: after SQLCipher meets a damaged page, that connection fails every read."""
    data_key = store.data_key
    store.close()
    return open_store(store.paths, data_key, store.store_id, store.settings)


def confirm_password(session: Session, password: str, purpose: str = "sign") -> None:
    """Ask for the password again before a weighty act (signing); a wrong one is audited and refused.

    Checks the password against the account's wrap of the data key without opening a second
    connection; it does not count toward the login lock-out (the account is already unlocked).
    """
    entry = read_keyfile(session.store.paths.keys).accounts.get(session.account) or {}
    wrapped = entry.get("wrap")
    if wrapped is None or unwrap(wrapped, password, wrap_aad(session.store.store_id, session.account)) is None:
        record_now(session.store, session.actor, "login", outcome=OUTCOME_MINOR_FAILURE, entity_type="account",
                   entity_id=session.account, detail={"reason": f"wrong password to {purpose}"})
        raise StoreLocked("The password is not right; nothing was signed.")


def login(name: str, password: str, *, cfg: Settings, for_check: bool = False) -> Session:
    """Unlock the store at ``cfg.home`` as ``name``; raises StoreLocked on refusal. The session's settings are
    ``cfg`` with the store's safety settings on top (``Session.settings``).

    The name is NFKC-normalised first, so full-width or decomposed input finds its account.
    ``for_check`` lets ``db check`` in even when damage stops the login from being audited.
    """
    name = normalize_name(name)
    paths = store_paths(cfg.home)
    read_keyfile(paths.keys)  # a clear "no store here" before anything else
    unwrapped, store_id = _check_and_unwrap(paths, name, password, cfg)
    secret = split_secret(unwrapped)
    store = _open_maybe_rekeyed(paths, name, password, secret.data_key, store_id, cfg)
    try:
        apply_safety_settings(store)  # before the login's commit, which forwards to an audit repository an admin set
        advance_anchor(store)  # catch up after a crash between a commit and its anchor write
    except OSError:
        pass  # a full disk: the anchor catches up at the next commit
    except (sqlcipher3.DatabaseError, MemoryError):
        if not for_check:
            store.close()
            raise
        store = reopen_store(store)
    session = session_for(store, name, for_check=for_check)
    if for_check:
        return session  # `db check` reads no content, and a damaged store may not take the key's catch-up writes
    try:
        session.keys = _content_key(session, password, secret)
        bring_up_to_date(session)
        if not session.keys.tagged:
            _vouch_for_tags(session, password)
        from ambientnote.capture.spool import reseal_v1_spools  # numpy: only once the login has succeeded

        reseal_v1_spools(paths.home, store_id, name, session.store.data_key, session.keys.public)
    except BaseException:
        session.close()
        raise
    return session


def _rewrap(session: Session, password: str) -> None:
    """Write the account's wrap for its session's key (inside the caller's transaction: a failed write rolls back)."""
    store = session.store
    with editing_keyfile(store.paths.keys) as keyfile:
        keyfile.accounts[session.account]["wrap"] = password_wrap(store.data_key, session.account_key(),
                                                                  store.store_id, session.account, password,
                                                                  cfg=store.settings)


def _vouch_for_tags(session: Session, password: str) -> None:
    """Once the login tagged the account's encounter keys, its wrap says so: an untagged key is refused from now."""
    session.keys = replace(session.account_key(), tagged=True)
    with session.store.transaction() as tx:
        record(tx, session.actor, "account.password", entity_type="account", entity_id=session.account,
               detail={"content_keys": "tagged"})
        _rewrap(session, password)


def _content_key(session: Session, password: str, secret: WrapSecret) -> AccountKey:
    """The account's content key as its wrap holds it; a wrap from before v5 gets a key pair now, and one made
    before the store had a break-glass key takes the store's (from then on the wrap vouches for it). The key is
    ``tagged`` as the wrap says, even a new pair: the login vouches for tags only once it has brought the
    account's encounters up to date."""
    store, private, pinned = session.store, secret.private, secret.break_glass
    in_store = break_glass_public(store.conn)
    if pinned is not None and pinned != in_store:
        raise StoreCorrupt("The store's break-glass key is not the one this account was given: someone changed it; "
                           "restore store.db and keys.json from one backup.")
    if private is not None:
        key = unlock_account_key(store.conn, session.account_id, private, pinned or in_store, secret.tagged)
        if pinned is not None or in_store is None:
            if not is_escrowed(store.conn, key) and in_store is not None:
                with store.transaction() as tx:
                    escrow_key(tx, store.store_id, key)
            return key
    with store.transaction() as tx:
        if private is None:
            key = replace(create_account_key(tx, store.store_id, session.account_id, in_store), tagged=secret.tagged)
            record(tx, session.actor, "account.password", entity_type="account", entity_id=session.account,
                   detail={"content_key": "created"})
        else:
            escrow_key(tx, store.store_id, key)
        session.keys = key
        _rewrap(session, password)
    return key
