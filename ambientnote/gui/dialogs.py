"""Dialogs of the review loop: sign (password again) and versions with a diff. Both are non-blocking."""

from __future__ import annotations

import difflib

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ambientnote.gui.widgets import named, password_field
from ambientnote.notes.render import render_note
from ambientnote.notes.schema import Note


class SignDialog(QDialog):
    """Asks for the password before signing; ``password()`` after ``accepted``."""

    def __init__(self, parent: QWidget, account: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign the note")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Signing makes this version part of the record.\nPassword for {account}:"))
        self.field = password_field("Password to sign")
        layout.addWidget(self.field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("Confirm sign")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel sign")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def password(self) -> str:
        return self.field.text()


def version_text(body: str) -> str:
    """A stored version as the plain text the diff compares (falls back to the raw JSON)."""
    try:
        return render_note(Note.model_validate_json(body), "txt")
    except ValueError:
        return body


def diff_text(old: str, new: str, old_name: str, new_name: str) -> str:
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=1)
    return "\n".join(lines) or "The two versions are identical."


class VersionsDialog(QDialog):
    """Pick two versions; the unified diff of their text updates as you choose."""

    def __init__(self, parent: QWidget, versions: list) -> None:
        super().__init__(parent)
        self.setWindowTitle("Versions")
        self.resize(760, 520)
        self.versions = versions
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.old = named(QComboBox(), "Older version")
        self.new = named(QComboBox(), "Newer version")
        for v in versions:
            label = f"v{v.version} {v.status} {v.created_at[:16].replace('T', ' ')}"
            self.old.addItem(label)
            self.new.addItem(label)
        self.old.setCurrentIndex(max(0, len(versions) - 2))
        self.new.setCurrentIndex(len(versions) - 1)
        row.addWidget(QLabel("Compare"))
        row.addWidget(self.old)
        row.addWidget(QLabel("with"))
        row.addWidget(self.new)
        layout.addLayout(row)
        self.diff = named(QPlainTextEdit(), "Differences")
        self.diff.setReadOnly(True)
        self.diff.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.diff)
        self.old.currentIndexChanged.connect(self._update)
        self.new.currentIndexChanged.connect(self._update)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self._update()

    def _update(self) -> None:
        a, b = self.versions[self.old.currentIndex()], self.versions[self.new.currentIndex()]
        self.diff.setPlainText(diff_text(version_text(a.body), version_text(b.body), f"v{a.version}", f"v{b.version}"))
