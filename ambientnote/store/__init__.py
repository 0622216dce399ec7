"""The encrypted store: one SQLCipher file holding accounts, encounters, audio, transcripts, notes, audit log.

Faces read their settings once, get a ``Session`` by logging in with them and pass it to every service (its
``settings`` are the face's with the store's safety settings on top):

    from ambientnote.config import load_settings
    from ambientnote.store import login, save_draft
    with login(name, password, cfg=load_settings()) as session:   # StoreLocked on refusal
        encounter_id = save_draft(session, patient_label=..., transcript=..., note_json=...,
                                  audio_path=None, model="smollm2-135m")

The CLI's ``ambientnote.cli.store_auth.cli_session()`` does the login from
``AMBIENTNOTE_USER``/``AMBIENTNOTE_PASSWORD`` or no-echo prompts.
"""

from ambientnote.store.accounts import init_store
from ambientnote.store.encounters import record_transfer, save_draft
from ambientnote.store.session import Session, login

__all__ = ["Session", "init_store", "login", "record_transfer", "save_draft"]
