"""What makes an account name and a password acceptable, and how a typed name finds its account.

Account names end up in the audit log, so two accounts must never *look* the
same: a Cyrillic "а" inside a Latin "alice" would let an insider's actions read
as someone else's. Names are therefore NFKC-normalised (full-width "ａｌｉｃｅ"
becomes "alice", and the decomposed "müller" that macOS keyboards send matches
the composed one) and a name mixing scripts is refused. The same normalisation
is applied to the name typed at login, so every face finds the same account.

Passwords are judged by zxcvbn (Dropbox's estimator, maintained on PyPI), not a
home-made list: it knows common passwords, keyboard walks, repeats, dates and
names, and estimates how many guesses an attacker needs. We ask for
"safely unguessable" (score 3, about 10^8 guesses) on top of the length rule.
"""

from __future__ import annotations

import hashlib
import unicodedata

from argon2.low_level import Type, hash_secret_raw
from zxcvbn import zxcvbn

from ambientnote.errors import InputError

MIN_PASSWORD = 8
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable" (~10^8 guesses), 4 = "very unguessable"
MAX_NAME = 64
_NAME_PUNCTUATION = ".-_"
_ESTIMATE_CHARS = 72  # zxcvbn's own limit; a longer password is judged on its first 72 characters
# Scripts that legitimately appear together in one name (Japanese writes names in kanji and kana).
_COMPATIBLE = ({"CJK", "HIRAGANA", "KATAKANA"},)


def normalize_name(name: str) -> str:
    """The canonical form of a typed account name (NFKC, surrounding spaces removed)."""
    return unicodedata.normalize("NFKC", name).strip()


def _script(char: str) -> str:
    """The script of a letter, from its Unicode name ("CYRILLIC SMALL LETTER A" → "CYRILLIC")."""
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def _scripts(name: str) -> set[str]:
    return {_script(c) for c in name if c.isalpha()}


def check_name(name: str) -> str:
    """The normalised name if it is acceptable; otherwise one sentence saying why not."""
    name = normalize_name(name)
    bare = "".join(c for c in name if c not in _NAME_PUNCTUATION)
    if not name or len(name) > MAX_NAME or not bare.isalnum():
        raise InputError(f"An account name may hold only letters, digits, '.', '-' and '_' (at most {MAX_NAME}).")
    scripts = _scripts(name)
    if len(scripts) > 1 and not any(scripts <= allowed for allowed in _COMPATIBLE):
        raise InputError(
            f"The account name '{name}' mixes letters of different alphabets ({', '.join(sorted(scripts)).lower()}), "
            "so it could pass for another account; write it in one alphabet."
        )
    return name


def clashes_with(name: str, existing: list[str]) -> str | None:
    """An existing account the new name could be mistaken for (same letters up to case), if any."""
    key = name.casefold()
    return next((other for other in existing if other.casefold() == key and other != name), None)


def check_password(password: str, *, name: str = "") -> None:
    """Refuse short passwords and ones an attacker would guess early (common, repeated, the account's name)."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"The password is too short; use at least {MIN_PASSWORD} characters.")
    estimate = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=[name] if name else None)
    if estimate["score"] < MIN_SCORE:
        warning = estimate["feedback"].get("warning", "").rstrip(".")
        why = f" ({warning[0].lower() + warning[1:]})" if warning else ""
        raise InputError(f"The password is too easy to guess{why}; use a longer phrase of unrelated words.")


def unknown_name_digest(store_id: str, name: str, *, memory_kib: int, time_cost: int) -> str:
    """How a login under an unknown name is recorded: a slow salted hash, never the text.

    People type passwords into the user-name field, so an unknown name never
    reaches keys.json, the audit log or an export in clear. Argon2id at the
    store's password cost, salted with the store id, makes guessing the name
    from its record no easier than guessing a password from its key wrap beside
    it; repeated attempts with one name still show as one digest.
    """
    raw = hash_secret_raw(name.encode(), hashlib.sha256(f"ambientnote-unknown:{store_id}".encode()).digest(),
                          time_cost=time_cost, memory_cost=memory_kib, parallelism=1, hash_len=8, type=Type.ID)
    return f"unknown:{raw.hex()}"  # ":" is never in an account name, so it cannot pass for one
