"""Small shared widgets: the message bar and helpers that give every control an accessible name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPushButton, QWidget


def named(widget: QWidget, name: str, tip: str = "") -> QWidget:
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


def unnamed_controls(root: QWidget) -> list[QWidget]:
    """Buttons and fields without an accessible name or visible text (a test checks none remain)."""
    missing = []
    for w in root.findChildren(QWidget):
        if w.objectName().startswith("qt_") or (w.parent() and w.parent().objectName().startswith("qt_")):
            continue  # Qt's own sub-controls (table corner buttons, spin box editors)
        if isinstance(w, (QAbstractButton, QLineEdit)) and not (w.accessibleName() or getattr(w, "text", lambda: "")()):
            missing.append(w)
    return missing
