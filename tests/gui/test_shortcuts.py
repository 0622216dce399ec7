"""Every key does one thing on every page, and keeps doing it after a file dialog closes.

Keys are pressed as a user presses them (``QTest.keyClick`` goes through Qt's shortcut map, where two live claims
on one key make an "ambiguous shortcut" that runs nothing); dialogs are real ``QFileDialog`` windows, cancelled
the way a user cancels them.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from ambientnote.gui.widgets import shortcut_clashes

pytestmark = pytest.mark.timeout(180)


def press(window, key, modifiers=Qt.KeyboardModifier.ControlModifier) -> None:  # noqa: ANN001
    """A key press where the user's focus is (the window itself when nothing inside has focus)."""
    QTest.keyClick(QApplication.focusWidget() or window, key, modifiers)


def cancel_next_dialog(qtbot) -> list[str]:  # noqa: ANN001
    """Cancel the next modal dialog once it shows (as Esc would); returns its title when it did."""
    seen: list[str] = []

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, cancel)
            return
        seen.append(dialog.windowTitle())
        dialog.reject()

    QTimer.singleShot(50, cancel)
    return seen


def back_to(qtbot, window) -> None:  # noqa: ANN001
    """Let the window take the keyboard back after a dialog, as it has by the time a user's next key comes
    (without the fix it never does: no active window, no focus, every shortcut dead)."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and QApplication.focusWidget() is not None,
                    timeout=5_000)


@pytest.fixture(autouse=True)
def qt_dialogs(monkeypatch):
    """Qt's own file dialog (no desktop portal on a test machine), the one a Linux clinic without a portal sees."""
    for name in ("getOpenFileName", "getSaveFileName"):
        real = getattr(QFileDialog, name)
        monkeypatch.setattr(QFileDialog, name, lambda *a, _real=real, **k: _real(
            *a, options=QFileDialog.Option.DontUseNativeDialog, **k))


def test_no_key_is_claimed_twice_on_any_page(qtbot, open_encounter):
    window = open_encounter
    for page in (window.review, window.encounters, window.record, window.settings_view):
        window.stack.setCurrentWidget(page)
        qtbot.wait(10)
        assert shortcut_clashes(window) == [], page.objectName() or type(page).__name__
    window.review.drafting_row.show()  # Esc (cancel the draft) is live while drafting
    window.stack.setCurrentWidget(window.review)
    assert shortcut_clashes(window) == []
    window.stack.setCurrentWidget(window.encounters)  # the check sees the clash this page used to have
    window.encounters.new_button.setShortcut("Ctrl+N")
    assert shortcut_clashes(window) == ["Ctrl+N: New encounter and New encounter"]


def test_ctrl_n_opens_a_new_encounter_from_the_list(qtbot, open_encounter):
    window = open_encounter
    window.nav_encounters.trigger()
    window.activateWindow()
    press(window, Qt.Key.Key_N)
    assert window.stack.currentWidget() is window.record


def test_shortcuts_work_after_a_file_dialog(qtbot, open_encounter):
    window = open_encounter
    review = window.review
    window.activateWindow()
    seen = cancel_next_dialog(qtbot)
    press(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # PDF…
    assert seen == ["Export PDF"]
    back_to(qtbot, window)
    press(window, Qt.Key.Key_D)  # Versions…, with no click on the note first
    qtbot.waitUntil(lambda: review.versions_dialog is not None and review.versions_dialog.isVisible(), timeout=5_000)
    review.versions_dialog.close()

    window.nav_encounters.trigger()
    seen = cancel_next_dialog(qtbot)
    press(window, Qt.Key.Key_I)  # Import audio…, cancelled
    assert seen == ["Import a recorded visit"]
    back_to(qtbot, window)
    press(window, Qt.Key.Key_N)
    assert window.stack.currentWidget() is window.record
