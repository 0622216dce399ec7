"""An encounter's content key: sealing it when the encounter is made, opening it for its owner or break-glass.

Every content value of an encounter (label, date of birth, MRN, transcript, each note version, each audio
chunk) is AES-256-GCM under the encounter's own key, with an AAD naming the store, the encounter and the
part (``note:3``, ``audio:7:0``), so ciphertext moved between encounters, versions or chunks fails to open.
The key is sealed to the owner's current public key and to the break-glass key (``ambientnote.db.envelope``), and
tagged by the owner (``ambientnote.store.key_tags``), so the owner opens only keys their own account made.
What stays in clear inside SQLCipher is metadata: ids, owner, times, status, sizes, model names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ambientnote.db.envelope import decrypt, encrypt, new_content_key, open_sealed, seal
from ambientnote.errors import AccessDenied, StoreCorrupt
from ambientnote.store.account_keys import AccountKey, escrowed_private, private_for
from ambientnote.store.key_tags import encounter_key_tag, tag_matches

if TYPE_CHECKING:
    import sqlcipher3

BREAK_GLASS = "break-glass"
_CHECK = "an administrator finds it with 'ambientnote db check', and break-glass still reads it."


class NotYours(AccessDenied):
    """An encounter under the caller's name whose key the caller's account did not make: planted or moved by
    someone holding the data key. Its content is never shown as the caller's."""


def seal_aad(store_id: str, encounter_id: int, recipient: int | str) -> str:
    """The AAD of an encounter key's seal for one recipient (an account key id, or ``BREAK_GLASS``)."""
    return f"ambientnote:{store_id}:encounter:{encounter_id}:key:{recipient}"


@dataclass(frozen=True)
class EncounterCipher:
    """One encounter's content key, opened: encrypts and decrypts its parts."""

    store_id: str
    encounter_id: int
    key: bytes

    def _aad(self, part: str) -> str:
        return f"ambientnote:{self.store_id}:encounter:{self.encounter_id}:{part}"

    def seal(self, part: str, data: bytes) -> bytes:
        return encrypt(self.key, data, self._aad(part))

    def open(self, part: str, blob: bytes | str) -> bytes:
        plain = decrypt(self.key, bytes(blob), self._aad(part)) if isinstance(blob, bytes) else None
        if plain is None:
            raise StoreCorrupt(f"The {part.split(':')[0]} of encounter {self.encounter_id} fails its integrity "
                               "check: it was changed outside AmbientNote; restore a backup.")
        return plain

    def seal_text(self, part: str, text: str | None) -> bytes | None:
        return None if text is None else self.seal(part, text.encode())

    def open_text(self, part: str, blob: bytes | str | None) -> str | None:
        return None if blob is None else self.open(part, blob).decode()


class Plaintext(EncounterCipher):
    """An encounter written before v5 that its owner has not unlocked since: read as stored (break-glass only)."""

    def __init__(self, encounter_id: int) -> None:
        super().__init__("", encounter_id, b"")

    def open(self, part: str, blob: bytes | str) -> bytes:
        return blob.encode() if isinstance(blob, str) else bytes(blob)


def is_sealed(conn: sqlcipher3.Connection, encounter_id: int) -> bool:
    return conn.execute("SELECT 1 FROM encounter_keys WHERE encounter_id = ?", (encounter_id,)).fetchone() is not None


def new_encounter_cipher(conn: sqlcipher3.Connection, store_id: str, owner: AccountKey,
                         encounter_id: int) -> EncounterCipher:
    """A fresh key for a new (or newly encrypted) encounter, sealed to its owner's key and to break-glass.

    Both public keys are the ones the owner's session checked against its password wrap at login, not
    whatever the store now says: a key swapped in the database by someone holding the data key gets no
    encounter sealed to it (and stops the next login with one sentence).
    """
    key, bg_public = new_content_key(), owner.break_glass
    owner_seal = seal(owner.public, key, seal_aad(store_id, encounter_id, owner.id))
    conn.execute("INSERT INTO encounter_keys(encounter_id, owner_key_id, owner_seal, owner_tag, break_glass_seal)"
                 " VALUES (?, ?, ?, ?, ?)",
                 (encounter_id, owner.id, owner_seal,
                  encounter_key_tag(owner.private, store_id, encounter_id, owner.id, owner_seal),
                  seal(bg_public, key, seal_aad(store_id, encounter_id, BREAK_GLASS)) if bg_public else None))
    return EncounterCipher(store_id, encounter_id, key)


