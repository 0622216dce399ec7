"""A patient's date of birth and MRN: checked with one sentence, kept only in the encrypted store, never audited as
values, and an older store gains room for them when it is opened."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ambientnote.audit.events import SELECT_ALL
from ambientnote.config import load_settings
from ambientnote.db import schema
from ambientnote.errors import AccessDenied, InputError
from ambientnote.store.accounts import add_account
from ambientnote.store.encounters import save_draft, set_patient_details, show_encounter
from ambientnote.store.patient import patient_details
from ambientnote.store.session import login

from .conftest import CLIN_PW

DOB, MRN = "1961-03-14", "MRN-884/7"
TODAY = date(2026, 12, 3)


def _save(session, transcript, **details) -> int:  # noqa: ANN001
    return save_draft(session, patient_label="Hayworth, R.", transcript=transcript, note_json="{}", audio_path=None,
                      model="m", **details)


@pytest.mark.parametrize(("dob", "sentence"), [
    ("03/14/1961", "Write the date of birth as a real date in the form YYYY-MM-DD, such as 1961-03-14."),
    ("1961-02-30", "Write the date of birth as a real date in the form YYYY-MM-DD, such as 1961-03-14."),
    ("19610314", "Write the date of birth as a real date in the form YYYY-MM-DD, such as 1961-03-14."),
    ("2026-12-04", "A date of birth cannot lie in the future; check the year."),
    ("1896-12-02", "A date of birth more than 130 years ago cannot be right; check the year."),
])
def test_a_wrong_date_of_birth_is_one_sentence(dob, sentence):
    with pytest.raises(InputError) as err:
        patient_details(dob, None, today=TODAY)
    assert str(err.value) == sentence


@pytest.mark.parametrize("mrn", ["AB 1234", "12345678901234567890123456789012X", "MRN#5", "Müller-1"])
def test_a_wrong_mrn_is_one_sentence(mrn):
    with pytest.raises(InputError, match=r"^Write the MRN as 1 to 32 letters, digits, '-' or '/', without spaces\.$"):
        patient_details(None, mrn)


def test_what_a_clinician_may_enter():
    assert patient_details(" 1896-12-03 ", " 12/AB-3 ", today=TODAY).birth_date == "1896-12-03"  # exactly 130 years
    assert patient_details(TODAY.isoformat(), "x" * 32, today=TODAY).mrn == "x" * 32
    assert patient_details("", "  ") == patient_details(None, None)  # both optional: blank is not entered


def test_details_are_kept_encrypted_and_only_that_they_were_set_is_audited(clinician, home, transcript):
    eid = _save(clinician, transcript, birth_date=DOB, mrn=MRN)
    summary = show_encounter(clinician, eid).summary
    assert (summary.birth_date, summary.mrn) == (DOB, MRN)

    set_patient_details(clinician, eid, mrn="MRN-9")  # a correction; the date of birth is left as it was
    assert set_patient_details(clinician, eid, birth_date="").birth_date is None  # cleared
    summary = show_encounter(clinician, eid).summary
    assert (summary.birth_date, summary.mrn) == (None, "MRN-9")

    events = clinician.store.conn.execute(f"{SELECT_ALL} WHERE entity_type = 'encounter' ORDER BY seq").fetchall()
    details = [json.loads(e[12])["patient_details"] for e in events if "patient_details" in e[12]]
    assert details == [{"birth_date": "set", "mrn": "set"}, {"mrn": "set"}, {"birth_date": "cleared"}]
    every_event = repr(clinician.store.conn.execute(SELECT_ALL).fetchall())
    assert not any(v in every_event for v in (DOB, MRN, "MRN-9"))

    clinician.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in (p for p in home.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert DOB.encode() not in data and MRN.encode() not in data and b"MRN-9" not in data, path.name


def test_a_wrong_detail_changes_nothing(clinician, transcript):
    eid = _save(clinician, transcript, birth_date=DOB, mrn=MRN)
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        set_patient_details(clinician, eid, birth_date="14.03.1961", mrn="NEW-1")
    with pytest.raises(InputError, match="MRN"):
        _save(clinician, transcript, mrn="has space")
    summary = show_encounter(clinician, eid).summary
    assert (summary.birth_date, summary.mrn) == (DOB, MRN)
    assert clinician.store.conn.execute("SELECT count(*) FROM encounters").fetchone() == (1,)


def test_only_the_author_sets_them(created, clinician, transcript):
    eid = _save(clinician, transcript)
    add_account(created[0], "dr_c", ["clinician"], CLIN_PW)
    with login("dr_c", CLIN_PW, cfg=load_settings()) as other, pytest.raises(AccessDenied):
        set_patient_details(other, eid, birth_date=DOB)
    assert show_encounter(clinician, eid).summary.birth_date is None


def test_a_store_from_before_patient_details_opens_and_takes_them(old_store, transcript):
    eid, _ = old_store(3, transcript, name="dr_a", password="clinician-pass-9", label="Hayworth, R.")
    with login("dr_a", "clinician-pass-9", cfg=load_settings()) as s:
        assert s.store.conn.execute("PRAGMA user_version").fetchone() == (schema.SCHEMA_VERSION,)
        assert show_encounter(s, eid).summary.patient_label == "Hayworth, R."
        assert show_encounter(s, eid).summary.birth_date is None
        set_patient_details(s, eid, birth_date=DOB, mrn=MRN)
        assert (show_encounter(s, eid).summary.birth_date, show_encounter(s, eid).summary.mrn) == (DOB, MRN)


