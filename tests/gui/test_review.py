"""The review screen as a clinician uses it: free editing, one section drafted again, signing with an
attestation and acknowledged flags, amending with a reason, the status everywhere, confirmations, a laptop screen.

Real store, real widgets, real drafts; keys go through Qt's shortcut map and text into Qt's own editors.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from ambientnote.config import load_settings
from ambientnote.notes.schema import Note
from ambientnote.store.session import login

pytestmark = pytest.mark.timeout(3600)  # a last resort only: waits follow the draft's progress
CLIN_PW = "clinician-pass-2"  # conftest.py's ``encounter`` belongs to dr_b with this password
CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)


def key(window, k, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    QTest.keyClick(QApplication.focusWidget() or window, k, modifiers)


def ready(qtbot, window) -> None:  # noqa: ANN001
    """The window active with the note holding the keyboard, as after the clinician opened the encounter."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.review.tree, timeout=5_000)


def item(tree, text: str):  # noqa: ANN001, ANN201
    return next(i for i in tree.statement_items() if i.text(0).startswith(text))


def stored(window) -> Note:  # noqa: ANN001
    return Note.model_validate_json(window.review.detail.latest.body)


def statements(note: Note, subsection: str) -> list[str]:
    return [st.text for _, sub, st in note.statements() if sub.key == subsection]


def type_into_editor(qtbot, window, text: str) -> None:  # noqa: ANN001
    """Type as a user does into the open cell editor, then Enter (Qt commits the text on its next turn)."""
    editor = QApplication.focusWidget()
    assert editor is not window.review.tree and hasattr(editor, "setText"), editor
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.review.tree.state() != window.review.tree.State.EditingState, timeout=5_000)


def copied_text(qtbot, window) -> str:  # noqa: ANN001
    QGuiApplication.clipboard().clear()
    window.review.copy_action.trigger()
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() != "", timeout=20_000)
    return QGuiApplication.clipboard().text()


def test_edit_freely_reword_add_delete_reorder_addendum(qtbot, open_encounter):
    window = open_encounter
    review, tree = window.review, window.review.tree
    ready(qtbot, window)

    # Reword a drafted statement: it is the clinician's at once (italic, no evidence lit, no flags).
    bp = item(tree, "BP 152/96")
    tree.setCurrentItem(bp)
    assert review.transcript.highlighted  # the draft's evidence
    key(window, Qt.Key.Key_F2)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_End)
    type_into_editor(qtbot, window, " Repeat 148/92.")
    assert bp.text(0) == "BP 152/96 mmHg. Repeat 148/92." and bp.font(0).italic()
    assert review.transcript.highlighted == [] and "Your wording" in bp.toolTip(0)

    # Type into an empty subsection (PAST HISTORY said "nothing in the conversation").
    history = next(tree.topLevelItem(0).child(j) for j in range(tree.topLevelItem(0).childCount())
                   if tree.topLevelItem(0).child(j).text(0) == "PAST HISTORY")
    assert history.child(0).text(0).startswith("(nothing in the conversation")
    tree.setCurrentItem(history.child(0))
    key(window, Qt.Key.Key_Return, CTRL)
    type_into_editor(qtbot, window, "No prior surgeries.")
    assert [history.child(i).text(0) for i in range(history.childCount())] == ["No prior surgeries."]

    # Delete one, move one up (in subsections the draft filled with several statements).
    hpi = [i for i in tree.statement_items() if i.parent().data(0, Qt.ItemDataRole.UserRole)[1] == "hpi"]
    deleted = hpi[1].text(0)
    tree.setCurrentItem(hpi[1])
    key(window, Qt.Key.Key_Delete)
    plan = next(sub for sub in (i.parent() for i in reversed(tree.statement_items())) if sub.childCount() >= 2)
    plan_key = plan.data(0, Qt.ItemDataRole.UserRole)[1]
    before = [plan.child(i).text(0) for i in range(plan.childCount())]
    tree.setCurrentItem(plan.child(plan.childCount() - 1))
    key(window, Qt.Key.Key_Up, ALT)

    # A free-text addendum.
    key(window, Qt.Key.Key_A, CTRL | SHIFT)
    review.text_dialog.set_text("Patient asked for a copy of the home BP log sheet.")
    review.text_dialog.ok_button.click()

    key(window, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: review.detail.latest.version == 2, timeout=20_000)
    note = stored(window)
    vitals = next(st for _, sub, st in note.statements() if sub.key == "vitals")
    assert (vitals.text, vitals.author, vitals.evidence, vitals.flags) == (
        "BP 152/96 mmHg. Repeat 148/92.", "clinician", [], [])
    assert statements(note, "history") == ["No prior surgeries."]
    assert deleted not in statements(note, "hpi")
    assert statements(note, plan_key) == before[:-2] + [before[-1], before[-2]]
    assert statements(note, "addendum") == ["Patient asked for a copy of the home BP log sheet."]
    assert item(review.tree, "No prior surgeries.").font(0).italic()  # still marked after the reload

    text = copied_text(qtbot, window)
    for expected in ("BP 152/96 mmHg. Repeat 148/92.", "No prior surgeries.", "ADDENDUM",
                     "Patient asked for a copy of the home BP log sheet."):
        assert expected in text
    assert deleted not in text
    assert text.index(before[-1]) < text.index(before[-2])


