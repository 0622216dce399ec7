"""The encrypted store: one SQLCipher file holding accounts, encounters, audio, transcripts, notes, audit log.

Faces get a ``Session`` by logging in and pass it to every service:

    from ambientnote.store import login, save_draft
    with login(name, password) as session:          # StoreLocked on refusal
        encounter_id = save_draft(session, patient_label=..., transcript=..., note_json=...,
                                  audio_path=None, model="smollm2-135m")

The CLI's ``ambientnote.cli.store_auth.cli_session()`` does the login from
``AMBIENTNOTE_USER``/``AMBIENTNOTE_PASSWORD`` or no-echo prompts.
"""

from typing import Any

__all__ = ["Session", "init_store", "login", "record_transfer", "save_draft"]

_HOMES = {"Session": "session", "login": "session", "init_store": "accounts", "save_draft": "encounters",
          "record_transfer": "encounters"}


def __getattr__(name: str) -> Any:
    """Lazy re-exports: the audit modules import ``ambientnote.store.db``, so this package imports nothing eagerly."""
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f"ambientnote.store.{_HOMES[name]}"), name)
    raise AttributeError(name)
