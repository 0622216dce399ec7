"""The data key and its wrappings: why several accounts can share one store.

The store is encrypted with one random 256-bit *data key* (SQLCipher raw key).
That key never touches disk in the clear: each account holds a copy wrapped
(AES-256-GCM) under a key derived from its password with Argon2id, and the site
holds one more copy wrapped under the recovery key shown once at ``db init``.
A password change therefore re-wraps 32 bytes instead of re-encrypting the store.

The wrappings live in ``keys.json`` beside the database because they must be
read *before* the database can be opened. It holds no PHI: account names, KDF
parameters, salts, ciphertexts, failed-login counters, failed-login events
waiting to enter the (encrypted) audit log at the next successful unlock, and
the public half of the install's signing key.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ambientnote.errors import StoreCorrupt, StoreLocked
from ambientnote.files import locked_file, write_atomic

KEY_BYTES = 32
KEYFILE_FORMAT = 1


def new_data_key() -> bytes:
    """A fresh random 256-bit key."""
    return secrets.token_bytes(KEY_BYTES)


def new_recovery_key() -> str:
    """A high-entropy recovery key a person can copy: 52 base32 characters in groups of four."""
    raw = base64.b32encode(secrets.token_bytes(KEY_BYTES)).decode().rstrip("=")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode())


def derive_subkey(data_key: bytes, purpose: str) -> bytes:
    """A key for one purpose (e.g. the audit anchor's HMAC), derived from the data key."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()).derive(data_key)


def _kek(secret: str, kdf: dict[str, Any]) -> bytes:
    """The key-encryption key for a password (Argon2id) or a recovery key (HKDF: it is already random)."""
    salt = _unb64(kdf["salt"])
    if kdf["alg"] == "argon2id":
        return hash_secret_raw(
            secret.encode(), salt, time_cost=kdf["time_cost"], memory_cost=kdf["memory_kib"],
            parallelism=kdf["parallelism"], hash_len=KEY_BYTES, type=Type.ID,
        )
    if kdf["alg"] == "hkdf-sha256":
        normalized = secret.replace("-", "").replace(" ", "").upper()
        return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"ambientnote-recovery").derive(
            normalized.encode()
        )
    raise StoreCorrupt(f"The key file names an unknown key derivation '{kdf['alg']}'; restore it from a backup.")


def password_kdf(memory_kib: int, time_cost: int) -> dict[str, Any]:
    """Fresh Argon2id parameters (recorded with the wrap so they can change later)."""
    return {"alg": "argon2id", "time_cost": time_cost, "memory_kib": memory_kib, "parallelism": 1,
            "salt": _b64(secrets.token_bytes(16))}


def recovery_kdf() -> dict[str, Any]:
    return {"alg": "hkdf-sha256", "salt": _b64(secrets.token_bytes(16))}


def wrap(data_key: bytes, secret: str, kdf: dict[str, Any], aad: str) -> dict[str, Any]:
    """Encrypt the data key under a secret; ``aad`` binds the wrap to its store and owner."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_kek(secret, kdf)).encrypt(nonce, data_key, aad.encode())
    return {"kdf": kdf, "nonce": _b64(nonce), "ct": _b64(sealed)}


def unwrap(entry: dict[str, Any], secret: str, aad: str) -> bytes | None:
    """The data key, or None when the secret is wrong."""
    try:
        return AESGCM(_kek(secret, entry["kdf"])).decrypt(_unb64(entry["nonce"]), _unb64(entry["ct"]), aad.encode())
    except InvalidTag:
        return None


@dataclass
class Keyfile:
    """The contents of ``keys.json``: wraps per account, the recovery wrap, login counters."""

    store_id: str
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    recovery: dict[str, Any] | None = None
    pending_audit: list[dict[str, Any]] = field(default_factory=list)
    # New wraps written before ``PRAGMA rekey`` so that a crash mid-rekey loses no key.
    rekey_pending: dict[str, Any] | None = None
    # The public half of the install's signing key (PEM), readable without a password (ambientnote.audit.signing).
    signing_public: str | None = None
    # Names (never values) of the safety settings an admin set in the store: tells a command that has not logged
    # in (``draft`` without ``--save``) that it must, to draft as the admin decided (ambientnote.store.safety).
    admin_safety: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps({"format": KEYFILE_FORMAT, "store_id": self.store_id, "accounts": self.accounts,
                           "recovery": self.recovery, "pending_audit": self.pending_audit,
                           "rekey_pending": self.rekey_pending, "signing_public": self.signing_public,
                           "admin_safety": self.admin_safety}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Keyfile:
        data = json.loads(text)
        if data.get("format") != KEYFILE_FORMAT:
            raise ValueError("unknown key file format")
        return cls(store_id=data["store_id"], accounts=data.get("accounts", {}),
                   recovery=data.get("recovery"), pending_audit=data.get("pending_audit", []),
                   rekey_pending=data.get("rekey_pending"), signing_public=data.get("signing_public"),
                   admin_safety=list(data.get("admin_safety") or []))


def read_keyfile(path: Path) -> Keyfile:
    if not path.is_file():
        raise StoreLocked(f"No store was found in {path.parent}; run 'ambientnote db init' or set AMBIENTNOTE_HOME.")
    try:
        return Keyfile.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise StoreCorrupt(f"The key file {path} is damaged; restore the store from a backup.") from exc


@contextmanager
def editing_keyfile(path: Path) -> Iterator[Keyfile]:
    """Read, let the caller change, and atomically rewrite ``keys.json`` under the store lock."""
    with locked_file(path.with_name("keys.lock")):
        keyfile = read_keyfile(path)
        yield keyfile
        write_atomic(path, keyfile.to_json().encode())


def apply_rekey_pending(keys_path: Path, anchor_path: Path) -> None:
    """Finish a rekey: the new wraps replace the old; other accounts need a new password from an admin."""
    with editing_keyfile(keys_path) as keyfile:
        pending = keyfile.rekey_pending
        if not pending:
            return
        write_atomic(anchor_path, pending["anchor"].encode())
        keyfile.accounts = {
            name: {"wrap": pending["wrap"] if name == pending["account"] else None, "failed": 0}
            for name in keyfile.accounts
        }
        keyfile.recovery = pending["recovery"]
        keyfile.rekey_pending = None
