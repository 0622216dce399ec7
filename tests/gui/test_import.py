"""An audio file becomes an encounter the way a visit recorded in the room does: spooled, transcribed, drafted.

The file is dropped on the window (a real ``QDropEvent`` carrying the file's URL) or picked with Import audio…;
either way it runs through the capture path, the streaming transcriber and the drafting child, and is saved with
its audio in the store.
"""

from __future__ import annotations

import base64
import json

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog

from ambientnote.config import load_settings
from ambientnote.store.accounts import init_store

pytestmark = pytest.mark.timeout(3600)  # a last resort only: the wait below fails a hung import long before
PASSWORD = "clinician-pass-1"


def drop_file(window, path) -> bool:  # noqa: ANN001
    """Drag ``path`` over the window and drop it; returns whether the window took it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos, action, buttons = QPointF(300, 300), Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    enter = QDragEnterEvent(pos, action, mime, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(pos, action, mime, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return drop.isAccepted()


def wait_for_review(window, wait_while_progressing) -> None:  # noqa: ANN001
    def progress() -> object:
        draft = window.draft
        return (window.record.live_lines(), window.record.status.text(),
                draft.activity if draft is not None else None, window.review.detail is None)

    wait_while_progressing(lambda: window.review.detail is not None, progress, what="the import")


def test_dropped_audio_file_drafted_edited_signed_exported(qtbot, make_window, warm_models, home, short_sample,
                                                           unlock, tmp_path, monkeypatch, wait_while_progressing, sign):
    """Issue 13's whole loop: import → draft → edit → sign → export text, PDF and FHIR, each output read back."""
    session, _ = init_store("dr_a", PASSWORD, cfg=load_settings())
    session.close()
    window = make_window()
    assert not drop_file(window, short_sample)  # nobody signed in: the window takes no file
    unlock(window, "dr_a", PASSWORD)
    not_audio = tmp_path / "letter.pdf"
    not_audio.write_bytes(b"%PDF-1.4")
    assert not drop_file(window, not_audio)

    assert drop_file(window, short_sample)
    assert window.stack.currentWidget() is window.record
    assert window.record.status.text().startswith(f"Importing {short_sample.name}")
    assert window.encounters.visible_labels()[0] == short_sample.stem  # listed while it is read
    wait_for_review(window, wait_while_progressing)

    detail = window.review.detail
    assert detail.summary.patient_label == short_sample.stem
    assert detail.transcript.duration > 30 and len(detail.transcript.segments) >= 4
    assert detail.recording is not None and detail.recording.format == "flac"  # its audio kept, encrypted
    assert window.record.live_lines() >= 4  # the transcript grew live, as for the microphone
    statements = [i.text(0) for i in window.review.tree.statement_items()]
    assert any("knee" in text.lower() for text in statements)
    qtbot.waitUntil(lambda: not list((home / "spool").iterdir()), timeout=20_000)  # spool gone once saved

    # Edit: reword the first statement, add an addendum; save; sign with the attestation.
    review = window.review
    first = review.tree.statement_items()[0]
    first.setText(0, "Right knee pain for two weeks, worse on stairs.")
    review.tree.add_addendum("Knee brace fitted in clinic.")
    review.save_action.trigger()
    qtbot.waitUntil(lambda: review.detail.latest.version == 2, timeout=20_000)
    sign(review, PASSWORD)
    qtbot.waitUntil(lambda: review.signed, timeout=20_000)

    # Export: text to the clipboard, PDF and FHIR to files; each carries the signed, edited note.
    QGuiApplication.clipboard().clear()
    review.copy_action.trigger()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() != "", timeout=20_000)
    text = QGuiApplication.clipboard().text()
    signed_line = "Electronically signed by dr_a on "
    for expected in (signed_line, "Right knee pain for two weeks, worse on stairs.", "Knee brace fitted in clinic.",
                     short_sample.stem):
        assert expected in text
    pdf, fhir = tmp_path / "note.pdf", tmp_path / "note.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    review.pdf_action.trigger()
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    document = pdfium.PdfDocument(pdf)
    printed = " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))
    document.close()
    for expected in (signed_line, "Right knee pain for two weeks, worse on stairs.", "Knee brace fitted in clinic."):
        assert expected in printed
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(fhir), ""))
    review.fhir_action.trigger()
    qtbot.waitUntil(fhir.exists, timeout=20_000)
    reference = json.loads(fhir.read_text())["entry"][0]["resource"]
    assert reference["docStatus"] == "final" and "authenticator" in reference
    attachment = base64.b64decode(reference["content"][0]["attachment"]["data"]).decode()
    assert attachment == text


def test_import_audio_menu_with_a_file_that_is_not_audio(qtbot, make_window, home, unlock, tmp_path, monkeypatch):
    session, _ = init_store("dr_a", PASSWORD, cfg=load_settings())
    session.close()
    window = make_window()
    unlock(window, "dr_a", PASSWORD)
    fake = tmp_path / "visit.wav"
    fake.write_text("not audio at all")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(fake), ""))
    window.nav_import.trigger()
    qtbot.waitUntil(window.message.isVisible, timeout=20_000)
    assert "visit.wav" in window.message.text() and "Traceback" not in window.message.text()
    assert window.record.recording is None and window.record.record_button.isEnabled()
    qtbot.waitUntil(lambda: not list((home / "spool").iterdir()) if (home / "spool").exists() else True,
                    timeout=20_000)
