"""The encounter list: search, status (recording, draft, edited, signed, amended (signed v3)), local date; new
encounter, import; the offer to recover (or, once confirmed, discard) an interrupted recording; and the store's
sentence about encounters under the clinician's name that it withheld (their key was not made by this account,
``EncounterList.notice``), so a planted or moved encounter is told, not silently missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ambientnote.exports.document import local_time, parse_time
from ambientnote.gui import operations as ops
from ambientnote.gui.dialogs import confirm
from ambientnote.gui.widgets import button, named
from ambientnote.store.ownership import EncounterList
from ambientnote.visits.signing import status_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from ambientnote.capture.spool import SpoolInfo
    from ambientnote.store.encounters import EncounterSummary


class EncountersView(QWidget):
    """Emits ``open_requested(id)``, ``new_requested()``, ``import_requested()`` and
    ``recover_requested(SpoolInfo)``."""

    open_requested = Signal(int)
    new_requested = Signal()
    import_requested = Signal()
    recover_requested = Signal(object)

    def __init__(self, ctx: ops.Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[EncounterSummary] = []
        self.live: str | None = None  # label of a recording in progress
        self.interrupted: list[SpoolInfo] = []
        self.confirm_box: QMessageBox | None = None
        layout = QVBoxLayout(self)
        self.recovery_bar = QFrame()
        self.recovery_bar.setFrameShape(QFrame.Shape.StyledPanel)
        bar = QHBoxLayout(self.recovery_bar)
        self.recovery_label = named(QLabel(), "Interrupted recording")
        self.recover_button = button("Recover", tip="Transcribe and draft the interrupted recording")
        self.discard_button = button("Discard", "Discard interrupted recording", tip="Delete the interrupted recording")
        self.recover_button.clicked.connect(self._recover)
        self.discard_button.clicked.connect(self._discard)
        bar.addWidget(self.recovery_label, 1)
        bar.addWidget(self.recover_button)
        bar.addWidget(self.discard_button)
        self.recovery_bar.hide()
        layout.addWidget(self.recovery_bar)
        top = QHBoxLayout()
        self.search = named(QLineEdit(), "Search encounters", "Filter by patient label, MRN, status or date (Ctrl+F)")
        self.search.setPlaceholderText("Search patient, MRN, status, date…")
        self.search.textChanged.connect(self._fill)
        find = QAction("Search encounters", self)
        find.setShortcut(QKeySequence("Ctrl+F"))
        find.triggered.connect(self._focus_search)
        self.addAction(find)
        # No shortcuts on these buttons: the window's New encounter (Ctrl+N) and Import audio (Ctrl+I) own the keys,
        # and a second claim on one key in one window is an ambiguous shortcut that Qt answers by doing nothing.
        self.new_button = button("New encounter", tip="Start recording a new visit (Ctrl+N)")
        self.new_button.clicked.connect(self.new_requested)
        self.import_button = button("Import audio…", tip="Draft a recorded visit from an audio file; or drop the "
                                                        "file on the window (Ctrl+I)")
        self.import_button.clicked.connect(self.import_requested)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.import_button)
        layout.addLayout(top)
        self.table = named(QTableWidget(0, 3), "Encounters")
        self.table.setHorizontalHeaderLabels(["Patient", "Status", "Date"])
        header = self.table.horizontalHeader()  # the patient takes the room; status and date fit their text
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        layout.addWidget(self.table)
        self.withheld = named(QLabel(), "Withheld encounters")
        self.withheld.setWordWrap(True)
        self.withheld.hide()
        layout.addWidget(self.withheld)

    def refresh(self) -> None:
        ops.list_encounters(self.ctx, self._loaded)
        ops.find_interrupted(self.ctx, self._interrupted)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _recover(self) -> None:
        if self.interrupted:
            self.recover_requested.emit(self.interrupted[0])

    def _loaded(self, rows: list[EncounterSummary]) -> None:
        self.rows = rows
        notice = rows.notice() if isinstance(rows, EncounterList) else None
        self.withheld.setText(notice or "")
        self.withheld.setVisible(notice is not None)
        self._fill()

    def _interrupted(self, spools: list[SpoolInfo]) -> None:
        self.interrupted = spools
        if spools:
            first = spools[0]
            self.recovery_label.setText(
                f"A recording from {local_time(parse_time(first.created))} was interrupted "
                f"({first.seconds:.0f} s kept). Recover it?")
        self.recovery_bar.setVisible(bool(spools))

    def _discard(self) -> None:
        """Discard: the recording is gone for good, so only once the clinician confirms."""
        if not self.interrupted:
            return
        info = self.interrupted[0]
        self.confirm_box = confirm(self, "Discard the recording?", "Delete the interrupted recording from "
                                   f"{local_time(parse_time(info.created))} ({info.seconds:.0f} s)? It cannot be "
                                   "recovered afterwards.", "Discard",
                                   lambda: ops.discard_interrupted(self.ctx, info, lambda _r: self.refresh()))

    def _fill(self) -> None:
        needle = self.search.text().strip().lower()
        # (id, label, status, date, MRN): the MRN is searched, not shown (the patient column stays readable)
        entries: list[tuple[int | None, str, str, str, str]] = \
            [(None, self.live, "recording", "now", "")] if self.live is not None else []
        entries += [(r.id, r.patient_label, status_text(r), local_time(parse_time(r.started_at or r.created_at),
                                                                        zone=False), r.mrn or "")
                    for r in self.rows]
        shown = [e for e in entries if not needle or any(needle in str(v).lower() for v in e[1:])]
        self.table.setRowCount(len(shown))
        for row, (eid, label, status, date, _mrn) in enumerate(shown):
            for col, text in enumerate((label, status, date)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, eid)
                self.table.setItem(row, col, item)

    def visible_labels(self) -> list[str]:
        return [item.text() for r in range(self.table.rowCount()) if (item := self.table.item(r, 0)) is not None]

    def _activated(self, index: QModelIndex) -> None:
        item = self.table.item(index.row(), 0)
        eid = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if eid is not None:
            self.open_requested.emit(int(eid))
