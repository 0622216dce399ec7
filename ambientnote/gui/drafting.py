"""Drafting off the GUI thread, section by section, with cancel.

Drafting runs in a child process (``ambientnote.router.worker``): a child can be
ended at once on cancel, whatever step it is in, and it keeps drafting's work
(and the on-prem request) out of the GUI's interpreter. The child stays up
between drafts. ``Draft.activity`` counts what the child has reported, so a
caller can tell a slow draft (still counting) from a hung one.

With a route other than "local" the child drafts through the router; ``decision``
then holds what the router did (``RouteDecision``), which the window shows and
audits, linked to the encounter once the note is saved (also after a cancel or
a failure, when the on-prem server had already been asked).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from ambientnote.config import Route, Settings
from ambientnote.gui.runner import Bridge, error_sentence
from ambientnote.notes.schema import Section
from ambientnote.router.route import RouteDecision
from ambientnote.router.worker import DraftCancelled, DraftWorker
from ambientnote.transcript import Transcript

_worker_lock = threading.Lock()
_worker: DraftWorker | None = None


def draft_worker() -> DraftWorker:
    """The session's drafting process (started on first use, kept for the session)."""
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = DraftWorker()
        return _worker


class Draft(QObject):
    """``start()`` drafts on a thread; ``section`` signals each section as soon as it is ready."""

    progress = Signal(int, int, str)
    section = Signal(object)
    finished = Signal(object)  # Note
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, transcript: Transcript, cfg: Settings, template: str | None = None,
                 parent: QObject | None = None, route: Route | None = None) -> None:
        super().__init__(parent)
        self.transcript = transcript
        self.cfg = cfg  # the session's settings: the drafting child goes by them (routing, the note layout)
        self.template = template
        self.route = route
        self.decision: RouteDecision | None = None
        self._cancel = threading.Event()
        self._bridge = Bridge(self)
        self.running = False
        self.activity = 0  # messages from the drafting child so far: a draft that keeps counting is not hung

    def _heard(self) -> None:
        self.activity += 1  # only the drafting thread writes it

    def start(self) -> None:
        self.running = True
        threading.Thread(target=self._run, name="drafting", daemon=True).start()

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: float, total: float, label: str) -> None:
        self._heard()
        self._bridge.post(self.progress.emit, int(done), int(total), label)

    def _section(self, section: Section) -> None:
        self._heard()
        self._bridge.post(self.section.emit, section)

    def _decision(self, worker: DraftWorker, *, interrupted: bool = False) -> None:
        if worker.decision is None:
            return
        decision = RouteDecision.model_validate_json(worker.decision)
        if interrupted and decision.escalated and decision.writer == "local" and decision.failure is None:
            decision.cancelled = self._cancel.is_set()
            decision.failure = None if decision.cancelled else "the drafting process stopped before the answer came"
        self.decision = decision

    def _run(self) -> None:
        worker = draft_worker()
        try:
            self._progress(0, 1, "starting the draft")
            note = worker.draft(self.transcript, cfg=self.cfg, template=self.template, on_progress=self._progress,
                                on_section=self._section, cancelled=self._cancel.is_set, route=self.route)
        except DraftCancelled:
            self._decision(worker, interrupted=True)
            self.running = False
            self._bridge.post(self.cancelled.emit)
            return
        except Exception as exc:  # noqa: BLE001 (any failure of the draft becomes one sentence)
            self._decision(worker, interrupted=True)
            self.running = False
            self._bridge.post(self.failed.emit, error_sentence(exc))
            return
        self._decision(worker)
        self.running = False
        self._bridge.post(self.finished.emit, note)
