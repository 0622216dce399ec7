"""The installation's signing key: made at ``db init``, kept inside the encrypted store, used to sign exports.

Why inside the store: the private half must be as hard to reach as the data it vouches for, and survive what
the store survives. Kept in the SQLCipher ``meta`` table it is encrypted under the data key (itself wrapped
per account in ``keys.json``), travels with backups, and outlives ``db rekey`` (SQLCipher re-encrypts it) with
no wrap of its own to keep in step. The public half is also written to ``keys.json`` (not secret) so that
``audit verify --file`` can check an export on this computer without a password; the copy an admin
publishes comes from the encrypted store (``public_key_pem``), which a person editing files cannot swap.

What a signature proves: the export was made by someone who could unlock this installation's store and was not
changed since. It does not prove that person was honest (any account unlocks the store until per-clinician
keys exist); forwarding the audit trail to the hospital's repository (``ambientnote.audit.forward``) is what
holds against a key holder.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ambientnote.access import AccountRole
from ambientnote.audit.log import Actor, record
from ambientnote.db.connection import Store, utcnow
from ambientnote.db.keys import editing_keyfile
from ambientnote.exports.signature import key_id, public_pem, sign_file

if TYPE_CHECKING:  # the store sits above the audit: sessions are passed in, never imported
    import sqlcipher3

    from ambientnote.store.session import Session

_META_KEY = "signing_key"


def _stored_key(conn: sqlcipher3.Connection) -> Ed25519PrivateKey | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_META_KEY,)).fetchone()
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(row[0])) if row else None


def create_signing_key(store: Store, conn: sqlcipher3.Connection, actor: Actor) -> Ed25519PrivateKey:
    """A new key, stored and audited inside the caller's transaction; its public half goes to ``keys.json``."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes_raw()
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (_META_KEY, base64.b64encode(raw).decode()))
    record(conn, actor, "store.signing-key", entity_type="store", entity_id=store.store_id,
           detail={"key_id": key_id(private.public_key())})
    with editing_keyfile(store.paths.keys) as keyfile:
        keyfile.signing_public = public_pem(private.public_key())
    return private


def signing_key(store: Store, actor: Actor) -> Ed25519PrivateKey:
    """The installation's private key; a store made before signing existed gets one now (audited)."""
    if (private := _stored_key(store.conn)) is not None:
        return private
    with store.transaction() as conn:
        return _stored_key(conn) or create_signing_key(store, conn, actor)


def installation_public_key(session: Session) -> str:
    """The public half as PEM, read from the encrypted store: the copy an admin publishes."""
    session.require(AccountRole.admin, "store.signing-key")
    return public_pem(signing_key(session.store, session.actor).public_key())


def sign_export(store: Store, actor: Actor, path: Path) -> Path:
    """Sign a file just exported from this store; returns the ``.sig`` written beside it."""
    return sign_file(path, signing_key(store, actor), store_id=store.store_id, signed_at=utcnow())
