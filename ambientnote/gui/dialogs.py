"""Dialogs of the review loop: sign (attestation, flags, password), a reason or an addendum, a confirmation
before anything destructive, and versions with a diff. All are non-blocking (``open()``), so the window keeps
drawing and tests drive them as a user does."""

from __future__ import annotations

import difflib
import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ambientnote.gui.widgets import named, password_field
from ambientnote.notes.render import render_note
from ambientnote.notes.schema import Note
from ambientnote.visits.signing import ATTESTATION


class SignDialog(QDialog):
    """Signing: the attestation to confirm, each guard flag acknowledged, the password again.

    Sign stays disabled until the clinician ticks the attestation (and, when the guard still doubts some
    statements, that they checked them) and types a password; ``password()`` and ``acknowledged()`` after
    ``accepted``.
    """

    def __init__(self, parent: QWidget, account: str, flagged: int = 0) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign the note")
        self.flagged = flagged
        layout = QVBoxLayout(self)
        intro = QLabel(f"Signing makes this version part of the record, signed by {account}.")
        attestation = named(QLabel(f"\N{LEFT DOUBLE QUOTATION MARK}{ATTESTATION}\N{RIGHT DOUBLE QUOTATION MARK}"),
                            "Attestation")
        attestation.setWordWrap(True)
        self.attest = named(QCheckBox("I attest to the statement above"), "Attest")
        self.flags_checked = named(QCheckBox(f"I have checked the {flagged} statement(s) the guard flagged"),
                                   "Flags checked")
        self.flags_checked.setVisible(flagged > 0)
        self.field = password_field("Password to sign")
        for w in (intro, attestation, self.attest, self.flags_checked, QLabel(f"Password for {account}:"),
                  self.field):
            layout.addWidget(w)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText("Sign")
        self.sign_button.setAccessibleName("Confirm sign")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel sign")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for signal in (self.attest.toggled, self.flags_checked.toggled, self.field.textChanged):
            signal.connect(self._ready)
        self.setMinimumWidth(460)
        self._ready()

    def _ready(self) -> None:
        self.sign_button.setEnabled(self.attest.isChecked() and bool(self.field.text())
                                    and (self.flagged == 0 or self.flags_checked.isChecked()))

    def accept(self) -> None:
        if self.sign_button.isEnabled():
            super().accept()

    def password(self) -> str:
        return self.field.text()

    def acknowledged(self) -> int:
        """How many flagged statements the clinician confirmed they checked."""
        return self.flagged if self.flags_checked.isChecked() else 0


class TextDialog(QDialog):
    """One required piece of the clinician's text (an amendment's reason, an addendum); ``text()`` after
    ``accepted``. OK stays disabled while the text is blank."""

    def __init__(self, parent: QWidget, title: str, prompt: str, ok: str, *, lines: int = 1) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.field = named(QPlainTextEdit() if lines > 1 else QLineEdit(), title)
        layout.addWidget(self.field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.textChanged.connect(lambda *_: self.ok_button.setEnabled(bool(self.text())))
        self.ok_button.setEnabled(False)
        self.setMinimumWidth(460)

    def text(self) -> str:
        field = self.field
        return (field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()).strip()

    def set_text(self, text: str) -> None:
        field = self.field
        field.setPlainText(text) if isinstance(field, QPlainTextEdit) else field.setText(text)

    def accept(self) -> None:
        if self.text():
            super().accept()


def confirm(parent: QWidget, title: str, question: str, yes: str, on_yes: Callable[[], None]) -> QMessageBox:
    """Ask before a step that cannot be undone; ``on_yes`` runs only on ``yes``. Non-blocking; the default
    button is the safe one, so Enter or Esc never destroys anything."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, question, QMessageBox.StandardButton.NoButton, parent)
    go = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.buttonClicked.connect(lambda b: on_yes() if b is go else None)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def version_text(body: str) -> str:
    """A stored version as the plain text the diff compares (falls back to the raw JSON)."""
    try:
        return render_note(Note.model_validate_json(body), "txt")
    except ValueError:
        return body


def side_by_side(old: str, new: str) -> list[tuple[str, str, str]]:
    """Rows of (older line, newer line, kind): kind is "same", "removed", "added" or "changed"."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [(x, x, "same") for x in a[i1:i2]]
            continue
        left, right = a[i1:i2], b[j1:j2]
        for k in range(max(len(left), len(right))):
            x, y = (left[k] if k < len(left) else ""), (right[k] if k < len(right) else "")
            rows.append((x, y, "changed" if x and y else "removed" if x else "added"))
    return rows


_TINT = {"removed": ("#f8d7da", ""), "added": ("", "#d1e7dd"), "changed": ("#f8d7da", "#d1e7dd"), "same": ("", "")}


def diff_html(old: str, new: str, old_name: str, new_name: str) -> str:
    """The two versions side by side, removed lines tinted red on the left and added ones green on the right."""
    rows = side_by_side(old, new)
    if all(kind == "same" for *_, kind in rows):
        return "<p>The two versions are identical.</p>"

    def cell(text: str, tint: str) -> str:
        style = f" style='background:{tint}'" if tint else ""
        return f"<td width='50%'{style}>{html.escape(text) or '&nbsp;'}</td>"

    body = "".join(f"<tr>{cell(x, _TINT[k][0])}{cell(y, _TINT[k][1])}</tr>" for x, y, k in rows)
    return (f"<table width='100%' cellspacing='0' cellpadding='2'><tr><th align='left'>{html.escape(old_name)}</th>"
            f"<th align='left'>{html.escape(new_name)}</th></tr>{body}</table>")


class VersionsDialog(QDialog):
    """Pick two versions; they show side by side, what changed tinted, and update as you choose."""

    def __init__(self, parent: QWidget, versions: list) -> None:
        super().__init__(parent)
        self.setWindowTitle("Versions")
        self.resize(1000, 560)
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
        row.addStretch(1)
        layout.addLayout(row)
        self.diff = named(QTextBrowser(), "Differences")
        layout.addWidget(self.diff)
        self.old.currentIndexChanged.connect(self._update)
        self.new.currentIndexChanged.connect(self._update)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self._update()

    def rows(self) -> list[tuple[str, str, str]]:
        """What the table shows: (older line, newer line, kind)."""
        a, b = self.versions[self.old.currentIndex()], self.versions[self.new.currentIndex()]
        return side_by_side(version_text(a.body), version_text(b.body))

    def _update(self) -> None:
        a, b = self.versions[self.old.currentIndex()], self.versions[self.new.currentIndex()]
        self.diff.setHtml(diff_html(version_text(a.body), version_text(b.body), f"Version {a.version} ({a.status})",
                                    f"Version {b.version} ({b.status})"))
