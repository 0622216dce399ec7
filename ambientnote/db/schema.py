"""The store's schema as a list of migrations, run in order when a store is opened.

``PRAGMA user_version`` records how far a store has come. Each migration runs in
one transaction with the version bump, so a crash leaves the store at the old
version or the new one. Never edit a released migration: add the next one, and
tests/store/test_migrations.py opens a store built at every earlier version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ambientnote.errors import StoreError

if TYPE_CHECKING:
    import sqlcipher3

Migration = Callable[[object], None]

# Kept by name: encrypting the versions of a store written before v5 lifts it for that one transaction
# (ambientnote.store.legacy_content), since a signed version's bytes change though its text does not.
NOTE_SIGNED_TRIGGER = """CREATE TRIGGER note_signed_immutable BEFORE UPDATE ON note_versions WHEN OLD.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'signed note versions are immutable'); END"""

_V1 = [
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE accounts(
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, roles TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)""",
    """CREATE TABLE encounters(
        id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES accounts(id),
        patient_label TEXT NOT NULL, started_at TEXT, ended_at TEXT,
        created_at TEXT NOT NULL, status TEXT NOT NULL)""",
    "CREATE INDEX encounters_author ON encounters(author_id, id)",
    """CREATE TABLE recordings(
        id INTEGER PRIMARY KEY, encounter_id INTEGER NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        format TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL)""",
    "CREATE INDEX recordings_encounter ON recordings(encounter_id)",
    """CREATE TABLE recording_chunks(
        recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(recording_id, idx))""",
    """CREATE TABLE transcripts(
        encounter_id INTEGER PRIMARY KEY REFERENCES encounters(id) ON DELETE CASCADE,
        body TEXT NOT NULL, model TEXT, created_at TEXT NOT NULL)""",
    """CREATE TABLE note_versions(
        id INTEGER PRIMARY KEY, encounter_id INTEGER NOT NULL REFERENCES encounters(id) ON DELETE CASCADE,
        version INTEGER NOT NULL, status TEXT NOT NULL CHECK(status IN ('draft', 'edited', 'signed')),
        body TEXT NOT NULL, model TEXT, author_id INTEGER NOT NULL, created_at TEXT NOT NULL,
        signed_at TEXT, UNIQUE(encounter_id, version))""",
    NOTE_SIGNED_TRIGGER,
    """CREATE TABLE audit_event(
        seq INTEGER PRIMARY KEY, recorded TEXT NOT NULL, type TEXT NOT NULL, subtype TEXT NOT NULL,
        action TEXT NOT NULL, outcome TEXT NOT NULL, account TEXT NOT NULL, roles TEXT NOT NULL,
        host TEXT NOT NULL, source TEXT NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL,
        detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)""",
    "CREATE INDEX audit_recorded ON audit_event(recorded)",
    "CREATE INDEX audit_account ON audit_event(account)",
    "CREATE INDEX audit_entity ON audit_event(entity_type, entity_id)",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]

# v2: retention. Encounters remember when they were signed; purged audio leaves its row behind.
_V2 = [
    "ALTER TABLE encounters ADD COLUMN signed_at TEXT",
    """UPDATE encounters SET signed_at = (
        SELECT max(signed_at) FROM note_versions v WHERE v.encounter_id = encounters.id)
        WHERE status = 'signed'""",
    "CREATE INDEX encounters_signed ON encounters(signed_at)",
    "ALTER TABLE recordings ADD COLUMN purged_at TEXT",
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]

# v3: audit numbers are never reused. The highest number ever given out is kept beside the table, so events
# cut from the end leave a gap instead of being renumbered by the next writes (ambientnote.audit.log.record).
_V3 = [
    """INSERT INTO meta(key, value) SELECT 'audit_last_seq', CAST(coalesce(max(seq), 0) AS TEXT) FROM audit_event
        WHERE true ON CONFLICT(key) DO NOTHING""",
    """CREATE TRIGGER audit_high_water AFTER INSERT ON audit_event BEGIN
        INSERT INTO meta(key, value) VALUES ('audit_last_seq', CAST(NEW.seq AS TEXT))
        ON CONFLICT(key) DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), NEW.seq) AS TEXT); END""",
]

# v4: the patient's date of birth (ISO YYYY-MM-DD) and MRN, both optional, printed in every export's header.
_V4 = [
    "ALTER TABLE encounters ADD COLUMN birth_date TEXT",
    "ALTER TABLE encounters ADD COLUMN mrn TEXT",
]

# v5: envelope encryption (ambientnote.db.envelope). Each account's X25519 public keys (the private half sealed to
# the break-glass key as ``escrow``; after an admin reset, an older key handed on to the newer one by the
# recovery-key holder), and each encounter's key sealed to its owner's key and to the break-glass key. An
# encounter with a row here holds its label, details, transcript, notes and audio as AES-GCM ciphertext.
_V5 = [
    """CREATE TABLE account_keys(
        id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id),
        public_key BLOB NOT NULL, escrow BLOB, handed_on BLOB, handed_on_to INTEGER,
        created_at TEXT NOT NULL, retired_at TEXT)""",
    "CREATE INDEX account_keys_account ON account_keys(account_id, id)",
    """CREATE TABLE encounter_keys(
        encounter_id INTEGER PRIMARY KEY REFERENCES encounters(id) ON DELETE CASCADE,
        owner_key_id INTEGER NOT NULL REFERENCES account_keys(id),
        owner_seal BLOB NOT NULL, break_glass_seal BLOB)""",
]

# v6: each encounter key's tag, made by its owner (ambientnote.store.key_tags), so a key someone holding the data key
# sealed to a clinician's public key, or moved to another clinician, is refused when opened. Keys from v5 are
# tagged at their owner's next login. The index finds a clinician's keys at login (an encounter moved away from
# them comes back).
_V6 = ["ALTER TABLE encounter_keys ADD COLUMN owner_tag BLOB",
       "CREATE INDEX encounter_keys_owner ON encounter_keys(owner_key_id)"]

MIGRATIONS: list[list[str]] = [_V1, _V2, _V3, _V4, _V5, _V6]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlcipher3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the store up to ``target``; returns the version it started at."""
    start = conn.execute("PRAGMA user_version").fetchone()[0]
    if start > SCHEMA_VERSION:
        raise StoreError(
            f"This store was written by a newer AmbientNote (schema {start}); update the app to open it."
        )
    for version in range(start + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            if conn.execute("PRAGMA user_version").fetchone()[0] >= version:
                conn.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[version - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return start
