"""Safety settings: where a draft may go and in what form, an admin's to change even without a site policy.

Why in the store: routing a visit to a server, the server's address and whether names are masked first decide
whether PHI leaves the laptop, so a clinician must not flip them for themselves, yet many sites have no
policy file. The store already knows who is an admin, audits every change, and is encrypted, so an admin's
choice lives in its ``settings`` table, and each login applies it to the process's settings
(``ambientnote.config.use_admin_settings``) above the environment and the user's file, below the site
policy. The user's settings file is never read for these keys.

The settings service both faces call: ``locked_settings`` (what to grey out, and why) and ``save_settings``
(the user's own choices to their file; safety settings to the store, admin only, audited).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ambientnote.audit.log import record
from ambientnote.config import (
    SAFETY_FIELDS,
    load_settings,
    lock_reason,
    locked_fields,
    policy_fields,
    save_user_settings,
    settings,
    use_admin_settings,
)
from ambientnote.db.connection import Store
from ambientnote.errors import ConfigError, InputError

if TYPE_CHECKING:  # the session applies these at login, so this module cannot import it at run time
    from ambientnote.store.session import Session


def stored_safety_settings(store: Store) -> dict[str, Any]:
    """The safety settings an admin set in this store (keys they never set are absent)."""
    marks = ",".join("?" * len(SAFETY_FIELDS))
    rows = store.conn.execute(f"SELECT key, value FROM settings WHERE key IN ({marks})", sorted(SAFETY_FIELDS))
    return {key: json.loads(value) for key, value in rows}


def apply_safety_settings(store: Store) -> None:
    """Make this store's safety settings the process's (at every login)."""
    use_admin_settings(stored_safety_settings(store))


def _typed(key: str, value: Any) -> Any:
    """The value as the setting's type (``"true"`` → True, a comma list → a list), validated like any setting."""
    if isinstance(value, str) and key == "onprem_hosts":
        value = [h.strip() for h in value.split(",") if h.strip()]
    if value is None:
        return None
    typed = getattr(load_settings(**{key: value}), key)
    return str(typed) if isinstance(typed, Path) else typed


def set_safety_setting(session: Session, key: str, value: Any) -> None:
    """Set (None: unset) one safety setting in the store (admin only, audited); it applies at once."""
    if key not in SAFETY_FIELDS:
        raise InputError(f"Unknown safety setting '{key}'; known: {', '.join(sorted(SAFETY_FIELDS))}.")
    session.require("admin", "policy.change", entity_type="policy", entity_id=key,
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
    current, stored, fixed = settings(), stored_safety_settings(session.store), policy_fields()
    return [(key, getattr(current, key), "site policy" if key in fixed else "admin" if key in stored else "default")
            for key in sorted(SAFETY_FIELDS)]


def locked_settings(session: Session) -> dict[str, str]:
    """The settings this account may not change, each with the sentence that says why (for the faces)."""
    return {key: lock_reason(key) for key in sorted(locked_fields(session.roles))}


def save_settings(session: Session, changes: dict[str, Any]) -> None:
    """Save a face's settings form: safety settings to the store (admin only), the rest to the user's file."""
    safety = {k: v for k, v in changes.items() if k in SAFETY_FIELDS}
    for key, value in safety.items():
        set_safety_setting(session, key, value)
    save_user_settings({k: v for k, v in changes.items() if k not in SAFETY_FIELDS})
