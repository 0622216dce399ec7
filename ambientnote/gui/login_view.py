"""First run (create the store and its first account) and later runs (unlock with account and password)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from ambientnote.gui import operations as ops
from ambientnote.gui.widgets import button, named, password_field


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
        self.continue_button = button("I have stored it", tip="Continue to the encounter list")
        self.continue_button.clicked.connect(self._continue)
        layout.addWidget(self.continue_button)
        self.pages.addWidget(page)

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
        session, self._session = self._session, None
        self.recovery_key.clear()
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
