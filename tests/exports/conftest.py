"""Fixtures: a real SQLCipher store (tests/support/store.py) holding the bundled sample drafted by the real pipeline."""

from __future__ import annotations

import pytest

from support.store import ADMIN_PW, CLIN_PW, admin, clinician, created, home  # noqa: F401

SAMPLE = "consult1_hypertension"  # the bundled sample `ambientnote draft` drafts with no input


@pytest.fixture(scope="session")
def sample_transcript():
    """The bundled sample's reference transcript (its tagged .txt: the same visit, without ASR variance)."""
    from ambientnote.config import load_settings
    from ambientnote.notes.inputs import transcript_from_input
    from ambientnote.paths import assets_dir

    return transcript_from_input(assets_dir() / "samples" / f"{SAMPLE}.txt", cfg=load_settings())


@pytest.fixture(scope="session")
def sample_note(sample_transcript):
    from ambientnote.notes.draft import draft_note

    return draft_note(sample_transcript)[0]


@pytest.fixture
def stored(clinician, sample_transcript, sample_note):
    """The drafted sample saved as the clinician's encounter (version 1, a draft); returns its id."""
    from ambientnote.store.encounters import save_draft

    return save_draft(clinician, patient_label="Hayworth, R.", transcript=sample_transcript, note_json=sample_note,
                      audio_path=None, model=sample_note.model)


@pytest.fixture
def local_zone(monkeypatch):
    """Clinic time in New York, so 'local time' is not UTC by accident."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
