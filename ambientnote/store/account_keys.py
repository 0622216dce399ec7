"""Each account's content key pair: what lets a clinician, and only that clinician, open their encounters.

The account's password wrap in ``keys.json`` holds the shared data key, the private half of the account's
X25519 key and the break-glass public key (one Argon2id derivation opens all three); the public half is a
row of ``account_keys``, so anyone writing for the account (a save, the recording spool) seals to it without
a password. The break-glass key inside the wrap is what the account's sessions seal to: someone who holds
the data key and swaps the break-glass key in the store (to have new encounters sealed to a key of theirs)
cannot change it there without the account's password, and the next login notices the swap.

The private half is also sealed to the break-glass key (``escrow``), which serves two cases:
- the recovery-key holder resets a forgotten password: the key is kept, nothing is lost;
- an admin resets a password (the admin cannot open the old key): the account gets a new key pair and
  the old one is retired, so the clinician's earlier encounters stay sealed, neither lost nor exposed,
  until an admin with the recovery key hands the retired keys on to the new one (``restore_retired_keys``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ambientnote.config import Settings
from ambientnote.db.connection import utcnow
from ambientnote.db.envelope import break_glass_private, new_key_pair, open_sealed, public_of, seal
from ambientnote.db.keys import KEY_BYTES, password_kdf, read_keyfile, unwrap, wrap
from ambientnote.errors import StoreCorrupt, StoreLocked
from ambientnote.store.key_tags import tag_keys_sealed_to

if TYPE_CHECKING:
    import sqlcipher3

    from ambientnote.db.connection import Store

RECOVERY_AAD = "ambientnote:recovery"
# Ends a wrap's secret once every encounter key sealed to the account's keys carries its tag (ambientnote.store
# .key_tags); 16 bytes, so a secret's length says whether it is there.
TAGGED_MARK = b"ambientnote-tag6"
WRONG_RECOVERY_KEY = ("That is not this store's recovery key (the one shown at 'ambientnote db init'); "
                      "nothing was opened.")


@dataclass(frozen=True)
class AccountKey:
    """An account's current key pair, unlocked (held in memory by its session only)."""

    id: int
    public: bytes
    private: bytes
    break_glass: bytes | None = None  # the break-glass public key the account's wrap vouches for
    tagged: bool = False  # the wrap vouches that every encounter key sealed to the account's keys is tagged


def wrap_aad(store_id: str, account: str) -> str:
    """Binds a wrap to its store and account, so a wrap copied to another entry does not open."""
    return f"ambientnote:{store_id}:{account}"


def password_wrap(data_key: bytes, key: AccountKey, store_id: str, name: str, password: str, *,
                  cfg: Settings) -> dict[str, Any]:
    """The data key, the account's private key, its break-glass public key and, once its encounter keys are
    tagged, ``TAGGED_MARK``, wrapped together under the password (at ``cfg``'s Argon2id cost)."""
    return wrap(data_key + key.private + (key.break_glass or b"") + (TAGGED_MARK if key.tagged else b""), password,
                password_kdf(cfg.kdf_memory_kib, cfg.kdf_time_cost), wrap_aad(store_id, name))


class WrapSecret(NamedTuple):
    """What an account's password wrap holds."""

    data_key: bytes
    private: bytes | None  # None: a wrap from before v5
    break_glass: bytes | None  # None: made while the store had no break-glass key
    tagged: bool  # False: made before v6, or before the account's first v6 login


def split_secret(secret: bytes) -> WrapSecret:
    """The parts of an unwrapped account secret (see ``password_wrap``)."""
    tagged = len(secret) % KEY_BYTES == len(TAGGED_MARK) and secret.endswith(TAGGED_MARK)
    if tagged:
        secret = secret[:-len(TAGGED_MARK)]
    return WrapSecret(secret[:KEY_BYTES], secret[KEY_BYTES:2 * KEY_BYTES] or None, secret[2 * KEY_BYTES:] or None,
                      tagged)


def break_glass_public(conn: sqlcipher3.Connection) -> bytes | None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'break_glass_public'").fetchone()
    return bytes.fromhex(row[0]) if row else None


def set_break_glass_public(conn: sqlcipher3.Connection, public: bytes) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES ('break_glass_public', ?)", (public.hex(),))


def break_glass_key(store: Store, recovery_key: str) -> bytes:
    """The store's break-glass private key from its recovery key; any other key is one sentence (StoreLocked).

    A store from before v5 has no break-glass key yet: the first recovery key that opens its recovery wrap
    sets it (and the next login of each clinician seals their encounters to it).
    """
    private = break_glass_private(recovery_key, store.store_id)
    stored = break_glass_public(store.conn)
    if stored is None:
        keyfile = read_keyfile(store.paths.keys)
        if keyfile.recovery is None or unwrap(keyfile.recovery, recovery_key, RECOVERY_AAD) is None:
            raise StoreLocked(WRONG_RECOVERY_KEY)
        with store.transaction() as tx:
            set_break_glass_public(tx, public_of(private))
    elif public_of(private) != stored:
        raise StoreLocked(WRONG_RECOVERY_KEY)
    return private


def _escrow_aad(store_id: str, key_id: int) -> str:
    return f"ambientnote:{store_id}:account-key:{key_id}:escrow"