def owner_key(conn: sqlcipher3.Connection, store_id: str, account_id: int, account_key: AccountKey,
              encounter_id: int) -> tuple[int, bytes, bytes | None]:
    """(key id, owner seal, the private key that opens it) of an encounter key the account's own key made.

    The private key is None for a key retired by an admin reset and not handed on yet (its content stays sealed).
    A key of another account, or one the account's key did not tag, is ``NotYours`` in one sentence.
    """
    row = conn.execute("SELECT k.owner_key_id, k.owner_seal, k.owner_tag, a.account_id, a.retired_at"
                       " FROM encounter_keys k JOIN account_keys a ON a.id = k.owner_key_id"
                       " WHERE k.encounter_id = ?", (encounter_id,)).fetchone()
    if row is None:
        raise NotYours(f"Encounter {encounter_id} is under your name but has no key your account made: someone "
                       f"holding the data key put it there, so it is not opened; {_CHECK}")
    key_id, owner_seal, tag, owner_account, retired_at = row
    private = private_for(conn, store_id, account_key, key_id) if owner_account == account_id else None
    if owner_account != account_id or (private is None and retired_at is None):
        raise NotYours(f"Encounter {encounter_id} is sealed to another clinician's key, not yours, so it is not "
                       "opened (if it is under your name, someone holding the data key moved it there: "
                       f"{_CHECK[:-1]}).")
    if private is not None and not tag_matches(private, store_id, encounter_id, key_id, owner_seal, tag):
        raise NotYours(f"Encounter {encounter_id} was not sealed by your account (its key lacks your account's tag): "
                       f"someone holding the data key planted or altered it, so it is not opened; {_CHECK}")
    return key_id, bytes(owner_seal), private


def owner_cipher(conn: sqlcipher3.Connection, store_id: str, account_id: int, account_key: AccountKey,
                 encounter_id: int, opened: dict[bytes, bytes] | None = None) -> EncounterCipher:
    """The encounter's key opened with the account's keys, once ``owner_key`` finds it the account's own.

    ``opened`` (a session's memory of the seals it opened, keyed by the seal) spares a long list the X25519
    step for every row on every reload; a seal changed in the store is simply a new entry.
    """
    key_id, owner_seal, private = owner_key(conn, store_id, account_id, account_key, encounter_id)
    if opened is not None and (known := opened.get(owner_seal)) is not None:
        return EncounterCipher(store_id, encounter_id, known)
    if private is None:
        raise AccessDenied(f"Encounter {encounter_id} is sealed to your key from before an administrator reset your "
                           "password; an administrator restores it with the recovery key "
                           "('ambientnote user restore-keys').")
    key = open_sealed(private, owner_seal, seal_aad(store_id, encounter_id, key_id))
    if key is None:
        raise StoreCorrupt(f"The content key of encounter {encounter_id} fails its integrity check; restore a backup.")
    if opened is not None:
        opened[owner_seal] = key
    return EncounterCipher(store_id, encounter_id, key)


def owner_doubt(conn: sqlcipher3.Connection, store_id: str, bg_private: bytes, encounter_id: int) -> str | None:
    """Break-glass's view of ``owner_key``: why the encounter may not be its author's (the clause a face shows), or
    None when its author's key made it, or when that cannot be told (not encrypted yet, key never escrowed)."""
    row = conn.execute("SELECT k.owner_key_id, k.owner_seal, k.owner_tag, a.account_id, e.author_id"
                       " FROM encounter_keys k JOIN account_keys a ON a.id = k.owner_key_id"
                       " JOIN encounters e ON e.id = k.encounter_id WHERE k.encounter_id = ?",
                       (encounter_id,)).fetchone()
    if row is None:
        return None
    key_id, owner_seal, tag, holder, author = row
    if holder != author:
        return "it is sealed to another account's key than its author's: someone holding the data key moved it"
    private = escrowed_private(conn, store_id, key_id, bg_private)
    if private is None or tag_matches(private, store_id, encounter_id, key_id, owner_seal, tag):
        return None
    if tag is None:
        return ("its key carries no tag of its clinician's: someone holding the data key planted it, unless its "
                "clinician has not logged in since the upgrade to schema 6")
    return "its key was not made by its clinician's account: someone holding the data key planted it"


def break_glass_cipher(conn: sqlcipher3.Connection, store_id: str, bg_private: bytes,
                       encounter_id: int) -> EncounterCipher:
    """The encounter's key opened with the break-glass key (``Plaintext`` for one not encrypted yet)."""
    row = conn.execute("SELECT owner_key_id, owner_seal, break_glass_seal FROM encounter_keys WHERE encounter_id = ?",
                       (encounter_id,)).fetchone()
    if row is None:
        return Plaintext(encounter_id)
    key_id, owner_seal, bg_seal = row
    key = open_sealed(bg_private, bytes(bg_seal), seal_aad(store_id, encounter_id, BREAK_GLASS)) if bg_seal else None
    if key is None and (owner_private := escrowed_private(conn, store_id, key_id, bg_private)) is not None:
        key = open_sealed(owner_private, bytes(owner_seal), seal_aad(store_id, encounter_id, key_id))
    if key is None:
        raise AccessDenied(f"Encounter {encounter_id} was sealed before this store had a break-glass key; "
                           "it opens for break-glass after its clinician's next login.")
    return EncounterCipher(store_id, encounter_id, key)
