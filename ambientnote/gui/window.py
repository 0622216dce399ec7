"""The main window: pages in a stack, navigation by role, the message bar, and the visit flow.

The flow it wires (views never call each other): unlock → encounter list →
record → (Stop) draft section by section → save → review; or an interrupted
recording → recover → draft → save → review. Errors from any service arrive
through ``Runner.failed`` and show as one sentence in the message bar.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QStackedWidget, QToolBar, QVBoxLayout, QWidget

from ambientnote.access import AccountRole
from ambientnote.config import Settings
from ambientnote.gui import operations as ops
from ambientnote.gui.admin_view import AdminView
from ambientnote.gui.compliance_view import ComplianceView
from ambientnote.gui.drafting import Draft
from ambientnote.gui.encounters_view import EncountersView
from ambientnote.gui.login_view import LoginView
from ambientnote.gui.player import Player
from ambientnote.gui.record_view import RecordView
from ambientnote.gui.recording import SourceFactory, default_source
from ambientnote.gui.review_view import ReviewView
from ambientnote.gui.runner import Runner
from ambientnote.gui.settings_view import SettingsView
from ambientnote.gui.widgets import MessageBar, refocus
from ambientnote.notes.layout import available_layouts
from ambientnote.store.patient import PatientDetails
from ambientnote.visits.recover import discard_recording
from ambientnote.visits.revise import replace_section

if TYPE_CHECKING:
    import numpy as np

    from ambientnote.capture.spool import SpoolInfo
    from ambientnote.gui.recording import Recording
    from ambientnote.notes.schema import Note
    from ambientnote.router.route import RouteDecision
    from ambientnote.store.session import Session
    from ambientnote.transcript import Transcript

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus", ".webm", ".aac", ".wma", ".mp4")
IDLE_LOCK_S = 15 * 60  # a signed-in window nobody has touched this long locks itself
_ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin)
AUDIO_FILTER = f"Audio ({' '.join('*' + s for s in AUDIO_SUFFIXES)});;All files (*)"

NAV: list[tuple[str, str, str, AccountRole | None]] = [  # (attribute, label, shortcut, role needed; None: any)
    ("nav_encounters", "Encounters", "Ctrl+1", AccountRole.clinician),
    ("nav_new", "New encounter", "Ctrl+N", AccountRole.clinician),
    ("nav_import", "Import audio…", "Ctrl+I", AccountRole.clinician),
    ("nav_compliance", "Compliance", "Ctrl+2", AccountRole.compliance),
    ("nav_admin", "Admin", "Ctrl+3", AccountRole.admin),
    ("nav_settings", "Settings", "Ctrl+,", None),
    ("nav_lock", "Lock", "Ctrl+L", None),
]


def _app() -> QCoreApplication:
    """The running application (a window exists only under one: ``gui.app.make_app``)."""
    app = QApplication.instance()
    assert app is not None, "a window needs the QApplication"
    return app


@dataclass
class PendingVisit:
    """A recording (or a recovered one) being drafted, to be saved as a new encounter once the draft is done."""

    label: str
    transcript: Transcript
    audio: np.ndarray | None
    discard: Callable[[], None]  # drops the spool once the encounter is saved
    details: PatientDetails


class MainWindow(QMainWindow):
    def __init__(self, cfg: Settings, *, source_factory: SourceFactory = default_source,
                 player: Player | None = None) -> None:
        """``cfg``: the settings the window goes by (its store is in ``cfg.home``) until a login brings the
        store's."""
        super().__init__()
        self.setWindowTitle("AmbientNote")
        self.resize(1280, 720)
        self.setAcceptDrops(True)
        self.runner = Runner(self)
        self.ctx = ops.Context(self.runner, cfg)
        self.draft: Draft | None = None
        self.pending: PendingVisit | None = None
        self.held_for: str | None = None  # the account whose recording (or its result) waits behind the lock
        # a recording that finished while locked: (recording, transcript, audio)
        self.held_result: tuple[Recording, Transcript, np.ndarray | None] | None = None
        self.held_done: Callable[[], None] | None = None  # a draft done while locked: saved once its owner is back
        central = QWidget()
        layout = QVBoxLayout(central)
        self.message = MessageBar()
        layout.addWidget(self.message)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.login = LoginView(self.ctx)
        self.encounters = EncountersView(self.ctx)
        self.record = RecordView(self.ctx, source_factory)
        self.review = ReviewView(self.ctx, player)
        self.compliance = ComplianceView(self.ctx)
        self.admin = AdminView(self.ctx)
        self.settings_view = SettingsView(self.ctx)
        for page in (self.login, self.encounters, self.record, self.review, self.compliance, self.admin,
                     self.settings_view):
            self.stack.addWidget(page)
        self._build_nav()
        self.runner.failed.connect(lambda s: self.message.show_message(s, error=True))
        self.runner.busy_changed.connect(lambda n: self.statusBar().showMessage("Working…" if n else "", 0))
        self.login.unlocked.connect(self.unlocked)
        self.encounters.open_requested.connect(self.open_encounter)
        self.encounters.new_requested.connect(self.new_encounter)
        self.encounters.import_requested.connect(self.ask_import)
        self.encounters.recover_requested.connect(self.recover)
        self.record.recorded.connect(self._recorded)
        self.record.state_changed.connect(self._recording_state)
        self.review.redraft_requested.connect(self.redraft)
        self.review.cancel_requested.connect(self.cancel_draft)
        self.review.changed.connect(self.encounters.refresh)
        self.review.succeeded.connect(self.message.show_message)  # replaces a stale error over the page
        self.show_page(self.login)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._idle_lock)
        self.set_idle_lock(IDLE_LOCK_S)
        _app().installEventFilter(self)

    def set_idle_lock(self, seconds: float) -> None:
        """Lock after ``seconds`` without a key, click, wheel or touch (the clock restarts now)."""
        self.idle_timer.start(int(seconds * 1000))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.idle_timer.start()  # restart with the same interval
        return False

    def _idle_lock(self) -> None:
        if self.ctx.session is not None:
            self.lock()
            self.message.show_message("Locked after a while without use. Unlock to go on.")

    def _build_nav(self) -> None:
        self.toolbar = QToolBar("Navigation")
        self.toolbar.setObjectName("navigation")
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        targets = {"nav_encounters": self.show_encounters, "nav_new": self.new_encounter,
                   "nav_import": self.ask_import,
                   "nav_compliance": lambda: self.show_page(self.compliance, self.compliance.refresh),
                   "nav_admin": lambda: self.show_page(self.admin, self.admin.refresh),
                   "nav_settings": lambda: self.show_page(self.settings_view, self.settings_view.refresh),
                   "nav_lock": self.lock}
        self.nav_roles: dict[QAction, AccountRole | None] = {}
        for attr, label, key, role in NAV:
            action = QAction(label, self)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{label} ({key})")
            action.triggered.connect(targets[attr])
            self.toolbar.addAction(action)
            setattr(self, attr, action)
            self.nav_roles[action] = role
        self._nav_enabled()

    def _nav_enabled(self) -> None:
        for action, role in self.nav_roles.items():
            action.setVisible(self.ctx.session is not None and (not role or role in self.ctx.roles))

    def show_page(self, page: QWidget, refresh: Callable[[], None] | None = None) -> None:
        if self.ctx.session is None and page is not self.login:
            return
        self.message.clear_message()
        self.stack.setCurrentWidget(page)
        if refresh is not None:
            refresh()

    # --- session -----------------------------------------------------------------------------------

    def unlocked(self, session: Session) -> None:
        self.ctx.session = session
        self._nav_enabled()
        self.idle_timer.start()
        if self._back_to_held(session):
            return
        if AccountRole.clinician in session.roles:
            self.show_encounters()
        elif AccountRole.compliance in session.roles:
            self.show_page(self.compliance, self.compliance.refresh)
        else:
            self.show_page(self.admin, self.admin.refresh)

    def lock(self) -> None:
        """Lock (Ctrl+L, or idle): the session closes and the unlock page covers everything.

        A recording goes on as it was, running or paused: it is spooled encrypted as it is captured, exactly what
        crash recovery reads, so neither the lock nor a crash while locked loses it. Only its owner unlocking
        comes back to it; anyone else unlocking sets it aside for the owner to recover (``_back_to_held``).
        """
        if self.ctx.session is not None and (self.record.recording is not None or self.held_result is not None
                                             or self.draft is not None or self.pending is not None):
            self.held_for = self.ctx.session.account
        ops.lock(self.ctx)
        self._nav_enabled()
        self.login.reset()
        self.show_page(self.login)

    def _recorded(self, rec: Recording, transcript: Transcript, audio: np.ndarray | None) -> None:
        """A recording's final transcript: drafted now, or, when it finished behind the lock, after its owner
        unlocks."""
        if self.ctx.session is None:
            self.held_result = (rec, transcript, audio)
            return
        self.start_draft(self.record.label, transcript, audio, rec.discard, self.record.details)

    def _back_to_held(self, session: Session) -> bool:
        """After an unlock: the owner returns to the recording the lock hid (or drafts what finished meanwhile).
        Another account never sees it: it is set aside, spool kept, for the owner's recovery. True: handled."""
        owner, self.held_for = self.held_for, None
        if owner is None:
            return False
        if session.account != owner or AccountRole.clinician not in session.roles:
            self.record.set_aside()
            self.held_result = None  # its spool was never discarded: the owner recovers it
            self._drop_draft()
            return False
        if self.held_done is not None:
            done, self.held_done = self.held_done, None
            self.show_page(self.review)
            done()
            return True
        if self.draft is not None:
            self.show_page(self.review)  # still drafting: the owner watches it finish
            return True
        if self.held_result is not None:
            rec, transcript, audio = self.held_result
            self.held_result = None
            self.start_draft(self.record.label, transcript, audio, rec.discard, self.record.details)
            return True
        if self.record.recording is None:
            return False
        self.show_page(self.record)
        self.record.after_unlock()
        return True

    # --- encounters and recording --------------------------------------------------------------

    def show_encounters(self) -> None:
        self.show_page(self.encounters, self.encounters.refresh)

    def new_encounter(self) -> None:
        if self.record.recording is None and self.pending is None:
            self.record.prepare(self.ctx.settings.input_device)
        self.show_page(self.record)

    def ask_import(self) -> None:
        """Import audio…: pick a recorded visit (a dictaphone's file, a phone's memo) to draft like a live one."""
        name, _ = QFileDialog.getOpenFileName(self, "Import a recorded visit", str(Path.home()), AUDIO_FILTER)
        refocus(self.stack.currentWidget() or self)
        if name:
            self.import_audio(Path(name))

    def import_audio(self, path: Path) -> None:
        """The file goes through the microphone's path (spool, live transcript, draft, save) on the record page."""
        if self.ctx.session is None or AccountRole.clinician not in self.ctx.roles:
            return
        if self.record.recording is not None or self.pending is not None:
            self.message.show_message("Finish the visit in progress before importing another.", error=True)
            return
        self.record.prepare(self.ctx.settings.input_device)
        self.show_page(self.record)
        self.record.import_file(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_audio(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_audio(event)
        if path is not None:
            event.acceptProposedAction()
            self.import_audio(path)

    def _dropped_audio(self, event: QDropEvent) -> Path | None:
        """The one local audio file being dropped, when a clinician is signed in; else ``None``."""
        mime = event.mimeData()
        urls = mime.urls() if mime is not None and mime.hasUrls() else []
        if self.ctx.session is None or AccountRole.clinician not in self.ctx.roles or len(urls) != 1 \
                or not urls[0].isLocalFile():
            return None
        path = Path(urls[0].toLocalFile())
        return path if path.suffix.lower() in AUDIO_SUFFIXES else None

    def _recording_state(self, state: str) -> None:
        self.encounters.live = self.record.label if state in ("recording", "paused", "stopping", "importing") else None
        self.encounters._fill()

    def open_encounter(self, encounter_id: int) -> None:
        self.review.load(encounter_id, available_layouts())
        self.show_page(self.review)

    def recover(self, info: SpoolInfo) -> None:
        self.message.show_message("Recovering the interrupted recording: transcribing it first…")
        ops.recover(self.ctx, info, lambda visit: self.start_draft(
            visit.patient_label or "Recovered recording", visit.transcript, visit.audio,
            lambda: discard_recording(info)))

    # --- drafting ------------------------------------------------------------------------------------

    def _template(self) -> str:
        return self.ctx.settings.note_template

    def start_draft(self, label: str, transcript: Transcript, audio: np.ndarray | None, discard: Callable[[], None],
                    details: PatientDetails | None = None) -> None:
        """A finished recording (or a recovered one): draft it, then save it as an encounter, with the patient's
        date of birth and MRN (``details``) when the record page took them."""
        self.pending = PendingVisit(label, transcript, audio, discard, details or PatientDetails())
        self.review.begin_draft(label, transcript, available_layouts(), self._template())
        self.show_page(self.review)
        self._run_draft(transcript, self._template(), self._save_new)

    def _drop_draft(self) -> None:
        """Another account unlocked while the owner's draft was running or done: it goes, unseen and unsaved.
        A new visit's spool was never discarded, so its owner recovers the recording and drafts it again."""
        draft, self.draft = self.draft, None
        if draft is not None:
            with warnings.catch_warnings():  # PySide6 warns when a signal had nothing connected
                warnings.simplefilter("ignore", RuntimeWarning)
                for signal in (draft.finished, draft.failed, draft.cancelled, draft.progress, draft.section):
                    with contextlib.suppress(RuntimeError, TypeError):
                        signal.disconnect()
            draft.cancel()
        if draft is not None or self.pending is not None or self.held_done is not None:
            self.pending, self.held_done = None, None
            self.review.end_draft()

    def _draft_done(self, done: Callable[[Note], None], note: Note) -> None:
        """A finished draft: saved now, or, when it finished behind the lock, once its owner unlocks (a save
        needs their session; nobody else's may store it)."""
        if self.ctx.session is None:
            self.held_done = lambda: done(note)
            return
        done(note)

    def _run_draft(self, transcript: Transcript, template: str, done: Callable[[Note], None]) -> None:
        self.draft = draft = Draft(transcript, self.ctx.settings, template, self, route=self.review.current_route())
        draft.progress.connect(self.review.draft_progress)
        draft.finished.connect(lambda note: self._draft_done(done, note))
        draft.failed.connect(self._draft_failed)
        draft.cancelled.connect(self._draft_cancelled)
        if self.pending is not None:
            draft.section.connect(self.review.add_section)
        else:
            self.review.drafting_row.show()
        draft.start()

    def cancel_draft(self) -> None:
        if self.draft is not None:
            self.review.progress_label.setText("Cancelling after the current step…")
            self.draft.cancel()

    def _audit_unsaved_escalation(self) -> None:
        """A cancelled or failed draft that had asked the on-prem server: the transfer is still audited."""
        decision = self.draft.decision if self.draft is not None else None
        if decision is not None and decision.escalated:
            eid = self.review.encounter_id if self.pending is None else None  # a redraft belongs to its encounter
            ops.record_escalation(self.ctx, decision, eid)

    def _route_message(self, decision: RouteDecision | None) -> None:
        if decision is not None and decision.message:
            self.message.show_message(decision.message, error=decision.escalated and decision.writer == "local")

    def _draft_cancelled(self) -> None:
        self._audit_unsaved_escalation()
        self._draft_over()
        self.message.show_message("Drafting was cancelled; the recording is kept and can be recovered from the "
                                  "encounter list.")
        self.show_encounters()

    def _draft_failed(self, sentence: str) -> None:
        self._audit_unsaved_escalation()
        self._draft_over()
        self.message.show_message(sentence, error=True)

    def _draft_over(self) -> None:
        self.draft, self.pending = None, None
        self.review.end_draft()

    def _save_new(self, note: Note) -> None:
        pending = self.pending
        decision = self.draft.decision if self.draft is not None else None
        self.draft = None
        if pending is None:
            return

        def saved(encounter_id: int) -> None:
            self.runner.perform(pending.discard, long=True)  # deleting ~2 files a second of audio: off the GUI
            self.pending = None
            self.review.end_draft()
            self.open_encounter(encounter_id)
            self._route_message(decision)
            self.encounters.refresh()

        details = pending.details
        ops.save_recording(self.ctx, patient_label=pending.label, transcript=pending.transcript, note=note,
                           audio=pending.audio, success=saved, failure=lambda _s: self._draft_over(),
                           decision=decision, birth_date=details.birth_date, mrn=details.mrn)

    def redraft(self, transcript: Transcript, template: str, section_key: str | None) -> None:
        """Regenerate one section (keeping the clinician's edits elsewhere) or the whole note with a template.

        A section that drafts the same as it reads now is no new version: the clinician is told so instead.
        """
        if self.draft is not None or self.review.encounter_id is None:
            return
        eid, current = self.review.encounter_id, self.review.tree.to_note()

        def done(fresh: Note) -> None:
            decision = self.draft.decision if self.draft is not None else None
            self.draft = None
            self.review.end_draft()
            note = replace_section(current, fresh, section_key) if section_key else fresh
            if note is None:
                if decision is not None and decision.escalated:
                    ops.record_escalation(self.ctx, decision, eid)
                title = next((s.title for s in current.sections if s.key == section_key), section_key)
                self.message.show_message(f"{title} drafted again reads the same as before; no new version "
                                          "was saved.")
                return
            def saved(_version: int) -> None:
                self.review.load(eid, available_layouts())
                self._route_message(decision)
                self.encounters.refresh()

            ops.save_edit(self.ctx, eid, note, saved, decision=decision)

        self.review._enable(drafting=True)
        self._run_draft(transcript, template, done)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.record.recording is not None:
            self.record.recording.stop()  # its spool stays: offered for recovery at the next start
        if self.draft is not None:
            self.draft.cancel()
        ops.lock(self.ctx)
        _app().removeEventFilter(self)
        self.idle_timer.stop()
        self.runner.shutdown()
        super().closeEvent(event)
