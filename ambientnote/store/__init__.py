"""The encrypted store: one SQLCipher file holding accounts, encounters, audio, transcripts, notes, audit log.

Public entry points (services take a ``Session``):

- ``login(name, password, home=None) -> Session`` and ``init_store(name, password, home=None)``
- ``save_draft(session, *, patient_label, transcript, note_json, audio_path, model) -> int``
"""
