"""Creating the store and managing its accounts (the admin role's job).

An account is a row in the store (name, roles, disabled), its content key pair
(``ambientnote.store.account_keys``) and its wrap of the data key and private key
in ``keys.json``. Changing one's own password rewrites only the wrap. A password
set by an admin (reset, enable) comes with a new key pair: the admin cannot open
the old one, so the account's earlier encounters stay sealed until an admin with
the recovery key hands the retired key on (``restore_account_keys``); a reset with
the recovery key keeps the key pair. Disabling removes the wrap as well, so a
disabled account cannot even decrypt the store. Each change and its audit event
commit together; the key file is rewritten inside the same transaction, so a
failed key-file write rolls the change back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ambientnote.access import ROLES, AccountRole
from ambientnote.audit.anchor import write_anchor
from ambientnote.audit.commit_hooks import watch_commits
from ambientnote.audit.events import GENESIS_HASH
from ambientnote.audit.log import Actor, record, this_host
from ambientnote.audit.signing import create_signing_key
from ambientnote.config import Settings
from ambientnote.db.connection import Store, connect, store_paths, utcnow
from ambientnote.db.envelope import break_glass_private, public_of
from ambientnote.db.keys import (
    Keyfile,
    editing_keyfile,
    new_data_key,
    new_recovery_key,
    read_keyfile,
    recovery_kdf,
    unwrap,
    wrap,
)
from ambientnote.errors import InputError, StoreLocked
from ambientnote.files import write_atomic
from ambientnote.store.account_keys import (
    RECOVERY_AAD,
    AccountKey,
    break_glass_key,
    break_glass_public,
    create_account_key,
    current_public,
    escrowed_private,
    password_wrap,
    restore_retired_keys,
    set_break_glass_public,
    tag_account_keys,
)
from ambientnote.store.credentials import check_name, check_password, clashes_with, normalize_name
from ambientnote.store.session import Session, open_store, session_for

if TYPE_CHECKING:
    import sqlcipher3


@dataclass(frozen=True)
class AccountInfo:
    name: str
    roles: tuple[str, ...]
    disabled: bool
    locked: bool
    created_at: str


def _check_roles(roles: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise InputError(f"Roles must be chosen from {', '.join(ROLES)} (got: {', '.join(unknown) or 'none'}).")
    return tuple(sorted(set(roles)))


def recovery_wrap(data_key: bytes) -> tuple[dict, str]:
    """A new recovery key and the data key wrapped under it."""
    recovery_key = new_recovery_key()
    return wrap(data_key, recovery_key, recovery_kdf(), RECOVERY_AAD), recovery_key


def init_store(name: str, password: str, *, cfg: Settings) -> tuple[Session, str]:
    """Create the store in ``cfg.home`` and its first account (admin + clinician); returns the session and the
    recovery key."""
    name = check_name(name)
    check_password(password, name=name)
    paths = store_paths(cfg.home)
    if paths.keys.exists() or paths.db.exists():
        raise InputError(f"A store already exists in {paths.home}; use it, or choose another AMBIENTNOTE_HOME.")
    paths.home.mkdir(parents=True, exist_ok=True, mode=0o700)
    store_id, data_key = uuid.uuid4().hex, new_data_key()
    conn = connect(paths.db, data_key, create=True)
    store = watch_commits(Store(paths, conn, data_key, store_id, cfg))
    recovery, recovery_key = recovery_wrap(data_key)
    write_atomic(paths.keys, Keyfile(store_id, {name: {"wrap": None, "failed": 0}}, recovery).to_json().encode())
    write_anchor(store, 0, GENESIS_HASH)
    roles = (AccountRole.admin, AccountRole.clinician)
    actor = Actor(name, roles, this_host())
    with store.transaction() as tx:
        tx.execute("INSERT INTO meta(key, value) VALUES ('store_id', ?), ('created_at', ?)", (store_id, utcnow()))
        break_glass = public_of(break_glass_private(recovery_key, store_id))
        set_break_glass_public(tx, break_glass)
        record(tx, actor, "store.init", entity_type="store", entity_id=store_id)
        key = _insert_account(store, tx, actor, name, roles, password, break_glass)
        create_signing_key(store, tx, actor)
    session = session_for(store, name)
    session.keys = key
    return session, recovery_key


def _insert_account(store: Store, tx: sqlcipher3.Connection, actor: Actor, name: str, roles: tuple[str, ...],
                    password: str, break_glass: bytes | None) -> AccountKey:
    """The account's row, key pair and wrap (inside the caller's transaction); ``break_glass`` is the key the
    creating session vouches for."""
    account_id = tx.execute("INSERT INTO accounts(name, roles, created_at) VALUES (?, ?, ?)",
                            (name, ",".join(roles), utcnow())).lastrowid
    key = create_account_key(tx, store.store_id, int(account_id or 0), break_glass)
    record(tx, actor, "account.create", entity_type="account", entity_id=name, detail={"roles": ",".join(roles)})
    with editing_keyfile(store.paths.keys) as keyfile:
        keyfile.accounts[name] = {"wrap": password_wrap(store.data_key, key, store.store_id, name, password,
                                                        cfg=store.settings), "failed": 0}
    return key


def _account_row(session: Session, name: str) -> tuple[int, str, int]:
    row = session.store.conn.execute("SELECT id, roles, disabled FROM accounts WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise InputError(f"There is no account named '{name}'.")
    return row


def _admins_left(session: Session, excluding: str) -> int:
    rows = session.store.conn.execute("SELECT roles FROM accounts WHERE disabled = 0 AND name != ?", (excluding,))
    return sum(AccountRole.admin in r[0].split(",") for r in rows)


def add_account(session: Session, name: str, roles: list[str], password: str) -> None:
    """Add an account holding ``roles`` with an initial password (admin only)."""
    name = check_name(name)
    session.require(AccountRole.admin, "account.create", entity_type="account", entity_id=name)
    roles_t = _check_roles(roles)
    check_password(password, name=name)
    existing = [r[0] for r in session.store.conn.execute("SELECT name FROM accounts")]
    if name in existing:
        raise InputError(f"An account named '{name}' already exists.")
    if other := clashes_with(name, existing):
        raise InputError(f"'{name}' differs from the existing account '{other}' only in case; choose a distinct name.")
    with session.store.transaction() as tx:
        _insert_account(session.store, tx, session.actor, name, roles_t, password, session.account_key().break_glass)


def change_password(session: Session, new_password: str, name: str | None = None) -> None:
    """Re-wrap the data key under a new password: one's own (the key pair is kept), or anyone's for an admin
    (also unlocks it; the account gets a new key pair, see the module's docstring)."""
    target = normalize_name(name) if name else session.account
    if target != session.account:
        session.require(AccountRole.admin, "account.password", entity_type="account", entity_id=target)
    check_password(new_password, name=target)
    _, _, disabled = _account_row(session, target)
    if disabled:
        raise InputError(f"The account '{target}' is disabled; enable it with a new password instead.")
    own = session.account_key()
    _set_wrap(session.store, session.actor, target, new_password, "account.password", {"by": session.account},
              own.break_glass, own if target == session.account else None)


def _set_wrap(store: Store, actor: Actor, target: str, password: str, kind: str, detail: dict,
              break_glass: bytes | None, key: AccountKey | None = None) -> None:
    """The account's new wrap under ``password``, holding ``key`` or, when None, a new key pair escrowed to
    ``break_glass``."""
    with store.transaction() as tx:
        if kind == "account.enable":
            tx.execute("UPDATE accounts SET disabled = 0 WHERE name = ?", (target,))
        if key is None:
            account_id = tx.execute("SELECT id FROM accounts WHERE name = ?", (target,)).fetchone()[0]
            key = create_account_key(tx, store.store_id, account_id, break_glass)
            detail = detail | {"content_key": "new"}
        record(tx, actor, kind, entity_type="account", entity_id=target, detail=detail)
        with editing_keyfile(store.paths.keys) as keyfile:
            keyfile.accounts[target] = {
                "wrap": password_wrap(store.data_key, key, store.store_id, target, password, cfg=store.settings),
                "failed": 0}


def reset_with_recovery_key(name: str, recovery_key: str, new_password: str, *, cfg: Settings) -> None:
    """Give an account a new password using the site recovery key shown at ``db init``.

    The account keeps its key pair (opened from its escrow with the break-glass key), so it loses nothing, and
    its encounter keys still untagged from before v6 are tagged now (``ambientnote.store.key_tags``); only where
    the recovery key no longer derives the break-glass key (after ``db rekey``) it gets a new one.
    """
    name = normalize_name(name)
    check_password(new_password, name=name)
    paths = store_paths(cfg.home)
    keyfile = read_keyfile(paths.keys)
    data_key = unwrap(keyfile.recovery, recovery_key, RECOVERY_AAD) if keyfile.recovery else None
    if data_key is None:
        raise StoreLocked("The recovery key does not open this store.")
    store = open_store(paths, data_key, keyfile.store_id, cfg)
    try:
        row = store.conn.execute("SELECT id, roles, disabled FROM accounts WHERE name = ?", (name,)).fetchone()
        if row is None or row[2]:
            raise InputError(f"There is no active account named '{name}'.")
        account_id, actor = row[0], Actor(name, tuple(row[1].split(",")), this_host())
        key, break_glass = None, break_glass_public(store.conn)
        try:
            bg_private = break_glass_key(store, recovery_key)
            break_glass = public_of(bg_private)  # derived, not read: the store's copy could have been swapped
            current = current_public(store.conn, account_id)
            private = escrowed_private(store.conn, store.store_id, current[0], bg_private) if current else None
            if current and private and public_of(private) == current[1]:  # an escrow swapped in: not trusted
                key = AccountKey(current[0], current[1], private, break_glass, tagged=True)
                with store.transaction() as tx:  # the recovery-key holder vouches for the keys as they are
                    tag_account_keys(tx, store.store_id, key)
        except StoreLocked:
            pass  # a recovery key from `db rekey`: it opens the store but not the break-glass key of `db init`
        _set_wrap(store, actor, name, new_password, "account.password", {"by": "recovery-key"}, break_glass, key)
    finally:
        store.close()


def restore_account_keys(session: Session, name: str, recovery_key: str) -> tuple[int, int]:
    """Give ``name`` back the encounters sealed to keys retired by admin resets (an admin, with the recovery key
    of ``db init``, which derives the break-glass key). Returns (keys handed on, keys that cannot be: made before
    the store had a break-glass key). Audited."""
    name = normalize_name(name)
    session.require(AccountRole.admin, "account.password", entity_type="account", entity_id=name)
    account_id, _, disabled = _account_row(session, name)
    if disabled:
        raise InputError(f"The account '{name}' is disabled; enable it with a new password first.")
    store = session.store
    bg_private = break_glass_key(store, recovery_key)
    with store.transaction() as tx:
        done, missing = restore_retired_keys(tx, store.store_id, account_id, bg_private)
        record(tx, session.actor, "account.password", entity_type="account", entity_id=name,
               detail={"by": "recovery-key", "content_keys_restored": done, "content_keys_lost": missing})
    return done, missing


def disable_account(session: Session, name: str) -> None:
    """Disable an account and delete its wrap of the data key (admin only; never the last admin)."""
    name = normalize_name(name)
    session.require(AccountRole.admin, "account.disable", entity_type="account", entity_id=name)
    _, roles, _ = _account_row(session, name)
    if AccountRole.admin in roles.split(",") and _admins_left(session, name) == 0:
        raise InputError(f"'{name}' is the last active admin; give another account the admin role first.")
    store = session.store
    with store.transaction() as tx:
        tx.execute("UPDATE accounts SET disabled = 1 WHERE name = ?", (name,))
        record(tx, session.actor, "account.disable", entity_type="account", entity_id=name)
        with editing_keyfile(store.paths.keys) as keyfile:
            keyfile.accounts[name] = {"wrap": None, "failed": 0}


def enable_account(session: Session, name: str, password: str) -> None:
    """Re-enable a disabled account with a new password (admin only)."""
    name = normalize_name(name)
    session.require(AccountRole.admin, "account.enable", entity_type="account", entity_id=name)
    check_password(password, name=name)
    _account_row(session, name)
    _set_wrap(session.store, session.actor, name, password, "account.enable", {"by": session.account},
              session.account_key().break_glass)


def reset_password(session: Session, name: str, password: str) -> str:
    """An admin gives ``name`` a new password (they pass it on in person): it also unlocks an account locked by
    failed logins and re-enables a disabled one. Returns the sentence that says what happened."""
    name = normalize_name(name)
    session.require(AccountRole.admin, "account.password", entity_type="account", entity_id=name)
    _, _, disabled = _account_row(session, name)
    if disabled:
        enable_account(session, name, password)
        return f"{name} is enabled again with the new password."
    locked = read_keyfile(session.store.paths.keys).accounts.get(name, {}).get("failed", 0) >= \
        session.settings.max_failed_logins
    change_password(session, password, name)
    sealed = session.store.conn.execute("SELECT count(*) FROM encounters e JOIN accounts a ON a.id = e.author_id"
                                        " WHERE a.name = ?", (name,)).fetchone()[0]
    restore = (f" Their {sealed} earlier encounter(s) stay sealed to their old key until an admin runs "
               f"'ambientnote user restore-keys {name}' with the recovery key." if sealed else "")
    return f"{name} has a new password{' and is unlocked' if locked else ''}; give it to them in person.{restore}"


def set_roles(session: Session, name: str, roles: list[str]) -> None:
    """Replace an account's roles (admin only; the last admin keeps admin)."""
    name = normalize_name(name)
    session.require(AccountRole.admin, "account.roles", entity_type="account", entity_id=name)
    roles_t = _check_roles(roles)
    _account_row(session, name)
    if AccountRole.admin not in roles_t and _admins_left(session, name) == 0:
        raise InputError(f"'{name}' is the last active admin and must keep the admin role.")
    with session.store.transaction() as tx:
        tx.execute("UPDATE accounts SET roles = ? WHERE name = ?", (",".join(roles_t), name))
        record(tx, session.actor, "account.roles", entity_type="account", entity_id=name,
               detail={"roles": ",".join(roles_t)})
    if name == session.account:
        session.roles = frozenset(roles_t)


def list_accounts(session: Session) -> list[AccountInfo]:
    """Every account with its roles and state (admin only)."""
    session.require(AccountRole.admin, "account.roles")
    keyfile = read_keyfile(session.store.paths.keys)
    limit = session.settings.max_failed_logins
    rows = session.store.conn.execute("SELECT name, roles, disabled, created_at FROM accounts ORDER BY name")
    return [
        AccountInfo(name, tuple(roles.split(",")), bool(disabled),
                    keyfile.accounts.get(name, {}).get("failed", 0) >= limit, created)
        for name, roles, disabled, created in rows
    ]

