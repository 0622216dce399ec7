"""Compliance: the audit log as a table with filters, verification, and export (CSV, JSON Lines, FHIR).

Only the compliance role sees this page; the services refuse others anyway.
The table shows the newest events (at most 2000) matching the filters; the
export writes every matching event.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ambientnote.gui import operations as ops
from ambientnote.gui.widgets import button, named, refocus

if TYPE_CHECKING:
    from ambientnote.audit.events import AuditEvent
    from ambientnote.audit.export import EventFilters

COLUMNS = ["#", "When (UTC)", "Account", "Event", "Outcome", "Entity", "Detail"]
EXPORTS = {"CSV": ("csv", ".csv"), "JSON Lines": ("jsonl", ".jsonl"), "FHIR AuditEvent": ("fhir", ".json")}


class ComplianceView(QWidget):
    def __init__(self, ctx: ops.Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.events: list[AuditEvent] = []
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.user = named(QLineEdit(), "Filter by account")
        self.user.setPlaceholderText("account")
        self.encounter = named(QLineEdit(), "Filter by encounter")
        self.encounter.setPlaceholderText("encounter id")
        self.since = named(QLineEdit(), "Since date")
        self.since.setPlaceholderText("since YYYY-MM-DD")
        self.until = named(QLineEdit(), "Until date")
        self.until.setPlaceholderText("until YYYY-MM-DD")
        for w in (self.user, self.encounter, self.since, self.until):
            w.returnPressed.connect(self.refresh)
            filters.addWidget(w)
        self.apply_button = button("Apply filters", tip="Show the events matching the filters")
        self.apply_button.clicked.connect(self.refresh)
        filters.addWidget(self.apply_button)
        layout.addLayout(filters)
        actions = QHBoxLayout()
        self.verify_button = button("Verify chain", tip="Check the hash chain for any edit, deletion or reordering",
                                    shortcut="Ctrl+Shift+V")
        self.verify_button.clicked.connect(self.verify)
        self.export_format = named(QComboBox(), "Export format")
        self.export_format.addItems(list(EXPORTS))
        self.export_button = button("Export…", "Export audit log", tip="Export the matching events")
        self.export_button.clicked.connect(self.export)
        self.result = named(QLabel(), "Verification result")
        self.result.setWordWrap(True)
        actions.addWidget(self.verify_button)
        actions.addWidget(self.result, 1)
        actions.addWidget(self.export_format)
        actions.addWidget(self.export_button)
        layout.addLayout(actions)
        self.table = named(QTableWidget(0, len(COLUMNS)), "Audit events")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)

    def filters(self) -> EventFilters:
        out: EventFilters = {}
        if self.user.text().strip():
            out["user"] = self.user.text().strip()
        if self.encounter.text().strip().isdigit():
            out["encounter"] = int(self.encounter.text().strip())
        if self.since.text().strip():
            out["since"] = self.since.text().strip()
        if self.until.text().strip():
            out["until"] = self.until.text().strip()
        return out

    def refresh(self) -> None:
        ops.audit_events(self.ctx, self.filters(), self._loaded)

    def _loaded(self, events: list[AuditEvent]) -> None:
        self.events = events
        self.table.setRowCount(len(events))
        for row, e in enumerate(reversed(events)):
            entity = f"{e.entity_type} {e.entity_id}".strip()
            for col, text in enumerate((str(e.seq), e.recorded[:19].replace("T", " "), e.account,
                                        e.subtype.replace("-", " "), e.outcome_text(), entity, e.detail_text())):
                item = QTableWidgetItem(text)
                if col == len(COLUMNS) - 1:
                    item.setToolTip(e.detail)  # the exact recorded detail, as exported and hashed
                self.table.setItem(row, col, item)

    def verify(self) -> None:
        ops.verify_audit(self.ctx, lambda r: self.result.setText(r.sentence()))

    def export(self) -> None:
        fmt, suffix = EXPORTS[self.export_format.currentText()]
        name, _ = QFileDialog.getSaveFileName(self, "Export audit log", str(Path.home() / f"audit{suffix}"))
        refocus(self)
        if name:
            ops.export_audit(self.ctx, fmt, Path(name), self.filters(),
                             lambda n: self.result.setText(f"Exported {n} events to {Path(name).name}."))
