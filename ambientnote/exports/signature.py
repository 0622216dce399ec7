"""Detached Ed25519 signatures that let anyone check where an export came from, without the store.

Why detached (``EXPORT.sig`` beside ``EXPORT``): one mechanism serves every export format (audit CSV,
JSON Lines, FHIR Bundle; note txt, md, FHIR, PDF) without canonicalising any of them, and the exported
file stays byte-for-byte what an EHR or a compliance tool expects to read.

The signature covers a small statement (format, key id, store id, the file's SHA-256, when), not the
file itself, so a multi-gigabyte audit export is hashed in a stream. A hash chain alone proves only
that an export is self-consistent; anyone can re-hash a forged one. The signature adds what re-hashing
cannot forge: the install's private key, whose public half the admin publishes. Nothing here needs the
store or a password; ``ambientnote.audit.signing`` holds the private key and calls ``sign_file``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ambientnote.errors import InputError
from ambientnote.files import explain, write_atomic

SIGNATURE_FORMAT = 1
_CONTEXT = b"ambientnote-export-signature-v1\n"  # a signature made for anything else never verifies here


def signature_path(path: Path) -> Path:
    """Where the detached signature of ``path`` lives: the same name with ``.sig`` appended."""
    return Path(path).with_name(Path(path).name + ".sig")


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short, stable name for a public key (SHA-256 of its raw bytes, 16 hex digits), shown to people."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_pem(text: str | bytes, where: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; anything else is one sentence naming ``where`` it came from."""
    try:
        key = serialization.load_pem_public_key(text.encode() if isinstance(text, str) else text)
    except ValueError as exc:
        raise InputError(f"{where} does not hold a PEM public key; use the file 'ambientnote audit public-key' "
                         "wrote.") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{where} holds a public key that is not Ed25519, so it is not an AmbientNote signing key.")
    return key


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _statement(fields: dict[str, Any]) -> bytes:
    return _CONTEXT + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def sign_file(path: Path, private_key: Ed25519PrivateKey, *, store_id: str, signed_at: str) -> Path:
    """Write ``path``'s detached signature beside it; returns the signature file's path."""
    fields = {"format": SIGNATURE_FORMAT, "alg": "Ed25519", "key_id": key_id(private_key.public_key()),
              "store_id": store_id, "file": Path(path).name, "sha256": file_sha256(path), "signed": signed_at}
    signed = fields | {"signature": base64.b64encode(private_key.sign(_statement(fields))).decode()}
    target = signature_path(path)
    try:
        write_atomic(target, json.dumps(signed, indent=1).encode() + b"\n")
    except OSError as exc:
        raise InputError(f"The signature cannot be written to {target}: {explain(exc)}.") from exc
    return target


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of checking one file's signature, as the sentence a compliance officer reads."""

    ok: bool
    sentence: str
    key_id: str = ""


def check_signature(path: Path, public_key: Ed25519PublicKey, key_source: str) -> SignatureCheck:
    """Does ``path.sig`` vouch for ``path`` under ``public_key``? ``key_source`` says where that key came from."""
    path, sig_path = Path(path), signature_path(path)
    if not sig_path.is_file():
        return SignatureCheck(False, f"{path.name} has no signature ({sig_path.name} is missing), so it cannot be "
                                     "shown to come from AmbientNote.")
    try:
        data = json.loads(sig_path.read_text(encoding="utf-8"))
        signature = base64.b64decode(data.pop("signature"), validate=True)
        claimed, expected_sha = str(data["key_id"]), str(data["sha256"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return SignatureCheck(False, f"The signature file {sig_path.name} is damaged or not an AmbientNote signature.")
    wanted = key_id(public_key)
    if claimed != wanted:
        return SignatureCheck(False, f"{path.name} was signed with key {claimed}, not with {key_source} ({wanted}), "
                                     "so it did not come from that installation.")
    try:
        public_key.verify(signature, _statement(data))
    except InvalidSignature:
        return SignatureCheck(False, f"The signature in {sig_path.name} does not verify under key {wanted}: "
                                     "the signature file was forged or altered.")
    if file_sha256(path) != expected_sha:
        return SignatureCheck(False, f"{path.name} was changed after AmbientNote signed it (its SHA-256 no longer "
                                     "matches the signature).")
    return SignatureCheck(True, f"signed by {key_source} ({wanted}) on {str(data.get('signed', ''))[:19]}Z", wanted)
