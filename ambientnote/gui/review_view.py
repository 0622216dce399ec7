"""Review: the note beside its transcript, evidence on selection, edits, versions, sign, amend, export.

This view is also where a draft appears section by section while the model
writes it (``begin_draft`` / ``add_section``). Every change goes through the
operations layer; the keyboard drives the whole loop (shortcuts in ``ACTIONS``).
The Route choice (local / auto / on-prem) applies to the next draft or redraft;
it is locked when the site policy forbids routing or fixes the route. The line
under the title says which model wrote the note; the warnings say why it was
escalated, or why the local draft was kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ambientnote.config import Route
from ambientnote.exports.document import default_filename
from ambientnote.gui import operations as ops
from ambientnote.gui.dialogs import SignDialog, TextDialog, VersionsDialog, confirm
from ambientnote.gui.note_tree import DATA, NoteTree, TranscriptList
from ambientnote.gui.player import Player
from ambientnote.gui.runner import error_sentence
from ambientnote.gui.widgets import button, named, refocus
from ambientnote.note_status import NoteStatus
from ambientnote.notes.confidence import doubt_start
from ambientnote.notes.draft import COMPOSER
from ambientnote.notes.schema import Note, Section
from ambientnote.router.policy import route_choice
from ambientnote.visits.revise import AMENDMENTS, add_to_addendum, amendment_line
from ambientnote.visits.signing import flagged_count, version_status

if TYPE_CHECKING:
    import numpy as np

    from ambientnote.store.encounters import EncounterDetail
    from ambientnote.transcript import Transcript

ROUTES = [(Route.local, "Local"), (Route.auto, "Auto"), (Route.onprem, "On-prem")]
LOCK = "\N{LOCK} "

# (attribute, label, shortcut, tip): the review loop without the mouse. Window-wide while the page shows.
ACTIONS = [
    ("save_action", "Save edits", "Ctrl+S", "Save your edits as a new version"),
    ("sign_action", "Sign…", "Ctrl+Shift+S", "Sign the note (attestation and your password)"),
    ("amend_action", "Amend…", "Ctrl+E", "Change a signed note; asks why, and saving makes an amendment"),
    ("regen_action", "Regenerate section", "Ctrl+R", "Draft the selected statement's section again"),
    ("redraft_action", "Redraft with template", "Ctrl+Shift+T", "Draft the whole note with the chosen template"),
    ("addendum_action", "Addendum…", "Ctrl+Shift+A", "Add a free-text addendum at the end of the note"),
    ("versions_action", "Versions…", "Ctrl+D", "Compare versions of this note"),
    ("play_action", "Play from evidence", "Ctrl+P", "Play the recording from the selected statement's evidence"),
    ("flag_action", "Next flagged", "F8", "Go to the next statement the guard could not support"),
    ("copy_action", "Copy as text", "Ctrl+Shift+C", "Copy the note as plain text for the EHR"),
    ("pdf_action", "Export PDF…", "Ctrl+Shift+E", "Save the note as a PDF"),
    ("fhir_action", "Export FHIR…", "Ctrl+Shift+F", "Save the note as a FHIR DocumentReference"),
]
# Editing the note: live while the note has the keyboard, so Delete in a text field deletes a character.
EDIT_ACTIONS = [
    ("add_action", "Add statement", "Ctrl+Return", "Write a statement of your own after the selected one"),
    ("delete_action", "Delete statement", "Delete", "Delete the selected statement"),
    ("up_action", "Move up", "Alt+Up", "Move the selected statement up"),
    ("down_action", "Move down", "Alt+Down", "Move the selected statement down"),
]
BUTTONS = ["save_action", "sign_action", "amend_action", "regen_action", "versions_action", "play_action"]
MENUS: list[tuple[str, list[str | None]]] = [  # None: a separator
    ("Edit", ["add_action", "delete_action", "up_action", "down_action", "addendum_action", None,
              "redraft_action", "flag_action"]),
    ("Export", ["copy_action", "pdf_action", "fhir_action"]),
]


class ReviewView(QWidget):
    """Emits ``redraft_requested(transcript, template, section_key or None)`` and ``changed()``."""

    redraft_requested = Signal(object, str, object)
    cancel_requested = Signal()
    changed = Signal()
    succeeded = Signal(str)  # a sentence confirming a stored change, for the window's message bar

    # made from ACTIONS and EDIT_ACTIONS in __init__
    save_action: QAction
    sign_action: QAction
    amend_action: QAction
    regen_action: QAction
    redraft_action: QAction
    addendum_action: QAction
    versions_action: QAction
    play_action: QAction
    flag_action: QAction
    copy_action: QAction
    pdf_action: QAction
    fhir_action: QAction
    add_action: QAction
    delete_action: QAction
    up_action: QAction
    down_action: QAction

    def __init__(self, ctx: ops.Context, player: Player | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.player = player or Player()
        self.encounter_id: int | None = None
        self.detail: EncounterDetail | None = None
        self.audio: np.ndarray | None = None
        self.amending = False
        self.route_free = False
        self.sign_dialog: SignDialog | None = None
        self.text_dialog: TextDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.versions_dialog: VersionsDialog | None = None
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.title = named(QLabel(), "Encounter")
        self.template = named(QComboBox(), "Template", "The note layout to draft with")
        self.route = named(QComboBox(), "Route", "Where the next draft is written: this computer, the on-prem "
                                                 "model for hard visits (auto), or the on-prem model")
        for value, label in ROUTES:
            self.route.addItem(label, value)
        self.route_label = QLabel("Route")
        head.addWidget(self.title, 1)
        head.addWidget(QLabel("Template"))
        head.addWidget(self.template)
        head.addWidget(self.route_label)
        head.addWidget(self.route)
        layout.addLayout(head)
        self.writer = named(QLabel(), "Written by")
        layout.addWidget(self.writer)
        drafting = QHBoxLayout()
        self.progress = named(QProgressBar(), "Drafting progress")
        self.progress_label = named(QLabel(), "Drafting status")
        self.cancel_button = button("Cancel draft", tip="Stop drafting (the transcript is kept)", shortcut="Esc")
        self.cancel_button.clicked.connect(self.ask_cancel)
        for w in (self.progress_label, self.progress, self.cancel_button):
            drafting.addWidget(w)
        self.drafting_row = QWidget()
        self.drafting_row.setLayout(drafting)
        self.drafting_row.hide()
        layout.addWidget(self.drafting_row)
        self.buttons = QHBoxLayout()
        self.tree = NoteTree()
        for table, owner, context in ((ACTIONS, self, Qt.ShortcutContext.WindowShortcut),
                                      (EDIT_ACTIONS, self.tree, Qt.ShortcutContext.WidgetWithChildrenShortcut)):
            for attr, label, key, tip in table:
                action = QAction(label, self)
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(context)
                action.setToolTip(f"{tip} ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})")
                owner.addAction(action)
                setattr(self, attr, action)
        for attr in BUTTONS:
            action = getattr(self, attr)
            b = button(action.text(), tip=action.toolTip())
            b.clicked.connect(action.trigger)
            action.enabledChanged.connect(b.setEnabled)
            self.buttons.addWidget(b)
        for label, attrs in MENUS:
            menu = QMenu(label, self)
            for entry in attrs:
                if entry is None:
                    menu.addSeparator()
                else:
                    menu.addAction(getattr(self, entry))
            b = button(label, tip=f"{label}: " + ", ".join(getattr(self, a).text() for a in attrs if a))
            b.setMenu(menu)
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        split = QSplitter()
        self.transcript = TranscriptList()
        split.addWidget(self.tree)
        split.addWidget(self.transcript)
        split.setSizes([600, 500])
        layout.addWidget(split, 1)
        self.check = named(QLabel(), "Statement check")  # why the selected statement is flagged, and how to check
        self.check.setWordWrap(True)
        layout.addWidget(self.check)
        self.warnings = named(QLabel(), "Draft warnings")
        self.warnings.setWordWrap(True)
        layout.addWidget(self.warnings)
        self.tree.currentItemChanged.connect(lambda item, _old: self.transcript.highlight(self.tree.evidence_of(item)))
        self.tree.currentItemChanged.connect(lambda item, _old: self.show_check(item))
        self.save_action.triggered.connect(self.save)
        self.sign_action.triggered.connect(self.ask_sign)
        self.amend_action.triggered.connect(self.amend)
        self.regen_action.triggered.connect(self.regenerate_section)
        self.redraft_action.triggered.connect(self.redraft)
        self.versions_action.triggered.connect(self.show_versions)
        self.addendum_action.triggered.connect(self.ask_addendum)
        self.add_action.triggered.connect(lambda: self.tree.add_statement())
        self.delete_action.triggered.connect(self.tree.delete_statement)
        self.up_action.triggered.connect(lambda: self.tree.move_statement(-1))
        self.down_action.triggered.connect(lambda: self.tree.move_statement(1))
        self.play_action.triggered.connect(self.play_evidence)
        self.flag_action.triggered.connect(self.tree.select_next_flagged)
        self.copy_action.triggered.connect(self.copy_text)
        self.pdf_action.triggered.connect(self.export_pdf)
        self.fhir_action.triggered.connect(self.export_fhir)

    # --- drafting ------------------------------------------------------------------------------

    def refresh_route(self) -> None:
        """The route control from settings and site policy: locked (with the reason) when it may not change."""
        value, free, why = route_choice(self.ctx.settings)
        self.route_free = free
        self.route.setCurrentIndex(max(0, self.route.findData(value)))
        self.route.setEnabled(free)
        self.route_label.setText(("" if free else LOCK) + "Route")
        tip = why or "Where the next draft is written (on-prem: the hospital's own server, when the policy allows)."
        self.route.setToolTip(tip)
        self.route.setAccessibleDescription(tip)

    def current_route(self) -> Route:
        return Route(self.route.currentData())

    def show_writer(self, note: Note) -> None:
        self.writer.setText(writer_text(note.model))

    def begin_draft(self, label: str, transcript: Transcript, templates: list[str], template: str) -> None:
        self.encounter_id, self.detail, self.audio = None, None, None
        self._fill_templates(templates, template)
        self.refresh_route()
        self.writer.clear()
        self.title.setText(f"<b>{label}</b> · drafting")
        self.tree.clear_note()
        self.transcript.show_transcript(transcript)
        self.progress.setRange(0, 0)
        self.progress_label.setText("Loading the note model…")
        self.drafting_row.show()
        self.warnings.clear()
        self.check.clear()
        self._enable(drafting=True)

    def draft_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress_label.setText(label.capitalize())

    def add_section(self, section: Section) -> None:
        self.tree.add_section(section)

    def end_draft(self) -> None:
        self.drafting_row.hide()
        self._enable(drafting=False)

    # --- an encounter from the store -------------------------------------------------------

    def _fill_templates(self, templates: list[str], current: str) -> None:
        self.template.clear()
        self.template.addItems(templates)
        self.template.setCurrentText(current)

    def load(self, encounter_id: int, templates: list[str]) -> None:
        self.encounter_id = encounter_id
        self.audio = None
        ops.open_encounter(self.ctx, encounter_id, lambda d: self.show_detail(d, templates))

    def show_detail(self, detail: EncounterDetail, templates: list[str]) -> None:
        self.detail = detail
        self.amending = False
        latest = detail.latest
        note = Note.model_validate_json(latest.body)
        self._fill_templates(templates, note.template)
        self.refresh_route()
        self.show_writer(note)
        self.title.setText(f"<b>{detail.summary.patient_label}</b> · {version_status(detail.notes)} · "
                           f"version {latest.version}")
        self.transcript.show_transcript(detail.transcript)
        self.tree.show_note(note, editable=latest.status != NoteStatus.signed)
        flagged = note.unsupported_count()
        notes = list(note.warnings) + ([f"{flagged} statement(s) are flagged for checking (F8 goes to the next)."]
                                       if flagged else [])
        self.warnings.setText(" ".join(notes))
        self.drafting_row.hide()
        self._enable(drafting=False)
        items = self.tree.statement_items()
        if items:
            self.tree.setCurrentItem(items[0])
        self.tree.setFocus()

    @property
    def signed(self) -> bool:
        return bool(self.detail and self.detail.latest.status == NoteStatus.signed)

    def _enable(self, *, drafting: bool) -> None:
        stored = self.encounter_id is not None and self.detail is not None and not drafting
        editable = stored and (not self.signed or self.amending)
        for action in (self.save_action, self.regen_action, self.redraft_action, self.addendum_action,
                       self.add_action, self.delete_action, self.up_action, self.down_action):
            action.setEnabled(editable)
        self.template.setEnabled(editable)
        self.route.setEnabled(self.route_free and not drafting)
        self.sign_action.setEnabled(stored and not self.signed)
        self.amend_action.setEnabled(stored and self.signed and not self.amending)
        for action in (self.versions_action, self.play_action, self.copy_action, self.pdf_action, self.fhir_action,
                       self.flag_action):
            action.setEnabled(stored)

    # --- actions ---------------------------------------------------------------------------------

    def save(self) -> None:
        if self.encounter_id is None or not self.tree.note:
            return
        note = self.tree.to_note()
        eid = self.encounter_id
        ops.save_edit(self.ctx, eid, note, lambda v: self._saved(f"Saved as version {v}.", eid))

    def _saved(self, sentence: str, eid: int) -> None:
        """A change is stored: say so where the last error was (a stale error must not stand over it), reload."""
        self.succeeded.emit(sentence)
        self.changed.emit()
        self.load(eid, [self.template.itemText(i) for i in range(self.template.count())])

    def ask_sign(self) -> None:
        """Sign…: the attestation, an acknowledgement of each statement the guard still flags, the password."""
        if self.encounter_id is None or self.ctx.session is None or self.detail is None:
            return
        if self.tree.dirty:
            self.ctx.runner.failed.emit("Save your edits first (Ctrl+S); signing covers the saved version.")
            return
        flagged = flagged_count(self.detail.latest.body)
        self.sign_dialog = dialog = SignDialog(self, self.ctx.session.account, flagged)
        eid = self.encounter_id
        dialog.accepted.connect(lambda: ops.sign(self.ctx, eid, dialog.password(), dialog.acknowledged(),
                                                 lambda v: self._saved(f"Version {v} is signed.", eid)))
        dialog.finished.connect(lambda _r: refocus(self))
        dialog.open()

    def amend(self) -> None:
        """Amend…: a signed note changes only with a reason, which becomes part of the note (every export shows it)."""
        if not self.signed or self.detail is None or self.ctx.session is None:
            return
        self.text_dialog = dialog = TextDialog(
            self, "Reason for the amendment", "Why does the signed note need to change? The reason is added to the "
            "note with your name and the time.", "Amend")
        dialog.accepted.connect(lambda: self._amend(dialog.text()))
        dialog.finished.connect(lambda _r: refocus(self))
        dialog.open()

    def _amend(self, reason: str) -> None:
        if self.ctx.session is None:  # locked while the dialog was open
            return
        line = amendment_line(reason, self.ctx.session.account, datetime.now(UTC))
        note = add_to_addendum(self.tree.to_note(), line, AMENDMENTS)
        self.amending = True
        self.tree.show_note(note, editable=True)
        self.tree.dirty = True
        self.title.setText(self.title.text() + " · amending")
        self._enable(drafting=False)

    def ask_addendum(self) -> None:
        """Addendum…: free text of the clinician's at the end of the note (saved with Save edits)."""
        if not self.save_action.isEnabled():
            return
        self.text_dialog = dialog = TextDialog(self, "Addendum", "Text to add at the end of the note, in your words:",
                                               "Add", lines=5)
        dialog.accepted.connect(lambda: self.tree.add_addendum(dialog.text()))
        dialog.finished.connect(lambda _r: refocus(self))
        dialog.open()

    def ask_cancel(self) -> None:
        """Esc while drafting: stop only once the clinician confirms (the recording is kept either way)."""
        self.confirm_box = confirm(self, "Stop drafting?", "Stop drafting this note? The recording is kept; you can "
                                   "draft it again from the encounter list.", "Stop drafting",
                                   self.cancel_requested.emit)

    def regenerate_section(self) -> None:
        key = self.tree.section_key_of(self.tree.currentItem())
        if self.detail is not None and key:
            self.redraft_requested.emit(self.detail.transcript, self.template.currentText(), key)

    def redraft(self) -> None:
        if self.detail is not None:
            self.redraft_requested.emit(self.detail.transcript, self.template.currentText(), None)

    def show_versions(self) -> None:
        if self.detail is not None:
            self.versions_dialog = VersionsDialog(self, self.detail.notes)
            self.versions_dialog.show()

    def flags_of(self, item: QTreeWidgetItem | None) -> list[str]:
        """The guard's and the recogniser's doubts about a statement item (none for other items)."""
        return list(item.data(0, DATA)[1]["flags"]) if item is not None and self.tree.kind(item) == "statement" else []

    def show_check(self, item: QTreeWidgetItem | None) -> None:
        """A flagged statement says why under the note, and that Ctrl+P plays the words it doubts."""
        flags = self.flags_of(item)
        play = " Ctrl+P plays the recording from there." if self.tree.evidence_of(item) else ""
        self.check.setText(f"Check this: {'; '.join(flags)}.{play}" if flags else "")

    def play_evidence(self) -> None:
        item = self.tree.currentItem()
        ids = self.tree.evidence_of(item)
        start = self.transcript.start_of(ids[0]) if ids else None
        if start is not None and self.transcript.transcript is not None:  # a doubted word: play from just before it
            segments = self.transcript.transcript.by_id()
            doubted = doubt_start(self.flags_of(item), [segments[i] for i in ids if i in segments])
            start = start if doubted is None else doubted
        if start is None or self.encounter_id is None:
            self.ctx.runner.failed.emit("Select a statement to play the recording from its evidence.")
            return
        if self.audio is None:
            ops.read_audio(self.ctx, self.encounter_id, lambda audio: self._play(audio, start))
        else:
            self._play(self.audio, start)

    def _play(self, audio: np.ndarray, start: float) -> None:
        self.audio = audio
        try:
            self.player.play(audio, start)
        except Exception as exc:  # noqa: BLE001 (any output's failure becomes one sentence)
            self.ctx.runner.failed.emit(error_sentence(exc))

    def copy_text(self) -> None:
        if self.encounter_id is not None:
            ops.export_text(self.ctx, self.encounter_id, "txt", self._copied)

    def _copied(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.succeeded.emit("Copied the note as plain text.")

    def _ask_path(self, title: str, suffix: str, filt: str) -> Path | None:
        """Where to save; the suggested name says which note it is, never the patient's name or birth date."""
        version = self.detail.latest.version if self.detail else 1
        suggested = Path.home() / default_filename(self.encounter_id or 0, version, suffix)
        name, _ = QFileDialog.getSaveFileName(self, title, str(suggested), filt)
        refocus(self)
        return Path(name) if name else None

    def focus_target(self) -> QWidget:
        """Where the keyboard belongs on this page: the note."""
        return self.tree

    def _exported(self, path: Path) -> None:
        self.succeeded.emit(f"Saved {path.name}.")

    def export_pdf(self) -> None:
        if self.encounter_id is None or (path := self._ask_path("Export PDF", ".pdf", "PDF (*.pdf)")) is None:
            return
        ops.export_file(self.ctx, self.encounter_id, "pdf", path, self._exported)

    def export_fhir(self) -> None:
        """A FHIR R4 Bundle: the note as a DocumentReference with the visit's structured resources."""
        if self.encounter_id is None or (path := self._ask_path("Export FHIR", ".fhir.json",
                                                                "FHIR JSON (*.json)")) is None:
            return
        ops.export_file(self.ctx, self.encounter_id, "fhir-bundle", path, self._exported)

def writer_text(model: str) -> str:
    """Who wrote the note, as the review says it: the on-prem model (``onprem:MODEL@HOST``, the router's mark),
    AmbientNote's own composition from the visit record, or a local language model."""
    if model.startswith("onprem:"):
        name, _, host = model[len("onprem:"):].rpartition("@")
        return f"Written by the on-prem model {name or host} at {host}" if name else \
            f"Written by the on-prem model {host}"
    if model == COMPOSER:
        return "Written on this computer from the visit record (each statement cites the transcript)"
    return f"Written by the local model {model}"
