"""Admin: accounts (add, roles, a new password that also unlocks, disable) and the audio retention policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ambientnote.access import ROLES, AccountRole
from ambientnote.gui import operations as ops
from ambientnote.gui.widgets import button, named, password_field

if TYPE_CHECKING:
    from ambientnote.store.accounts import AccountInfo


class AdminView(QWidget):
    def __init__(self, ctx: ops.Context) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        accounts = QGroupBox("Accounts")
        acc = QVBoxLayout(accounts)
        self.table = named(QTableWidget(0, 4), "Accounts")
        self.table.setHorizontalHeaderLabels(["Account", "Roles", "State", "Created"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        acc.addWidget(self.table)
        form = QHBoxLayout()
        self.new_name = named(QLineEdit(), "New account name")
        self.new_name.setPlaceholderText("account name")
        self.new_password = password_field("Initial password")
        self.new_password.setPlaceholderText("initial password")
        self.role_boxes = {r: named(QCheckBox(r), f"Role {r}") for r in ROLES}
        self.role_boxes[AccountRole.clinician].setChecked(True)
        form.addWidget(self.new_name)
        form.addWidget(self.new_password)
        for box in self.role_boxes.values():
            form.addWidget(box)
        self.add_button = button("Add account", tip="Create the account with these roles")
        self.add_button.clicked.connect(self.add)
        self.roles_button = button("Set roles of selected", tip="Give the selected account the checked roles (audited)")
        self.roles_button.clicked.connect(self.set_roles)
        self.disable_button = button("Disable selected", tip="Disable the selected account")
        self.disable_button.clicked.connect(self.disable)
        form.addWidget(self.add_button)
        form.addWidget(self.roles_button)
        form.addWidget(self.disable_button)
        acc.addLayout(form)
        reset = QHBoxLayout()
        self.reset_password = password_field("New password for the selected account")
        self.reset_password.setPlaceholderText("new password for the selected account")
        self.reset_button = button("Set new password", tip="Give the selected account this password; it also "
                                   "unlocks an account locked by failed logins and re-enables a disabled one")
        self.reset_button.clicked.connect(self.reset)
        self.account_result = named(QLabel(), "Account result")
        reset.addWidget(self.reset_password)
        reset.addWidget(self.reset_button)
        reset.addWidget(self.account_result, 1)
        acc.addLayout(reset)
        layout.addWidget(accounts, 1)
        retention = QGroupBox("Retention")
        ret = QFormLayout(retention)
        self.days = named(QSpinBox(), "Audio retention days")
        self.days.setRange(0, 3650)
        self.days.setSpecialValueText("keep audio")
        self.days.setToolTip("Days after signing that a recording's audio is deleted (0: keep)")
        self.save_retention = button("Save policy", tip="Store the retention policy (audited)")
        self.save_retention.clicked.connect(self.set_retention)
        self.purge_button = button("Purge now", tip="Delete audio past the retention policy")
        self.purge_button.clicked.connect(self.purge)
        self.retention_result = named(QLabel(), "Retention result")
        ret.addRow("Delete audio after (days)", self.days)
        row = QHBoxLayout()
        row.addWidget(self.save_retention)
        row.addWidget(self.purge_button)
        row.addWidget(self.retention_result, 1)
        ret.addRow(row)
        layout.addWidget(retention)

    def refresh(self) -> None:
        ops.accounts(self.ctx, self._accounts)
        ops.retention_policy(self.ctx, lambda p: self.days.setValue(p.get("retention_audio_days") or 0))

    def _accounts(self, rows: list[AccountInfo]) -> None:
        self.table.setRowCount(len(rows))
        for r, a in enumerate(rows):
            state = "disabled" if a.disabled else ("locked" if a.locked else "active")
            for c, text in enumerate((a.name, ", ".join(a.roles), state, a.created_at[:10])):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _checked_roles(self) -> list[str]:
        return [r for r, box in self.role_boxes.items() if box.isChecked()]

    def add(self) -> None:
        roles = self._checked_roles()
        name, password = self.new_name.text().strip(), self.new_password.text()

        def done(_r: object) -> None:
            self.new_name.clear()
            self.new_password.clear()
            self.refresh()

        ops.add_account(self.ctx, name, roles, password, done)

    def _selected_account(self) -> str | None:
        """The name in the selected row (None: no row is selected)."""
        item = self.table.item(self.table.currentRow(), 0)
        return item.text() if item is not None else None

    def set_roles(self) -> None:
        if (name := self._selected_account()) is not None:
            ops.set_roles(self.ctx, name, self._checked_roles(), lambda _r: self.refresh())

    def reset(self) -> None:
        """A new password for the selected account (after a forgotten password or a lock-out)."""
        name = self._selected_account()
        if name is None:
            self.account_result.setText("Select the account first.")
            return

        def done(sentence: str) -> None:
            self.reset_password.clear()
            self.account_result.setText(sentence)
            self.refresh()

        ops.reset_password(self.ctx, name, self.reset_password.text(), done)

    def disable(self) -> None:
        if (name := self._selected_account()) is not None:
            ops.disable_account(self.ctx, name, lambda _r: self.refresh())

    def set_retention(self) -> None:
        days = self.days.value() or None
        ops.set_retention(self.ctx, days, lambda _r: self.retention_result.setText("Policy saved."))

    def purge(self) -> None:
        ops.purge(self.ctx, lambda r: self.retention_result.setText(
            f"Purged the audio of {r.encounters} encounter(s) ({r.audio_bytes // 1024} KiB)."))
