"""The one exception tree of AmbientNote.

Every error a user can meet is an ``AmbientNoteError`` carrying the single
sentence they read (``str(err)``). The CLI and the GUI render that sentence at
the edge; tracebacks appear only with ``--debug``. Callers catch by meaning:

    AmbientNoteError
    ├── InputError            bad or unreadable input (audio, transcript, file)
    │   └── NoSpeechError     audio that holds no speech
    ├── ModelError            a model is missing, corrupt, or answered badly
    │   ├── ModelNotInstalled the package that ships a model is not installed
    │   └── ModelOutputError  the model's output failed validation after retries
    ├── ConfigError           settings or site policy are invalid or forbid the action
    ├── StoreError            the encrypted store cannot be used
    │   ├── StoreLocked       wrong password, wrong key, or locked account
    │   └── StoreCorrupt      the database failed its integrity check
    ├── AccessDenied          the caller's role does not allow the action
    ├── AuditTampered         the audit chain does not verify
    └── OnPremUnavailable     the on-prem LLM server is down, slow or refused
"""

from __future__ import annotations

import logging


class AmbientNoteError(Exception):
    """Base class: ``str(err)`` is the one sentence shown to the user."""

    exit_code = 1


class InputError(AmbientNoteError):
    exit_code = 2


class NoSpeechError(InputError):
    pass


class ModelError(AmbientNoteError):
    exit_code = 3


class ModelNotInstalled(ModelError):
    pass


class ModelOutputError(ModelError):
    pass


class ConfigError(AmbientNoteError):
    exit_code = 4


class StoreError(AmbientNoteError):
    exit_code = 5


class StoreLocked(StoreError):
    pass


class StoreCorrupt(StoreError):
    pass


class AccessDenied(AmbientNoteError):
    exit_code = 6


class AuditTampered(AmbientNoteError):
    exit_code = 7


class OnPremUnavailable(AmbientNoteError):
    exit_code = 8


def error_sentence(exc: BaseException) -> str:
    """The sentence a user reads for any exception, in any face (never a traceback).

    An ``AmbientNoteError`` already carries it; anything else becomes a calm generic
    sentence and the traceback goes to the debug log only (no locals are logged, so no PHI).
    """
    if isinstance(exc, AmbientNoteError):
        return str(exc)
    logging.getLogger(__name__).debug("unexpected error", exc_info=exc)
    return f"Something unexpected went wrong ({type(exc).__name__}); nothing was lost, please try again."
