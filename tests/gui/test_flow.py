"""The whole clinician loop in the window: first run, record, live transcript, draft, evidence, sign, export."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from ambientnote.config import load_settings
from ambientnote.gui.widgets import unnamed_controls
from ambientnote.notes.layout import load_layout

PASSWORD = "clinician-pass-1"

pytestmark = pytest.mark.timeout(3600)  # a last resort only: the waits below fail a hung draft long before


def test_record_draft_review_sign_export(qtbot, make_window, warm_models, tmp_path, monkeypatch,
                                        wait_while_progressing, sign):
    window = make_window()
    # First run: the wizard creates the store and the first account.
    assert window.stack.currentWidget() is window.login
    assert window.login.pages.currentWidget() is window.login.wizard_page
    window.login.new_name.setText("dr_a")
    window.login.new_password.setText(PASSWORD)
    window.login.new_password2.setText(PASSWORD)
    window.login.create_button.click()
    qtbot.waitUntil(lambda: window.login.recovery_key.text() != "", timeout=20_000)
    key = window.login.recovery_key.text()
    saved = tmp_path / "recovery.txt"  # Save to file…: owner-only, holding the key
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    window.login.save_key_button.click()
    assert key in saved.read_text() and oct(saved.stat().st_mode & 0o777) == "0o600"
    window.login.copy_key_button.click()
    assert QGuiApplication.clipboard().text() == key
    window.login.continue_button.click()  # not yet: the key's last four characters are asked back first
    assert window.stack.currentWidget() is window.login and not window.login.continue_button.isEnabled()
    window.login.key_check.setText("XXXX" if key[-4:] != "XXXX" else "YYYY")
    assert not window.login.continue_button.isEnabled()
    window.login.key_check.setText(key[-4:].lower())
    window.login.continue_button.click()
    assert window.stack.currentWidget() is window.encounters
    assert unnamed_controls(window) == []

    # Record: the sample goes through MicrophoneCapture; the live transcript grows while it plays.
    window.encounters.new_button.click()
    assert window.stack.currentWidget() is window.record
    window.record.patient.setText("Knee test patient")
    sections_seen: list[str] = []
    original_add = window.review.add_section
    window.review.add_section = lambda s: (sections_seen.append(s.key), original_add(s))
    window.record.record_button.click()
    qtbot.waitUntil(lambda: window.record.live_lines() >= 1, timeout=60_000)
    first = window.record.live_lines()
    assert window.encounters.visible_labels()[0] == "Knee test patient"  # listed as recording
    qtbot.waitUntil(lambda: window.record.recording.capture is not None and window.record.recording.capture.source.inner.finished.is_set(), timeout=60_000)
    window.record.stop_button.click()

    # Draft: appears section by section, then the encounter is saved and opens for review.
    def progress() -> object:
        draft = window.draft
        return (window.record.live_lines(), window.record.status.text(), draft is None,
                draft.activity if draft is not None else None, len(sections_seen), window.review.detail is None)

    wait_while_progressing(lambda: window.review.detail is not None, progress)
    assert window.record.live_lines() >= first
    assert sections_seen == [s.key for s in load_layout(load_settings().note_template).sections]
    assert window.review.detail.summary.status == "draft"
    assert window.review.detail.recording is not None  # audio kept, encrypted in the store
    qtbot.waitUntil(lambda: not list((window.ctx.home / "spool").iterdir()), timeout=20_000)  # gone once saved

    # Selecting a statement highlights its evidence; playback starts at the evidence.
    tree, transcript = window.review.tree, window.review.transcript
    item = tree.statement_items()[-1]
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    evidence = tree.evidence_of(item)
    assert tree.currentItem() is item
    assert transcript.highlighted == evidence
    window.review.play_action.trigger()
    qtbot.waitUntil(lambda: window.review.player.last_start is not None, timeout=20_000)
    assert window.review.player.last_start == pytest.approx(transcript.start_of(evidence[0]))

    # Edit → version 2.
    item.setText(0, "Knee pain for two weeks, edited by the clinician.")
    window.review.save_action.trigger()
    qtbot.waitUntil(lambda: window.review.detail.latest.version == 2, timeout=20_000)

    # Sign: a wrong password is one sentence in the window; the right one signs, and the error goes.
    assert window.message.text() == "Saved as version 2."
    sign(window.review, "not-my-password")
    qtbot.waitUntil(lambda: window.message.text() == "The password is not right; nothing was signed.",
                    timeout=20_000)
    assert window.message.property("error")
    sign(window.review, PASSWORD)
    qtbot.waitUntil(lambda: window.review.signed, timeout=20_000)
    assert window.message.text() == "Version 2 is signed." and not window.message.property("error")
    assert not window.review.save_action.isEnabled()

    # After signing, an edit is an amendment (a new version; the signed one stays), with its reason.
    window.review.amend_action.trigger()
    window.review.text_dialog.set_text("Wrong knee named")
    window.review.text_dialog.ok_button.click()
    window.review.tree.statement_items()[0].setText(0, "Amended statement.")
    window.review.save_action.trigger()
    qtbot.waitUntil(lambda: window.review.detail.latest.version == 3, timeout=20_000)
    assert [v.status for v in window.review.detail.notes] == ["draft", "signed", "edited"]
    window.review.versions_action.trigger()
    changed = [(old, new) for old, new, kind in window.review.versions_dialog.rows() if kind != "same"]
    assert any(old and new == "Amended statement." for old, new in changed)  # opposite the line it replaced

    # Export: plain text to the clipboard, PDF and FHIR to files.
    window.review.copy_action.trigger()

    qtbot.waitUntil(lambda: "Amended statement." in QGuiApplication.clipboard().text(), timeout=20_000)
    pdf, fhir = tmp_path / "note.pdf", tmp_path / "note.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    window.review.pdf_action.trigger()
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    assert pdf.read_bytes().startswith(b"%PDF")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(fhir), ""))
    window.review.fhir_action.trigger()
    qtbot.waitUntil(fhir.exists, timeout=20_000)
    bundle = json.loads(fhir.read_text())
    assert bundle["resourceType"] == "Bundle" and bundle["entry"][0]["resource"]["resourceType"] == "DocumentReference"

    # The encounter list shows it, searchable.
    window.nav_encounters.trigger()
    window.encounters.search.setText("knee")
    qtbot.waitUntil(lambda: window.encounters.visible_labels() == ["Knee test patient"], timeout=20_000)
    window.encounters.search.setText("nobody")
    assert window.encounters.visible_labels() == []
