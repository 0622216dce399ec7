"""The note as an editable tree (section → subsection → statement) beside its transcript.

Every statement item keeps its evidence ids and guard flags, so selecting it
can light up the segments it rests on, and saving rebuilds a ``Note`` in the
clinician's order and wording. Flagged statements carry a warning icon, a
tinted background and the guard's reasons as tooltip; the clinician's own
statements show in italics.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
)

from ambientnote.notes.schema import Note, Section, Statement, Subsection
from ambientnote.transcript import Transcript
from ambientnote.visits.revise import ADDENDUM, add_to_addendum, clinician_statement, reworded

DATA = Qt.ItemDataRole.UserRole


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60:02d}:{s % 60:02d}"


def _tint(hue_color: str) -> QBrush:
    """A soft tint that reads on light and dark palettes alike."""
    color = QColor(hue_color)
    color.setAlpha(70)
    return QBrush(color)


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """An item's children in order (Qt types ``child(i)`` as optional; below ``childCount()`` it never is None)."""
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]


def _meta(st: Statement) -> dict:
    """What a statement item keeps besides its text: evidence, flags, whose wording, and the draft's wording."""
    return {"evidence": list(st.evidence), "flags": list(st.flags), "author": st.author, "original": st.text}


PLACEHOLDER = "(nothing in the conversation)"
WRITE_HERE = "(nothing in the conversation; Ctrl+Return writes here)"
STYLE = Qt.ItemDataRole.UserRole + 1