def test_regenerate_one_section_keeps_the_rest(qtbot, open_encounter, warm_models, wait_while_progressing):
    window = open_encounter
    review, tree = window.review, window.review.tree
    ready(qtbot, window)
    cc = item(tree, "Elevated blood pressure and headache.")
    cc.setText(0, "Headache.")
    tree.add_addendum("Discussed home readings.")
    review.save_action.trigger()
    qtbot.waitUntil(lambda: review.detail.latest.version == 2, timeout=20_000)

    def regenerate() -> None:
        tree.setCurrentItem(item(review.tree, statements(stored(window), "chief_complaint")[0]))
        key(window, Qt.Key.Key_R, CTRL)

    def progress() -> object:
        draft = window.draft
        return (draft is None, draft.activity if draft is not None else None, review.detail.latest.version,
                window.message.text())

    regenerate()
    wait_while_progressing(lambda: window.draft is None and review.detail.latest.version == 3, progress,
                           what="regenerating the Subjective section")
    note = stored(window)
    assert statements(note, "chief_complaint") == ["Elevated blood pressure and headache."]  # drafted again
    assert statements(note, "addendum") == ["Discussed home readings."]  # the rest as the clinician left it

    # Again: Esc asks first (Keep lets the draft go on); a section that reads the same is no new version.
    regenerate()
    assert window.draft is not None
    key(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: review.confirm_box is not None, timeout=5_000)  # a button's key clicks it on a timer
    box = review.confirm_box
    assert box.isVisible() and box.text().startswith("Stop drafting this note?")
    next(b for b in box.buttons() if b.text() == "Keep").click()
    wait_while_progressing(lambda: window.draft is None, progress, what="regenerating it again")
    assert window.message.text() == "Subjective drafted again reads the same as before; no new version was saved."
    assert [v.version for v in review.detail.notes] == [1, 2, 3]


