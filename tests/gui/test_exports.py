"""The review screen's Copy as text, Export PDF and Export FHIR print what ``ambientnote note export`` prints."""

from __future__ import annotations

import base64
import json
import re

import pypdfium2 as pdfium
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from ambientnote.notes.draft import draft_note
from ambientnote.notes.inputs import transcript_from_input
from ambientnote.paths import assets_dir
from ambientnote.store.accounts import add_account, init_store
from ambientnote.store.encounters import save_draft
from ambientnote.store.note_export import export_note
from ambientnote.store.session import login

pytestmark = pytest.mark.timeout(180)
CLIN_PW = "clinician-pass-2"


@pytest.fixture
def encounter(home):
    """The bundled sample, drafted by the real pipeline and saved for dr_b; returns its id."""
    admin, _ = init_store("admin", "admin-pass-1")
    add_account(admin, "dr_b", ["clinician"], CLIN_PW)
    admin.close()
    transcript = transcript_from_input(assets_dir() / "samples" / "consult1_hypertension.txt")
    note, _ = draft_note(transcript)
    with login("dr_b", CLIN_PW) as s:
        return save_draft(s, patient_label="Hayworth, R.", transcript=transcript, note_json=note, audio_path=None,
                          model=note.model)


def test_copy_pdf_and_fhir_from_the_review_screen(qtbot, make_window, unlock, encounter, tmp_path, monkeypatch):
    window = make_window()
    unlock(window, "dr_b", CLIN_PW)
    window.open_encounter(encounter)
    qtbot.waitUntil(lambda: window.review.detail is not None, timeout=20_000)
    with login("dr_b", CLIN_PW) as s:
        txt, md = export_note(s, encounter, "txt"), export_note(s, encounter, "md")

    QGuiApplication.clipboard().clear()
    window.review.copy_action.trigger()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == txt, timeout=20_000)

    suggested = []

    def save_as(path):  # noqa: ANN001, ANN202
        def dialog(_parent, _title, default, _filter):  # noqa: ANN001, ANN202
            suggested.append(default)
            return str(path), ""
        return dialog

    pdf, fhir = tmp_path / "note.pdf", tmp_path / "note.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as(pdf))
    window.review.pdf_action.trigger()
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    document = pdfium.PdfDocument(pdf)
    printed = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    body = re.sub(r"Hayworth, R\. · \S+ · SOAP note v1 · Page \d+ of \d+", "", printed)
    assert re.findall(r"\w+", body) == re.findall(r"\w+", md)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as(fhir))
    window.review.fhir_action.trigger()
    qtbot.waitUntil(fhir.exists, timeout=20_000)
    bundle = json.loads(fhir.read_text())
    attachment = bundle["entry"][0]["resource"]["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]).decode() == txt
    assert [s.rsplit("/", 1)[-1] for s in suggested] == [f"encounter-{encounter}-note-v1.pdf",
                                                          f"encounter-{encounter}-note-v1.fhir.json"]
    assert "Saved encounter" not in window.message.text()
