"""Helpers for the tests that forward the audit trail to a repository (syslog over TLS, FHIR AuditEvent): a store
whose site policy names the repository, a visit with PHI to forward, and the CLI as a user runs it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ambientnote.bench.sandbox import synthetic_note, synthetic_transcript
from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.store import login, save_draft
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