def test_sign_acknowledges_flags_amend_asks_why_and_status_reads_amended(qtbot, make_window, unlock, encounter,
                                                                        sign):
    from ambientnote.store.encounters import show_encounter
    from ambientnote.visits.save import save_revision

    with login("dr_b", CLIN_PW, cfg=load_settings()) as s:  # the guard doubted one statement
        note = Note.model_validate_json(show_encounter(s, encounter).latest.body)
        note.sections[0].subsections[0].statements[0].flags = ["not found in the cited segments"]
        save_revision(s, encounter, note)
    window = make_window()
    unlock(window, "dr_b", CLIN_PW)
    window.open_encounter(encounter)
    qtbot.waitUntil(lambda: window.review.detail is not None, timeout=20_000)
    review = window.review

    def sign_acknowledging_the_flag() -> None:
        sign(review, CLIN_PW, flags_seen=False)
        dialog = review.sign_dialog
        assert dialog.flags_checked.isVisible() and "1 statement(s) the guard flagged" in dialog.flags_checked.text()
        assert dialog.isVisible() and not dialog.sign_button.isEnabled()  # not acknowledged yet: Sign does nothing
        dialog.flags_checked.setChecked(True)
        dialog.sign_button.click()

    sign_acknowledging_the_flag()
    qtbot.waitUntil(lambda: review.signed, timeout=20_000)
    assert "· signed · version 2" in review.title.text()

    review.amend_action.trigger()
    review.text_dialog.set_text("Left ankle, not right")
    review.text_dialog.ok_button.click()
    assert item(review.tree, "Amended by dr_b on ").text(0).endswith(": Left ankle, not right.")
    review.save_action.trigger()
    qtbot.waitUntil(lambda: review.detail.latest.version == 3, timeout=20_000)
    assert "· amending (signed v2) · version 3" in review.title.text()
    sign_acknowledging_the_flag()
    qtbot.waitUntil(lambda: review.signed, timeout=20_000)
    assert "· amended (signed v3) · version 3" in review.title.text()
    assert "Left ankle, not right." in copied_text(qtbot, window)
    window.nav_encounters.trigger()
    table = window.encounters.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 1).text() == "amended (signed v3)",
                    timeout=20_000)


def test_discarding_a_recording_asks_first(qtbot, make_window, unlock, home, short_sample):
    from ambientnote.capture.audio import load_audio
    from ambientnote.capture.spool import AudioSpool
    from ambientnote.store.accounts import init_store

    session, _ = init_store("dr_a", "clinician-pass-1", cfg=load_settings())
    spool = AudioSpool(session.account_key().public, session.store.store_id, home, account="dr_a", patient_label="Visit")
    spool.write(load_audio(short_sample)[: 16000 * 3])
    spool.close()
    session.close()
    window = make_window()
    unlock(window, "dr_a", "clinician-pass-1")
    bar = window.encounters
    qtbot.waitUntil(bar.recovery_bar.isVisible, timeout=20_000)

    def answer(text: str) -> None:
        bar.discard_button.click()
        box: QMessageBox = bar.confirm_box
        assert box.isVisible() and "cannot be recovered" in box.text()
        next(b for b in box.buttons() if b.text() == text).click()

    answer("Keep")
    qtbot.wait(200)
    assert spool.path.exists() and bar.recovery_bar.isVisible()
    answer("Discard")
    qtbot.waitUntil(lambda: not bar.recovery_bar.isVisible(), timeout=20_000)
    assert not spool.path.exists()


def test_review_fits_a_1280_by_720_laptop_screen(qtbot, open_encounter):
    window = open_encounter
    window.resize(1280, 720)
    qtbot.wait(50)
    assert (window.width(), window.height()) == (1280, 720)
    review = window.review
    for i in range(review.buttons.count()):
        widget = review.buttons.itemAt(i).widget()
        if widget is not None:
            right = widget.mapTo(window, widget.rect().topRight()).x()
            assert widget.isVisible() and right <= 1280, widget.text()
    assert review.tree.height() >= 300  # room for the note itself
    window.nav_encounters.trigger()
    table = window.encounters.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=20_000)
    metrics = table.fontMetrics()
    for column in (1, 2):  # status and date are never cut off
        assert table.columnWidth(column) >= metrics.horizontalAdvance(table.item(0, column).text())


def test_a_section_where_nothing_was_heard_still_takes_the_clinicians_words(qtbot, open_encounter):
    """No problem heard means an A&P without subsections; the clinician must still be able to write the plan."""
    window = open_encounter
    tree = window.review.tree
    note = stored(window)
    note.sections[-1].subsections = []
    tree.show_note(note, editable=True)
    plan = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert plan.text(0) == "Assessment and Plan" and plan.child(0).text(0) == "ASSESSMENT AND PLAN"
    tree.setCurrentItem(plan.child(0).child(0))  # "(nothing in the conversation; Ctrl+Return writes here)"
    tree.add_statement("Hypertension, not controlled: lisinopril to 20 mg.")
    written = tree.to_note().sections[-1]
    assert [(st.text, st.author) for sub in written.subsections for st in sub.statements] == [
        ("Hypertension, not controlled: lisinopril to 20 mg.", "clinician")]
