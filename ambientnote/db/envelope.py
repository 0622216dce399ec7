"""Envelope encryption: why one clinician's password does not open another clinician's encounters.

The SQLCipher data key is shared by every account (it opens the file), so on its own it only keeps out
people without any password. Each encounter's content is therefore encrypted once more, inside the store,
with a random key of its own (AES-256-GCM), and that *encounter key* is sealed to public keys: the owning
clinician's X25519 key and the site's break-glass key. Sealing needs only a public key, so the recorder
and the save path write without a password; opening needs the private half, which only the owner's
password (or the offline recovery key, for break-glass) unwraps.

A seal is ECIES-style: an ephemeral X25519 key pair, HKDF-SHA256 over the shared secret (salted with both
public keys), AES-256-GCM. Every seal and every ciphertext carries an AAD naming the store and the thing
sealed, so a seal or a ciphertext copied onto another encounter, version or account does not open.

The break-glass private key is derived (HKDF) from the recovery key shown once at ``db init``: the site
keeps one secret offline, the store keeps only the public half.
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

KEY_BYTES = 32
_NONCE = 12


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair as raw bytes: (private, public)."""
    private = X25519PrivateKey.generate()
    return _raw_private(private), _raw_public(private.public_key())


def public_of(private: bytes) -> bytes:
    """The public half of a raw X25519 private key."""
    return _raw_public(X25519PrivateKey.from_private_bytes(private).public_key())


def break_glass_private(recovery_key: str, store_id: str) -> bytes:
    """The break-glass private key of a store, derived from its recovery key (typed with or without dashes)."""
    normalized = recovery_key.replace("-", "").replace(" ", "").strip().upper()
    seed = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=store_id.encode(),
                info=b"ambientnote-break-glass-x25519").derive(normalized.encode())
    return _raw_private(X25519PrivateKey.from_private_bytes(seed))


def seal(public: bytes, secret: bytes, aad: str) -> bytes:
    """``secret`` readable only with the private half of ``public``: ephemeral public (32) + nonce + ciphertext."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    kek = _kek(ephemeral.exchange(X25519PublicKey.from_public_bytes(public)), ephemeral_public, public)
    return ephemeral_public + encrypt(kek, secret, aad)


def open_sealed(private: bytes, blob: bytes, aad: str) -> bytes | None:
    """What ``seal`` sealed, or None when ``private`` is not the key it was sealed to (or the AAD differs)."""
    try:
        key = X25519PrivateKey.from_private_bytes(private)
        ephemeral_public = blob[:KEY_BYTES]
        shared = key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError:
        return None
    return decrypt(_kek(shared, ephemeral_public, _raw_public(key.public_key())), blob[KEY_BYTES:], aad)


def new_content_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def encrypt(key: bytes, data: bytes, aad: str) -> bytes:
    """AES-256-GCM: nonce + ciphertext with tag."""
    nonce = secrets.token_bytes(_NONCE)
    return nonce + AESGCM(key).encrypt(nonce, data, aad.encode())


def decrypt(key: bytes, blob: bytes, aad: str) -> bytes | None:
    """The plaintext, or None when the key or the AAD is wrong or the bytes were changed."""
    try:
        return AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], aad.encode())
    except (InvalidTag, ValueError):
        return None


def _kek(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral_public + recipient_public,
                info=b"ambientnote-seal-v1").derive(shared)


def _raw_private(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)
