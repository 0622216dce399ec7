"""Opening the SQLCipher database with the data key, and writing to it safely.

One file, ``store.db``, under ``AMBIENTNOTE_HOME``. The data key goes in as a
SQLCipher raw key (no second KDF: it is already random). WAL keeps readers and
one writer apart and survives ``kill -9``; ``secure_delete`` overwrites freed
pages; ``temp_store=MEMORY`` keeps sort spills out of the temp directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from ambientnote.config import Settings
from ambientnote.db.schema import migrate
from ambientnote.errors import StoreCorrupt, StoreError, StoreLocked


@dataclass(frozen=True)
class StorePaths:
    """Every file a store consists of (all of it ciphertext or wrapped keys)."""

    home: Path

    @property
    def db(self) -> Path:
        return self.home / "store.db"

    @property
    def keys(self) -> Path:
        return self.home / "keys.json"

    @property
    def anchor(self) -> Path:
        return self.home / "audit.anchor"

    @property
    def lock(self) -> Path:
        return self.home / "keys.lock"


def store_paths(home: Path) -> StorePaths:
    return StorePaths(Path(home))


def utcnow() -> str:
    """Timestamps are ISO 8601 in UTC with microseconds, so they sort as text."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def connect(path: Path, data_key: bytes, *, create: bool = False) -> sqlcipher3.Connection:
    """An open, keyed, migrated connection; a wrong key or a foreign file is one clear sentence."""
    if not create and not path.is_file():
        raise StoreLocked(f"No store was found at {path}; run 'ambientnote db init' or set AMBIENTNOTE_HOME.")
    if create:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # SQLite keeps the mode for -wal/-shm too
    conn = sqlcipher3.connect(str(path), isolation_level=None, timeout=30.0, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        conn.execute("PRAGMA user_version").fetchone()  # page 1 only: fails on a wrong key
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise StoreLocked(
            f"The store at {path} does not open with this key: it belongs to another installation or is damaged."
        ) from exc
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the whole schema
    except (sqlcipher3.DatabaseError, MemoryError) as exc:
        conn.close()
        raise StoreCorrupt(f"The store at {path} is damaged (its schema cannot be read); restore a backup.") from exc
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        for pragma in ("secure_delete = ON", "foreign_keys = ON", "synchronous = FULL", "temp_store = MEMORY"):
            conn.execute(f"PRAGMA {pragma}")
        migrate(conn)
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise StoreCorrupt(
            f"The store at {path} is damaged ({exc}); run 'ambientnote db check' or restore a backup."
        ) from exc
    return conn


def _not_saved(exc: sqlcipher3.DatabaseError) -> StoreError:
    advice = "free some disk space and try again" if "full" in str(exc) else "run 'ambientnote db check'"
    return StoreError(f"The store could not save the change ({exc}); nothing was written, {advice}.")


@dataclass
class Store:
    """An unlocked store: the connection and the data key, both held in memory only.

    ``on_commit`` runs after every committed transaction; the audit installs its steps there (move the anchor,
    forward new events: ``ambientnote.audit.commit_hooks``), so this layer needs to know nothing of the audit.
    ``settings`` are the face's with this store's safety settings on top (``ambientnote.store.safety``): what the
    services working on it, and those hooks, go by.
    """

    paths: StorePaths
    conn: sqlcipher3.Connection
    data_key: bytes
    store_id: str
    settings: Settings
    on_commit: list[Callable[[Store], None]] = field(default_factory=list)

    @contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """One atomic write (data and its audit events together), then the ``on_commit`` hooks."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlcipher3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise StoreError("The store is busy in another AmbientNote window; try again in a moment.") from exc
        try:
            yield self.conn
        except sqlcipher3.DatabaseError as exc:  # a full disk, a damaged page: SQLite may have rolled back already
            self._rollback()
            raise _not_saved(exc) from exc
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlcipher3.DatabaseError as exc:
            self._rollback()
            raise _not_saved(exc) from exc
        for hook in self.on_commit:
            try:
                hook(self)
            except OSError:
                pass  # committed; a hook's file catches up at the next commit or unlock, as after a crash here

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already (it rolls back by itself on SQLITE_FULL)."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlcipher3.DatabaseError:
                pass  # the connection is unusable anyway; nothing was committed

    def close(self) -> None:
        self.conn.close()
        self.data_key = b""
