"""Small shared widgets: the message bar and helpers that give every control an accessible name."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPushButton, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, tip: str = "") -> W:
    """Give a control its accessible name (screen readers, tests) and an optional tooltip."""
    widget.setAccessibleName(name)
    widget.setObjectName(name.replace(" ", "_").lower())
    if tip:
        widget.setToolTip(tip)
        widget.setAccessibleDescription(tip)
    return widget


def button(text: str, name: str | None = None, tip: str = "", shortcut: str = "") -> QPushButton:
    b = QPushButton(text)
    if shortcut:
        b.setShortcut(shortcut)
        tip = f"{tip} ({shortcut})" if tip else shortcut
    named(b, name or text.replace("&", ""), tip)
    return b


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    named(field, name)
    return field


class MessageBar(QLabel):
    """One calm sentence at the top of the window: an error from a service, or a confirmation."""

    def __init__(self) -> None:
        super().__init__()
        named(self, "Message")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, sentence: str, *, error: bool = False) -> None:
        self.setText(sentence)
        self.setProperty("error", error)
        self.setStyleSheet(
            "padding: 6px; border-radius: 4px;"
            + ("background: palette(highlight); color: palette(highlighted-text);" if error else
               "background: palette(alternate-base);")
        )
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


def refocus(page: QWidget) -> None:
    """After a dialog: the window active again and ``page``'s keyboard home focused, so its shortcuts answer at once.

    Qt does not always hand activation back to the window when a file dialog closes; the review's shortcuts
    then stayed dead until the note was clicked. ``page.focus_target()``, when a page has one, names where the
    keyboard belongs (the review's note); otherwise the page itself takes focus.
    """
    page.window().activateWindow()
    target = getattr(page, "focus_target", None)
    (target() if callable(target) else page).setFocus()


def unnamed_controls(root: QWidget) -> list[QWidget]:
    """Buttons and fields without an accessible name or visible text (a test checks none remain)."""
    missing: list[QWidget] = []
    for w in root.findChildren(QWidget):
        if w.objectName().startswith("qt_") or ((parent := w.parent()) and parent.objectName().startswith("qt_")):
            continue  # Qt's own sub-controls (table corner buttons, spin box editors)
        if isinstance(w, (QAbstractButton, QLineEdit)) and not (w.accessibleName() or getattr(w, "text", lambda: "")()):
            missing.append(w)
    return missing


def shortcut_clashes(window: QWidget) -> list[str]:
    """Keys that two live actions or buttons of ``window`` claim in overlapping contexts, as it is shown now.

    Why: Qt answers a key claimed twice where both claims are active with an "ambiguous shortcut" and runs
    neither, silently. Live means shown (a page behind the stack claims nothing); a ``WidgetShortcut`` or
    ``WidgetWithChildrenShortcut`` claim overlaps another only when one's widget holds the other's, since focus
    must be inside it; a window-wide claim overlaps every live claim.
    """
    claims: list[tuple[str, str, Qt.ShortcutContext, QWidget]] = []
    for action in window.findChildren(QAction):
        for widget in (o for o in action.associatedObjects() if isinstance(o, QWidget)):
            if widget.isVisible():
                claims += [(key.toString(), action.text(), action.shortcutContext(), widget)
                           for key in action.shortcuts() if not key.isEmpty()]
                break
    for b in window.findChildren(QAbstractButton):
        if b.isVisible() and not b.shortcut().isEmpty():
            claims.append((b.shortcut().toString(), b.accessibleName() or b.text(), Qt.ShortcutContext.WindowShortcut,
                           b))
    local = (Qt.ShortcutContext.WidgetShortcut, Qt.ShortcutContext.WidgetWithChildrenShortcut)
    clashes = []
    for i, (key, name, context, widget) in enumerate(claims):
        for key2, name2, context2, widget2 in claims[i + 1:]:
            overlap = (context not in local or context2 not in local or widget.isAncestorOf(widget2)
                       or widget2.isAncestorOf(widget) or widget is widget2)
            if key == key2 and overlap:
                clashes.append(f"{key}: {name} and {name2}")
    return clashes
