"""Safety settings: where a draft may go and in what form, an admin's to change even without a site policy.

Why in the store: routing a visit to a server, the server's address and whether names are masked first decide
whether PHI leaves the laptop, so a clinician must not flip them for themselves, yet many sites have no
policy file. The store already knows who is an admin, audits every change, and is encrypted, so an admin's
choice lives in its ``settings`` table, and each login applies it to that store's settings (``Store.settings``,
``ambientnote.config.with_admin_settings``) above the environment and the user's file, below the site
policy. The user's settings file is never read for these keys.

The settings service both faces call: ``locked_settings`` (what to grey out, and why) and ``save_settings``
(the user's own choices to their file; safety settings to the store, admin only, audited).

A command that drafts without logging in (``draft`` without ``--save``) cannot read the encrypted values, so
``keys.json`` carries the *names* of the settings an admin set (``routing_set_by_admin``): enough to know it
must log in and draft as the admin decided. The names decide only whether to log in; what a draft may do
always comes from the store once unlocked, so editing that list can enable nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import TypeAdapter, ValidationError

from ambientnote.access import AccountRole
from ambientnote.audit.log import record
from ambientnote.config import (
    SAFETY_FIELDS,
    Settings,
    load_settings,
    lock_reason,
    locked_fields,
    policy_fields,
    save_user_settings,
    with_admin_settings,
)
from ambientnote.db.connection import Store, store_paths
from ambientnote.db.keys import editing_keyfile, read_keyfile
from ambientnote.errors import AmbientNoteError, ConfigError, InputError

if TYPE_CHECKING:  # the session applies these at login, so this module cannot import it at run time
    from ambientnote.store.session import Session


def stored_safety_settings(store: Store) -> dict[str, Any]:
    """The safety settings an admin set in this store (keys they never set are absent)."""
    marks = ",".join("?" * len(SAFETY_FIELDS))
    rows = store.conn.execute(f"SELECT key, value FROM settings WHERE key IN ({marks})", sorted(SAFETY_FIELDS))
    return {key: json.loads(value) for key, value in rows}


def apply_safety_settings(store: Store) -> None:
    """Layer this store's safety settings onto its settings (at every login, and after each change), and keep
    ``keys.json``'s list of their names in step (a store whose admin set them before the list existed gets it at
    the next login)."""
    stored = stored_safety_settings(store)
    store.settings = with_admin_settings(store.settings, stored)
    _mark_names(store, stored)


def _mark_names(store: Store, stored: dict[str, Any]) -> None:
    names = sorted(stored)
    if read_keyfile(store.paths.keys).admin_safety != names:
        with editing_keyfile(store.paths.keys) as keyfile:
            keyfile.admin_safety = names


def routing_set_by_admin(home: Path) -> bool:
    """Before any login: has an admin set routing in this store (so drafting must log in to honour it)?

    False where no store exists, or where the site policy fixes routing (the store's choice then counts for
    nothing).
    """
    keys = store_paths(home).keys
    if not keys.is_file() or "routing_allowed" in policy_fields():
        return False
    try:
        return "routing_allowed" in read_keyfile(keys).admin_safety
    except AmbientNoteError:
        return False  # a damaged key file: the login that follows says so


def _typed(key: str, value: object) -> object:
    """The value as the setting's type (``"true"`` → True, a comma list → a list), validated like any setting.

    Validated against the field alone, not by building the settings: the store's current value sits above
    any value passed in there, so an admin could never change a safety setting they had set before.
    """
    if isinstance(value, str) and key == "onprem_hosts":
        value = [h.strip() for h in value.split(",") if h.strip()]
    if value is None:
        return None
    field = Settings.model_fields[key]
    try:
        # the field's type is known only at run time, so the adapter is untyped here
        adapter: TypeAdapter[object] = TypeAdapter(Annotated[field.annotation, field])  # type: ignore[arg-type]
        typed = adapter.validate_python(value)
    except ValidationError as exc:
        raise ConfigError(f"The setting '{key}' is invalid: {exc.errors()[0]['msg']}.") from exc
    return str(typed) if isinstance(typed, Path) else typed


def set_safety_setting(session: Session, key: str, value: object) -> None:
    """Set (None: unset) one safety setting in the store (admin only, audited); it applies at once."""
    if key not in SAFETY_FIELDS:
        raise InputError(f"Unknown safety setting '{key}'; known: {', '.join(sorted(SAFETY_FIELDS))}.")
    session.require(AccountRole.admin, "policy.change", entity_type="policy", entity_id=key,
                    refusal=f"{key} is a safety setting that only an administrator changes.")
    if key in policy_fields():
        raise ConfigError(f"The site policy fixes {key}; ask hospital IT to change it.")
    typed = _typed(key, value)
    with session.store.transaction() as tx:
        if typed is None:
            tx.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            tx.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, json.dumps(typed)))
        record(tx, session.actor, "policy.change", entity_type="policy", entity_id=key, detail={"value": typed})
    apply_safety_settings(session.store)


def safety_overview(session: Session) -> list[tuple[str, Any, str]]:
    """Each safety setting with its value now and who set it (site policy, admin, or default/environment)."""
    current, stored, fixed = session.settings, stored_safety_settings(session.store), policy_fields()
    return [(key, getattr(current, key), "site policy" if key in fixed else "admin" if key in stored else "default")
            for key in sorted(SAFETY_FIELDS)]


def locked_settings(session: Session) -> dict[str, str]:
    """The settings this account may not change, each with the sentence that says why (for the faces)."""
    return {key: lock_reason(key) for key in sorted(locked_fields(session.roles))}


def save_settings(session: Session, changes: dict[str, Any]) -> Settings:
    """Save a face's settings form: safety settings to the store (admin only), the rest to the user's file.
    Returns the settings the face goes by from now (the session's are renewed with them)."""
    safety = {k: v for k, v in changes.items() if k in SAFETY_FIELDS}
    for key, value in safety.items():
        set_safety_setting(session, key, value)
    user = {k: v for k, v in changes.items() if k not in SAFETY_FIELDS}
    save_user_settings(user)
    store = session.store
    store.settings = with_admin_settings(load_settings(home=store.settings.home), stored_safety_settings(store))
    return store.settings
