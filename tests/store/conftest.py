"""Fixtures: a real SQLCipher store in tmp_path (see tests/support/store.py), and stores as older versions left them."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from functools import partial

import pytest
from support.store import ADMIN_PW, CLIN_PW, COMP_PW, admin, clinician, compliance, created, home, transcript  # noqa: F401

from ambientnote.audit.anchor import write_anchor
from ambientnote.audit.events import GENESIS_HASH
from ambientnote.config import load_settings
from ambientnote.db import connection as store_db
from ambientnote.db import schema
from ambientnote.db.connection import Store, store_paths, utcnow
from ambientnote.db.keys import Keyfile, new_data_key, new_recovery_key, password_kdf, recovery_kdf, wrap
from ambientnote.files import write_atomic
from ambientnote.store.account_keys import RECOVERY_AAD, wrap_aad

OldStore = Callable[..., tuple[int, str]]


@pytest.fixture
def old_store(home, monkeypatch) -> OldStore:  # noqa: ANN001
    """Build the store an AmbientNote of schema ``version`` left behind: one admin + clinician account (and any
    ``others``: (name, password, roles)) whose wrap holds the data key alone, and one encounter in plaintext.
    Returns (encounter id, recovery key)."""

    def build(version: int, transcript, *, name: str = "admin", password: str = ADMIN_PW,  # noqa: ANN001
              label: str = "Old", note: str = "{}", audio: bytes = b"", signed: bool = False,
              others: tuple[tuple[str, str, str], ...] = ()) -> tuple[int, str]:
        s = load_settings()
        paths = store_paths(s.home)
        paths.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        store_id, data_key, recovery_key = uuid.uuid4().hex, new_data_key(), new_recovery_key()
        with monkeypatch.context() as patched:
            patched.setattr(store_db, "migrate", partial(schema.migrate, target=version))
            conn = store_db.connect(paths.db, data_key, create=True)
        wraps = {who: {"wrap": wrap(data_key, pw, password_kdf(s.kdf_memory_kib, s.kdf_time_cost),
                                    wrap_aad(store_id, who)), "failed": 0}
                 for who, pw, _ in ((name, password, ""), *others)}
        recovery = wrap(data_key, recovery_key, recovery_kdf(), RECOVERY_AAD)
        write_atomic(paths.keys, Keyfile(store_id, wraps, recovery).to_json().encode())
        write_anchor(Store(paths, conn, data_key, store_id, s), 0, GENESIS_HASH)
        now, status = utcnow(), "signed" if signed else "draft"
        conn.execute("BEGIN")
        conn.execute("INSERT INTO meta(key, value) VALUES ('store_id', ?), ('created_at', ?)", (store_id, now))
        account_id = conn.execute("INSERT INTO accounts(name, roles, created_at) VALUES (?, 'admin,clinician', ?)",
                                  (name, now)).lastrowid
        conn.executemany("INSERT INTO accounts(name, roles, created_at) VALUES (?, ?, ?)",
                         [(who, roles, now) for who, _, roles in others])
        eid = conn.execute("INSERT INTO encounters(author_id, patient_label, created_at, status) VALUES (?, ?, ?, ?)",
                           (account_id, label, now, status)).lastrowid
        if signed and version >= 2:  # v2 added the column
            conn.execute("UPDATE encounters SET signed_at = '2024-01-02T00:00:00+00:00'")
        conn.execute("INSERT INTO transcripts(encounter_id, body, model, created_at) VALUES (?, ?, 'm', ?)",
                     (eid, transcript.model_dump_json(), now))
        conn.execute("INSERT INTO note_versions(encounter_id, version, status, body, model, author_id, created_at,"
                     " signed_at) VALUES (?, 1, ?, ?, 'm', ?, ?, ?)",
                     (eid, status, note, account_id, now, "2024-01-02T00:00:00+00:00" if signed else None))
        if audio:
            rid = conn.execute("INSERT INTO recordings(encounter_id, format, size, sha256, created_at)"
                               " VALUES (?, 'wav', ?, ?, ?)",
                               (eid, len(audio), hashlib.sha256(audio).hexdigest(), now)).lastrowid
            conn.execute("INSERT INTO recording_chunks(recording_id, idx, data) VALUES (?, 0, ?)", (rid, audio))
        conn.execute("COMMIT")
        conn.close()
        return int(eid or 0), recovery_key

    return build
