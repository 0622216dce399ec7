"""The record page takes the patient's date of birth and MRN: a mistake is said beside the fields in the store's own
sentence, the text stays, Record and Stop wait for the fix, and the saved encounter and its export carry them; the
encounter list finds it by its MRN."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ambientnote.config import load_settings
from ambientnote.store.accounts import init_store
from ambientnote.store.note_export import export_note
from ambientnote.store.session import login

pytestmark = pytest.mark.timeout(3600)  # a last resort only: the wait below fails a hung draft long before
PASSWORD = "clinician-pass-1"
DOB_SENTENCE = "Write the date of birth as a real date in the form YYYY-MM-DD, such as 1961-03-14."
MRN_SENTENCE = "Write the MRN as 1 to 32 letters, digits, '-' or '/', without spaces."


def _type(qtbot, field, text: str) -> None:  # noqa: ANN001
    """Replace the field's text as a clinician would, and leave it with Return."""
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_record_page_checks_and_saves_the_patients_details(qtbot, make_window, warm_models, unlock,
                                                           wait_while_progressing):
    init_store("dr_a", PASSWORD, cfg=load_settings())[0].close()
    window = make_window()
    unlock(window, "dr_a", PASSWORD)
    window.encounters.new_button.click()
    record = window.record
    assert record.details_help.text().startswith("Optional, printed in the note's header: date of birth as YYYY-MM-DD")
    record.patient.setText("Knee test patient")

    _type(qtbot, record.birth_date, "03/14/1961")
    assert record.details_error.isVisible() and record.details_error.text() == DOB_SENTENCE
    record.record_button.click()
    assert record.recording is None and record.birth_date.text() == "03/14/1961"  # refused; nothing lost
    _type(qtbot, record.birth_date, "1961-03-14")
    assert not record.details_error.isVisible()

    record.record_button.click()
    qtbot.waitUntil(lambda: record.live_lines() >= 1, timeout=60_000)
    _type(qtbot, record.mrn, "K 77")  # typed during the visit, wrongly
    assert record.details_error.text() == MRN_SENTENCE
    qtbot.waitUntil(lambda: record.recording.capture is not None
                    and record.recording.capture.source.inner.finished.is_set(), timeout=60_000)
    record.stop_button.click()
    assert record.recording is not None and record.recording.state == "recording"  # the visit goes on
    _type(qtbot, record.mrn, "K-77")
    record.stop_button.click()

    def progress() -> object:
        draft = window.draft
        return (record.live_lines(), record.status.text(), draft.activity if draft is not None else None,
                window.review.detail is None)

    wait_while_progressing(lambda: window.review.detail is not None, progress)
    summary = window.review.detail.summary
    assert (summary.patient_label, summary.birth_date, summary.mrn) == ("Knee test patient", "1961-03-14", "K-77")
    with login("dr_a", PASSWORD, cfg=load_settings()) as session:  # its own connection: the window's belongs to its worker thread
        assert "PATIENT: Knee test patient, DOB 1961-03-14, MRN K-77" in export_note(session, summary.id, "txt")

    window.show_encounters()
    qtbot.waitUntil(lambda: len(window.encounters.rows) == 1, timeout=20_000)
    window.encounters.search.setText("k-77")  # found by its MRN
    assert window.encounters.visible_labels() == ["Knee test patient"]
    window.encounters.search.setText("k-78")
    assert window.encounters.visible_labels() == []

    window.new_encounter()  # the next visit starts blank
    assert (record.birth_date.text(), record.mrn.text(), record.details_error.isVisible()) == ("", "", False)
