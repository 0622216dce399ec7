"""Helpers for the tests that forward the audit trail to a repository (syslog over TLS, FHIR AuditEvent): a store
whose site policy names the repository, a visit with PHI to forward, the CLI as a user runs it, and the insider's
rewrite of the log that only a repository can reveal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ambientnote.audit.anchor import write_anchor
from ambientnote.audit.events import GENESIS_HASH, SELECT_ALL, event_hash
from ambientnote.audit.log import insert_rows
from ambientnote.bench.sandbox import synthetic_note, synthetic_transcript
from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.store import Session, login, save_draft
from support.store import CLIN_PW, COMP_PW, new_store

PATIENT = "Margaret Hayworth"


def cli(*args: str, user: str = "carol", password: str = COMP_PW) -> Result:
    return CliRunner().invoke(main, list(args), env={"AMBIENTNOTE_USER": user, "AMBIENTNOTE_PASSWORD": password})


def store_under_policy(home: Path, monkeypatch: pytest.MonkeyPatch, write_policy: Callable[[Path], None]) -> Path:
    """A store with an admin, a clinician (dr_b) and a compliance officer (carol), under the site policy
    ``write_policy`` writes (the repository it names, retry at every commit)."""
    policy = home.parent / "policy.toml"
    monkeypatch.setenv("AMBIENTNOTE_POLICY", str(policy))
    write_policy(policy)
    new_store()[0].close()
    return home


def draft_visit() -> None:
    """A clinician stores a visit (its patient label, transcript and note are PHI)."""
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        save_draft(session, patient_label=PATIENT, transcript=synthetic_transcript(),
                   note_json=json.dumps(synthetic_note()), audio_path=None, model="m")


def rewrite_log(session: Session, rewrite: Callable[[list[tuple]], list[tuple]]) -> list[tuple]:
    """What issue 14's insider does with any account's password: drop the append-only triggers, replace the log by
    ``rewrite(rows)`` (event rows, oldest first), recompute every hash and reseal the anchor, so chain and anchor
    agree again. Returns the new rows."""
    store, conn = session.store, session.store.conn
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    kept = rewrite(list(conn.execute(SELECT_ALL + " ORDER BY seq")))
    conn.execute("DELETE FROM audit_event")
    rows, prev = [], GENESIS_HASH
    for seq, row in enumerate(kept, start=1):
        chained = (seq, *row[1:13], prev)
        prev = event_hash(chained)
        rows.append((*chained, prev))
    insert_rows(conn, rows)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_last_seq'", (str(len(rows)),))
    write_anchor(store, len(rows), prev)
    return rows


def without_dr_b(rows: list[tuple]) -> list[tuple]:
    """The insider dr_b's rewrite: every event of theirs gone."""
    return [r for r in rows if r[6] != "dr_b"]