def _handed_on_aad(store_id: str, key_id: int, to_id: int) -> str:
    return f"ambientnote:{store_id}:account-key:{key_id}:to:{to_id}"


def create_account_key(conn: sqlcipher3.Connection, store_id: str, account_id: int,
                       break_glass: bytes | None) -> AccountKey:
    """A new key pair for the account, escrowed to ``break_glass``; any earlier key is retired. Nothing is sealed
    to a new key yet, so its wrap can vouch that all its encounter keys are tagged."""
    private, public = new_key_pair()
    conn.execute("UPDATE account_keys SET retired_at = ? WHERE account_id = ? AND retired_at IS NULL",
                 (utcnow(), account_id))
    key_id = conn.execute("INSERT INTO account_keys(account_id, public_key, created_at) VALUES (?, ?, ?)",
                          (account_id, public, utcnow())).lastrowid
    key = AccountKey(int(key_id or 0), public, private, break_glass, tagged=True)
    escrow_key(conn, store_id, key)
    return key


def escrow_key(conn: sqlcipher3.Connection, store_id: str, key: AccountKey) -> None:
    """Seal the private key to the break-glass key, when there is one and the key is not escrowed yet."""
    if key.break_glass is not None:
        conn.execute("UPDATE account_keys SET escrow = ? WHERE id = ? AND escrow IS NULL",
                     (seal(key.break_glass, key.private, _escrow_aad(store_id, key.id)), key.id))


def is_escrowed(conn: sqlcipher3.Connection, key: AccountKey) -> bool:
    return conn.execute("SELECT escrow IS NOT NULL FROM account_keys WHERE id = ?", (key.id,)).fetchone()[0] == 1


def current_public(conn: sqlcipher3.Connection, account_id: int) -> tuple[int, bytes] | None:
    """(key id, public key) of the account's current key, None for an account from before v5 not yet unlocked."""
    row = conn.execute("SELECT id, public_key FROM account_keys WHERE account_id = ? AND retired_at IS NULL"
                       " ORDER BY id DESC LIMIT 1", (account_id,)).fetchone()
    return (row[0], bytes(row[1])) if row else None


def unlock_account_key(conn: sqlcipher3.Connection, account_id: int, private: bytes,
                       break_glass: bytes | None, tagged: bool) -> AccountKey:
    """The account's current key from the private half its password wrap held."""
    current = current_public(conn, account_id)
    if current is None or public_of(private) != current[1]:
        raise StoreCorrupt("The account's content key does not match the store; restore store.db and keys.json "
                           "from one backup.")
    return AccountKey(current[0], current[1], private, break_glass, tagged)


def escrowed_private(conn: sqlcipher3.Connection, store_id: str, key_id: int, bg_private: bytes) -> bytes | None:
    """A key's private half opened from its escrow with the break-glass key (None: not escrowed, or wrong key)."""
    row = conn.execute("SELECT escrow FROM account_keys WHERE id = ?", (key_id,)).fetchone()
    if row is None or row[0] is None:
        return None
    return open_sealed(bg_private, bytes(row[0]), _escrow_aad(store_id, key_id))


def private_for(conn: sqlcipher3.Connection, store_id: str, key: AccountKey, key_id: int) -> bytes | None:
    """The private half of the account's key ``key_id``: the current one, or a retired one handed on to it."""
    if key_id == key.id:
        return key.private
    row = conn.execute("SELECT handed_on, handed_on_to FROM account_keys WHERE id = ?", (key_id,)).fetchone()
    if row is None or row[0] is None or row[1] != key.id:
        return None
    return open_sealed(key.private, bytes(row[0]), _handed_on_aad(store_id, key_id, key.id))


def tag_account_keys(conn: sqlcipher3.Connection, store_id: str, key: AccountKey) -> int:
    """Tag the untagged encounter keys sealed to the account's current key and to retired keys handed on to it
    (at the account's first login since v6, before its wrap vouches for them); returns how many."""
    handed_on = [r[0] for r in conn.execute("SELECT id FROM account_keys WHERE handed_on_to = ?", (key.id,))]
    return sum(tag_keys_sealed_to(conn, store_id, key_id, private) for key_id in (key.id, *handed_on)
               if (private := private_for(conn, store_id, key, key_id)) is not None)


def restore_retired_keys(conn: sqlcipher3.Connection, store_id: str, account_id: int,
                         bg_private: bytes) -> tuple[int, int]:
    """Hand every retired key of the account on to its current key; returns (handed on, not escrowed).

    A retired key's encounter keys made before v6 get their tags now: the account's wrap vouches for tags
    already, and the recovery-key holder vouches for these."""
    current = current_public(conn, account_id)
    if current is None:
        return 0, 0
    to_id, to_public = current
    done = missing = 0
    for (key_id,) in conn.execute("SELECT id FROM account_keys WHERE account_id = ? AND retired_at IS NOT NULL",
                                  (account_id,)).fetchall():
        private = escrowed_private(conn, store_id, key_id, bg_private)
        if private is None:
            missing += 1
            continue
        conn.execute("UPDATE account_keys SET handed_on = ?, handed_on_to = ? WHERE id = ?",
                     (seal(to_public, private, _handed_on_aad(store_id, key_id, to_id)), to_id, key_id))
        tag_keys_sealed_to(conn, store_id, key_id, private)
        done += 1
    return done, missing
