"""Pytest fixtures for store and audit tests: a real SQLCipher store in tmp_path, sandboxed.

Imported by the conftest.py of tests/store, tests/audit and others (``from support.store import …``); it
lives under tests/ so that nothing importing pytest is in the product or its frozen bundle."""

from __future__ import annotations

import pytest

from ambientnote.bench.sandbox import synthetic_transcript
from ambientnote.config import load_settings
from ambientnote.store.accounts import add_account, init_store
from ambientnote.store.session import Session, login
from support.sandbox import sandbox_env

ADMIN_PW, CLIN_PW, COMP_PW = "admin-pass-1", "clinician-pass-2", "compliance-pass-3"


@pytest.fixture
def home(tmp_path, monkeypatch):
    for key, value in sandbox_env(tmp_path / "home").items():
        monkeypatch.setenv(key, value)
    yield tmp_path / "home"


def new_store() -> tuple[Session, str]:
    """(admin session, recovery key) of a new store at the sandboxed home with accounts dr_b (clinician) and
    carol (compliance), under whatever site policy the environment names."""
    session, recovery_key = init_store("admin", ADMIN_PW, cfg=load_settings())
    add_account(session, "dr_b", ["clinician"], CLIN_PW)
    add_account(session, "carol", ["compliance"], COMP_PW)
    return session, recovery_key


@pytest.fixture
def created(home):
    """(admin session, recovery key) of a new store with accounts dr_b (clinician) and carol (compliance)."""
    session, recovery_key = new_store()
    yield session, recovery_key
    session.close()


@pytest.fixture
def admin(created):
    return created[0]


@pytest.fixture
def clinician(created):
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        yield session


@pytest.fixture
def compliance(created):
    with login("carol", COMP_PW, cfg=load_settings()) as session:
        yield session


@pytest.fixture
def transcript():
    return synthetic_transcript()
