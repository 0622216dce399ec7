"""The note as an editable tree (section → subsection → statement) beside its transcript.

Every statement item keeps its evidence ids and guard flags, so selecting it
can light up the segments it rests on, and saving rebuilds a ``Note`` with the
clinician's wording and the same evidence. Flagged statements carry a warning
icon, a tinted background and the guard's reasons as tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListWidget, QListWidgetItem, QStyle, QTreeWidget, QTreeWidgetItem

from ambientnote.notes.schema import Note, Section, Statement, Subsection
from ambientnote.transcript import Transcript

DATA = Qt.ItemDataRole.UserRole


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60:02d}:{s % 60:02d}"


def _tint(hue_color: str) -> QBrush:
    """A soft tint that reads on light and dark palettes alike."""
    color = QColor(hue_color)
    color.setAlpha(70)
    return QBrush(color)


class NoteTree(QTreeWidget):
    """Shows and edits a note; ``statement_items()`` in reading order."""

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderHidden(True)
        self.setAccessibleName("Note")
        self.setObjectName("note")
        self.setWordWrap(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked)
        self.note: Note | None = None
        self.editable = True
        self.dirty = False
        self.itemChanged.connect(self._changed)

    def clear_note(self, note_skeleton: Note | None = None) -> None:
        self.clear()
        self.note = note_skeleton
        self.dirty = False

    def show_note(self, note: Note, *, editable: bool) -> None:
        self.blockSignals(True)
        self.clear()
        self.note, self.editable, self.dirty = note, editable, False
        for section in note.sections:
            self._add_section(section)
        self.blockSignals(False)

    def add_section(self, section: Section) -> None:
        """Append a section while the draft is being written (read-only until the draft is done)."""
        self.blockSignals(True)
        self._add_section(section, editable=False)
        self.blockSignals(False)

    def _add_section(self, section: Section, editable: bool | None = None) -> None:
        editable = self.editable if editable is None else editable
        top = QTreeWidgetItem([section.title])
        top.setData(0, DATA, ("section", section.key))
        font = QFont(self.font())
        font.setBold(True)
        top.setFont(0, font)
        self.addTopLevelItem(top)
        for sub in section.subsections:
            sub_item = QTreeWidgetItem([sub.title])
            sub_item.setData(0, DATA, ("subsection", sub.key))
            top.addChild(sub_item)
            if not sub.statements:
                empty = QTreeWidgetItem(["(nothing in the conversation)"])
                empty.setForeground(0, self.palette().brush(QPalette.ColorRole.PlaceholderText))
                sub_item.addChild(empty)
            for st in sub.statements:
                sub_item.addChild(self._statement_item(st, editable))
        top.setExpanded(True)
        for i in range(top.childCount()):
            top.child(i).setExpanded(True)

    def _statement_item(self, st: Statement, editable: bool) -> QTreeWidgetItem:
        item = QTreeWidgetItem([st.text])
        item.setData(0, DATA, ("statement", {"evidence": list(st.evidence), "flags": list(st.flags)}))
        flags = item.flags() | Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable else flags & ~Qt.ItemFlag.ItemIsEditable)
        cites = ", ".join(st.evidence)
        if st.flags:
            item.setIcon(0, QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setBackground(0, _tint("#e0a800"))
            item.setToolTip(0, f"Check this: {'; '.join(st.flags)} (cites {cites})")
        else:
            item.setToolTip(0, f"From the transcript: {cites}")
        return item

    def _changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self.kind(item) == "statement":
            self.dirty = True

    @staticmethod
    def kind(item: QTreeWidgetItem | None) -> str | None:
        data = item.data(0, DATA) if item is not None else None
        return data[0] if data else None

    def statement_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            for j in range(top.childCount()):
                sub = top.child(j)
                out += [sub.child(k) for k in range(sub.childCount()) if self.kind(sub.child(k)) == "statement"]
        return out

    def evidence_of(self, item: QTreeWidgetItem | None) -> list[str]:
        return list(item.data(0, DATA)[1]["evidence"]) if self.kind(item) == "statement" else []

    def section_key_of(self, item: QTreeWidgetItem | None) -> str | None:
        while item is not None and item.parent() is not None:
            item = item.parent()
        return item.data(0, DATA)[1] if item is not None else None

    def to_note(self) -> Note:
        """The note as edited: same structure and evidence, the clinician's wording; empty statements dropped."""
        assert self.note is not None
        sections = []
        for i, section in enumerate(self.note.sections):
            top = self.topLevelItem(i)
            subs = []
            for j, sub in enumerate(section.subsections):
                sub_item = top.child(j)
                statements = []
                for k in range(sub_item.childCount()):
                    child = sub_item.child(k)
                    text = child.text(0).strip()
                    if self.kind(child) == "statement" and text:
                        meta = child.data(0, DATA)[1]
                        statements.append(Statement(text=text, evidence=meta["evidence"], flags=meta["flags"]))
                subs.append(Subsection(key=sub.key, title=sub.title, statements=statements))
            sections.append(Section(key=section.key, title=section.title, subsections=subs))
        return self.note.model_copy(update={"sections": sections})

    def select_next_flagged(self) -> bool:
        items = self.statement_items()
        current = self.currentItem()
        start = items.index(current) + 1 if current in items else 0
        for item in items[start:] + items[:start]:
            if item.data(0, DATA)[1]["flags"]:
                self.setCurrentItem(item)
                return True
        return False


class TranscriptList(QListWidget):
    """The transcript, one row per segment; ``highlight(ids)`` marks a statement's evidence."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Transcript")
        self.setObjectName("transcript")
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.transcript: Transcript | None = None
        self.highlighted: list[str] = []

    def show_transcript(self, transcript: Transcript | None) -> None:
        self.clear()
        self.transcript, self.highlighted = transcript, []
        for seg in transcript.segments if transcript else []:
            item = QListWidgetItem(f"{seg.id}  {_clock(seg.start)}  {seg.role.value}: {seg.text}")
            item.setData(DATA, seg.id)
            if seg.confidence < 0.6:
                item.setToolTip(f"Low recognition confidence ({seg.confidence:.0%}); listen to check.")
            self.addItem(item)

    def highlight(self, ids: list[str]) -> None:
        wanted = set(ids)
        self.highlighted = [i for i in ids if i in {self.item(r).data(DATA) for r in range(self.count())}]
        brush = _tint("#3d8bfd")
        first = None
        for row in range(self.count()):
            item = self.item(row)
            on = item.data(DATA) in wanted
            item.setBackground(brush if on else QBrush())
            font = item.font()
            font.setBold(on)
            item.setFont(font)
            if on and first is None:
                first = item
        if first is not None:
            self.scrollToItem(first, QAbstractItemView.ScrollHint.PositionAtCenter)

    def start_of(self, segment_id: str) -> float | None:
        if self.transcript is None:
            return None
        seg = self.transcript.by_id().get(segment_id)
        return seg.start if seg else None
