"""What every attack script shares: the invented accounts' passwords and one line per attempt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ambientnote.errors import AmbientNoteError

PASSWORDS = {"admin": "Tr0ub4dor-horse-admin", "dr_a": "velvet-kumquat-ladder-9",
             "dr_b": "orchid-glacier-tumble-4", "carol": "saffron-pylon-drizzle-7"}


def attempt(label: str, action: Callable[[], Any]) -> None:
    """Print what ``action`` gave, or the sentence it was refused with; any other exception is a finding."""
    try:
        print(label, "->", repr(action())[:160])
    except AmbientNoteError as exc:
        print(label, "-> refused:", exc)
    except Exception as exc:  # noqa: BLE001  (a traceback where a sentence belongs is what we look for)
        print(label, "-> EXCEPTION", type(exc).__name__, str(exc)[:120])
