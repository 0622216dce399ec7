"""Who made an encounter key: the owner's tag, which stops a key planted or moved with the data key (E12, E13).

Sealing an encounter key needs only a public key, so anyone holding the data key (any account's password) could
seal a key of their own to a clinician and plant an encounter, words the clinician never said, in their list; or
point another clinician's encounter at someone else. A seal cannot tell who made it. So each encounter key also
carries a *tag*: HMAC-SHA256, under a key derived from the owner's private key, over the store, the encounter, the
key id and the sealed key. Only a session holding that private key can make one, and the owner's session checks it
every time it opens the key (``ambientnote.store.content.owner_key``): an untagged or wrongly tagged key is refused.

Keys sealed before schema v6 have no tag. The owner's next login tags them, trusting the store as it is then (as
the first v5 login trusted it to encrypt plaintext encounters), and puts a mark inside its password wrap saying
so (``AccountKey.tagged``); from then on an untagged key is refused, and nobody can take the mark out of the wrap
without the password. Keys retired by an admin reset are tagged when the recovery-key holder hands them on.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ambientnote.db.envelope import KEY_BYTES

if TYPE_CHECKING:
    import sqlcipher3


def _tag_key(private: bytes, store_id: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=store_id.encode(),
                info=b"ambientnote-encounter-key-tag").derive(private)


def encounter_key_tag(private: bytes, store_id: str, encounter_id: int, key_id: int, owner_seal: bytes) -> bytes:
    """The tag the holder of ``private`` gives the encounter key it sealed to its own key ``key_id``."""
    message = f"ambientnote:{store_id}:encounter:{encounter_id}:key:{key_id}:".encode() + bytes(owner_seal)
    return hmac.digest(_tag_key(private, store_id), message, "sha256")


def tag_matches(private: bytes, store_id: str, encounter_id: int, key_id: int, owner_seal: bytes,
                tag: bytes | None) -> bool:
    """Whether ``tag`` is the one the holder of ``private`` made (an untagged key never matches)."""
    return tag is not None and hmac.compare_digest(
        encounter_key_tag(private, store_id, encounter_id, key_id, owner_seal), bytes(tag))


def tag_keys_sealed_to(conn: sqlcipher3.Connection, store_id: str, key_id: int, private: bytes) -> int:
    """Tag every untagged encounter key sealed to the account key ``key_id`` (inside the caller's transaction);
    returns how many. Only for a moment the store is vouched for: the owner's first v6 login, a restore-keys."""
    rows = conn.execute("SELECT encounter_id, owner_seal FROM encounter_keys WHERE owner_key_id = ?"
                        " AND owner_tag IS NULL", (key_id,)).fetchall()
    conn.executemany("UPDATE encounter_keys SET owner_tag = ? WHERE encounter_id = ?",
                     [(encounter_key_tag(private, store_id, eid, key_id, seal), eid) for eid, seal in rows])
    return len(rows)