class NoteTree(QTreeWidget):
    """Shows and edits a note; ``statement_items()`` in reading order.

    Editing is free: reword a statement (F2 or double-click), add one after the selected one or into an
    empty subsection (Ctrl+Return), delete it (Delete), move it within its subsection (Alt+Up/Down). A
    statement the clinician wrote or reworded is theirs at once: its evidence and guard flags go (they
    described the draft's words, not these), and it shows in italics. The rules are ``visits.revise``'s.
    """

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

    def _add_section(self, section: Section, editable: bool | None = None) -> QTreeWidgetItem:
        editable = self.editable if editable is None else editable
        top = QTreeWidgetItem([section.title])
        top.setData(0, DATA, ("section", section.key))
        font = QFont(self.font())
        font.setBold(True)
        top.setFont(0, font)
        self.addTopLevelItem(top)
        # A section with nothing in it (no problem was heard for the A&P) still takes the clinician's words.
        for sub in section.subsections or [Subsection(key=section.key, title=section.title.upper())]:
            sub_item = QTreeWidgetItem([sub.title])
            sub_item.setData(0, DATA, ("subsection", sub.key))
            sub_item.setData(0, STYLE, sub.style)
            top.addChild(sub_item)
            for st in sub.statements:
                sub_item.addChild(self._statement_item(st.text, _meta(st), editable))
            if sub.style != "heading":  # a heading only titles the subsections after it
                self._placeholder(sub_item, editable)
        top.setExpanded(True)
        for child in _children(top):
            child.setExpanded(True)
        return top

    def _placeholder(self, sub_item: QTreeWidgetItem, editable: bool | None = None) -> None:
        """An empty subsection says so (and how to write into it); a filled one has no placeholder."""
        editable = self.editable if editable is None else editable
        holders = [child for child in _children(sub_item) if self.kind(child) is None]
        has_statements = sub_item.childCount() > len(holders)
        for holder in holders[1:] if not has_statements else holders:
            sub_item.removeChild(holder)
        if not has_statements and not holders:
            empty = QTreeWidgetItem([WRITE_HERE if editable else PLACEHOLDER])
            empty.setForeground(0, self.palette().brush(QPalette.ColorRole.PlaceholderText))
            empty.setFlags(empty.flags() & ~Qt.ItemFlag.ItemIsEditable)
            sub_item.addChild(empty)

    def _statement_item(self, text: str, meta: dict, editable: bool) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setData(0, DATA, ("statement", meta))
        flags = item.flags() | Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable else flags & ~Qt.ItemFlag.ItemIsEditable)
        self._mark(item)
        return item

    def _mark(self, item: QTreeWidgetItem) -> None:
        """How a statement shows whose it is: flagged (tinted, a warning icon), the clinician's (italics), cited."""
        meta = item.data(0, DATA)[1]
        font = QFont(self.font())
        font.setItalic(meta["author"] == "clinician")
        item.setFont(0, font)
        if meta["author"] == "clinician":
            item.setIcon(0, QIcon())
            item.setBackground(0, QBrush())
            item.setToolTip(0, "Your wording: it cites no transcript segment.")
        elif meta["flags"]:
            item.setIcon(0, QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setBackground(0, _tint("#e0a800"))
            item.setToolTip(0, f"Check this: {'; '.join(meta['flags'])} (cites {', '.join(meta['evidence'])})")
        else:
            item.setToolTip(0, f"From the transcript: {', '.join(meta['evidence'])}")

    def _changed(self, item: QTreeWidgetItem, _column: int) -> None:
        """A reworded statement becomes the clinician's at once (the transcript no longer lights up for it)."""
        if self.kind(item) != "statement":
            return
        self.dirty = True
        meta = item.data(0, DATA)[1]
        if meta["author"] == "draft" and " ".join(item.text(0).split()) != meta["original"]:
            self.blockSignals(True)
            item.setData(0, DATA, ("statement", {**meta, "evidence": [], "flags": [], "author": "clinician"}))
            self._mark(item)
            self.blockSignals(False)
            self.currentItemChanged.emit(item, item)

    @staticmethod
    def kind(item: QTreeWidgetItem | None) -> str | None:
        data = item.data(0, DATA) if item is not None else None
        return data[0] if data else None

    def sections(self) -> list[QTreeWidgetItem]:
        """The section items, top to bottom."""
        return [top for i in range(self.topLevelItemCount()) if (top := self.topLevelItem(i)) is not None]

    def statement_items(self) -> list[QTreeWidgetItem]:
        return [item for top in self.sections() for sub in _children(top) for item in _children(sub)
                if self.kind(item) == "statement"]

    def evidence_of(self, item: QTreeWidgetItem | None) -> list[str]:
        return list(item.data(0, DATA)[1]["evidence"]) if item is not None and self.kind(item) == "statement" else []

    def section_key_of(self, item: QTreeWidgetItem | None) -> str | None:
        while item is not None and (parent := item.parent()) is not None:
            item = parent
        return item.data(0, DATA)[1] if item is not None else None

    # --- free editing ----------------------------------------------------------------------------

    def _subsection_of(self, item: QTreeWidgetItem | None) -> QTreeWidgetItem | None:
        """The subsection an item is in (or is); for a section, its first subsection."""
        if item is None:
            return None
        if self.kind(item) == "section":
            return item.child(0)
        if self.kind(item) == "subsection":
            return item
        return item.parent()

    def add_statement(self, text: str = "") -> QTreeWidgetItem | None:
        """A new statement of the clinician's after the selected one (or in the selected, maybe empty,
        subsection), opened for typing."""
        current = self.currentItem()
        sub = self._subsection_of(current)
        if not self.editable or sub is None:
            return None
        item = self._statement_item(text, {"evidence": [], "flags": [], "author": "clinician", "original": ""}, True)
        row = sub.indexOfChild(current) + 1 if current is not None and self.kind(current) == "statement" \
            else sub.childCount()
        self.blockSignals(True)
        sub.insertChild(row, item)
        self._placeholder(sub)
        self.blockSignals(False)
        sub.setExpanded(True)
        self.dirty = True
        self.setCurrentItem(item)
        if not text:
            self.editItem(item, 0)
        return item

    def _editable_statement(self) -> tuple[QTreeWidgetItem, QTreeWidgetItem] | None:
        """(the selected statement, its subsection) when the note is editable and a statement is selected."""
        item = self.currentItem()
        if not self.editable or item is None or self.kind(item) != "statement":
            return None
        sub = item.parent()
        return (item, sub) if sub is not None else None

    def delete_statement(self) -> bool:
        """Remove the selected statement; the next one (or its subsection) is selected."""
        if (selected := self._editable_statement()) is None:
            return False
        item, sub = selected
        row = sub.indexOfChild(item)
        self.blockSignals(True)
        sub.removeChild(item)
        self._placeholder(sub)
        self.blockSignals(False)
        self.dirty = True
        rest = _children(sub)
        self.setCurrentItem(rest[min(row, len(rest) - 1)] if rest else sub)
        return True

    def move_statement(self, step: int) -> bool:
        """Move the selected statement ``step`` places within its subsection (-1 up, +1 down)."""
        if (selected := self._editable_statement()) is None:
            return False
        item, sub = selected
        row = sub.indexOfChild(item)
        if not 0 <= row + step < sub.childCount():
            return False
        self.blockSignals(True)
        sub.takeChild(row)
        sub.insertChild(row + step, item)
        self.blockSignals(False)
        self.dirty = True
        self.setCurrentItem(item)
        return True

    def add_addendum(self, text: str) -> None:
        """Append the clinician's addendum (a section of its own at the end of the note)."""
        self.show_note(add_to_addendum(self.to_note(), text), editable=self.editable)
        self.dirty = True
        top = next(t for t in self.sections() if t.data(0, DATA)[1] == ADDENDUM)
        statements = [i for i in self.statement_items() if self.section_key_of(i) == ADDENDUM]
        self.setCurrentItem(statements[-1] if statements else top)

    def to_note(self) -> Note:
        """The note as the tree shows it: the clinician's order and wording; reworded statements theirs, without
        the draft's evidence and flags; empty statements dropped."""
        assert self.note is not None
        sections = []
        for top in self.sections():
            subs = []
            for sub_item in _children(top):
                statements = []
                for child in _children(sub_item):
                    if self.kind(child) != "statement":
                        continue
                    meta, text = child.data(0, DATA)[1], child.text(0)
                    if meta["author"] == "clinician":
                        st = clinician_statement(text) if text.strip() else None
                    else:
                        st = reworded(Statement(text=meta["original"], evidence=meta["evidence"],
                                                flags=meta["flags"]), text)
                    if st is not None:
                        statements.append(st)
                subs.append(Subsection(key=sub_item.data(0, DATA)[1], title=sub_item.text(0), statements=statements,
                                       style=sub_item.data(0, STYLE) or "lines"))
            sections.append(Section(key=top.data(0, DATA)[1], title=top.text(0), subsections=subs))
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
