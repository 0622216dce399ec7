"""First run (create the store and its first account) and later runs (unlock with account and password).

The recovery key is shown once, at first run. The page offers to copy it or save it to a file (owner-only,
for a USB stick or the hospital's password safe), and Continue waits until its last four characters are
typed back: a key nobody kept cannot reset a password.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ambientnote.errors import InputError
from ambientnote.files import explain, write_atomic
from ambientnote.gui import operations as ops
from ambientnote.gui.widgets import button, named, password_field, refocus

CLIPBOARD_S = 120  # a copied recovery key leaves the clipboard after this long (if nothing replaced it)


class LoginView(QWidget):
    """Emits ``unlocked(session)`` once the store is open."""

    unlocked = Signal(object)

    def __init__(self, ctx: ops.Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.pages = QStackedWidget()
        self._session = None
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.pages, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self._build_wizard()
        self._build_recovery()
        self._build_unlock()
        self.reset()

    def reset(self) -> None:
        self.password.clear()
        self.pages.setCurrentWidget(self.unlock_page if ops.store_exists(self.ctx.home) else self.wizard_page)

    def _build_wizard(self) -> None:
        self.wizard_page = page = QWidget()
        form = QFormLayout(page)
        title = QLabel("<h2>Welcome to AmbientNote</h2>Create the encrypted store on this machine and its "
                       "first account (administrator and clinician).")
        title.setWordWrap(True)
        form.addRow(title)
        self.new_name = named(QLineEdit(), "New account name")
        self.new_password = password_field("New password")
        self.new_password2 = password_field("Repeat password")
        form.addRow("Account", self.new_name)
        form.addRow("Password", self.new_password)
        form.addRow("Repeat", self.new_password2)
        self.create_button = button("Create store", tip="Create the encrypted store and the first account")
        self.create_button.clicked.connect(self._create)
        self.new_password2.returnPressed.connect(self._create)
        form.addRow(self.create_button)
        self.pages.addWidget(page)

    def _build_recovery(self) -> None:
        self.recovery_page = page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<h2>Store created</h2>Keep this recovery key somewhere safe, away from this "
                                "machine. It is shown only once and can reset any password."))
        self.recovery_key = named(QLineEdit(), "Recovery key")
        self.recovery_key.setReadOnly(True)
        layout.addWidget(self.recovery_key)
        keep = QHBoxLayout()
        self.copy_key_button = button("Copy", "Copy recovery key", tip="Copy the key (it leaves the clipboard after "
                                      f"{CLIPBOARD_S // 60} minutes)")
        self.copy_key_button.clicked.connect(self._copy_key)
        self.save_key_button = button("Save to file…", "Save recovery key", tip="Save the key to a file only you "
                                      "can read, for a USB stick or the hospital's password safe")
        self.save_key_button.clicked.connect(self._save_key)
        self.key_saved = named(QLabel(), "Recovery key saved")
        keep.addWidget(self.copy_key_button)
        keep.addWidget(self.save_key_button)
        keep.addWidget(self.key_saved, 1)
        layout.addLayout(keep)
        layout.addWidget(QLabel("To show you have kept it, type its last four characters:"))
        self.key_check = named(QLineEdit(), "Last four characters of the recovery key")
        self.key_check.setMaxLength(4)
        self.key_check.textChanged.connect(self._key_checked)
        layout.addWidget(self.key_check)
        self.continue_button = button("I have stored it", tip="Continue to the encounter list")
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self._continue)
        self.key_check.returnPressed.connect(self._continue)
        layout.addWidget(self.continue_button)
        self.pages.addWidget(page)

    def _key_checked(self) -> None:
        key = self.recovery_key.text()
        self.continue_button.setEnabled(bool(key) and self.key_check.text().strip().upper() == key[-4:])

    def _copy_key(self) -> None:
        key = self.recovery_key.text()
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(key)

        def forget() -> None:  # only if the key is still what the clipboard holds
            if clipboard.text() == key:
                clipboard.clear()

        QTimer.singleShot(CLIPBOARD_S * 1000, forget)
        self.key_saved.setText("Copied; paste it into your password safe now.")

    def _save_key(self) -> None:
        suggested = Path.home() / "ambientnote-recovery-key.txt"
        name, _ = QFileDialog.getSaveFileName(self, "Save the recovery key", str(suggested), "Text (*.txt)")
        refocus(self)
        if not name:
            return
        text = (f"AmbientNote recovery key for the store in {self.ctx.home}\n\n{self.recovery_key.text()}\n\n"
                "It resets any account's password: keep it away from that computer, where only you can read it.\n")
        try:
            write_atomic(Path(name), text)  # owner-only (0600), never half-written
        except OSError as exc:
            self.ctx.runner.failed.emit(str(InputError(f"The key could not be saved to {name}: {explain(exc)}.")))
            return
        self.key_saved.setText(f"Saved to {Path(name).name}; move it off this computer.")

    def _build_unlock(self) -> None:
        self.unlock_page = page = QWidget()
        form = QFormLayout(page)
        form.addRow(QLabel("<h2>AmbientNote</h2>Unlock the encrypted store."))
        self.name = named(QLineEdit(), "Account name")
        self.password = password_field("Password")
        form.addRow("Account", self.name)
        form.addRow("Password", self.password)
        self.unlock_button = button("Unlock", tip="Open the store with this account")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.password.returnPressed.connect(self._unlock)
        form.addRow(self.unlock_button)
        self.pages.addWidget(page)

    def _create(self) -> None:
        if self.new_password.text() != self.new_password2.text():
            self.ctx.runner.failed.emit("The two passwords differ; type the same password twice.")
            return
        self.create_button.setEnabled(False)
        ops.create_store(self.ctx, self.new_name.text().strip(), self.new_password.text(), self._created,
                         lambda _s: self.create_button.setEnabled(True))

    def _created(self, result: tuple) -> None:
        self._session, key = result
        self.new_password.clear()
        self.new_password2.clear()
        self.recovery_key.setText(key)
        self.pages.setCurrentWidget(self.recovery_page)

    def _continue(self) -> None:
        if not self.continue_button.isEnabled() or self._session is None:
            return
        session, self._session = self._session, None
        self.recovery_key.clear()
        self.key_check.clear()
        self.key_saved.clear()
        self.name.setText(session.account)
        self.unlocked.emit(session)

    def _unlock(self) -> None:
        self.unlock_button.setEnabled(False)
        ops.unlock(self.ctx, self.name.text().strip(), self.password.text(), self._unlocked,
                   lambda _s: self.unlock_button.setEnabled(True))

    def _unlocked(self, session: object) -> None:
        self.unlock_button.setEnabled(True)
        self.password.clear()
        self.unlocked.emit(session)
