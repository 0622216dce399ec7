"""Drafting off the GUI thread, section by section, with cancel.

Why a cooperative cancel: llama.cpp cannot be interrupted mid-call, but
``draft_note`` reports progress between subsections, so raising there stops
the draft within one model call. The note model loads once per process.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from ambientnote.gui.runner import Bridge, error_sentence, lower_priority
from ambientnote.notes.schema import Note, Section
from ambientnote.transcript import Transcript

_model_lock = threading.Lock()
_model = None


def note_model():  # noqa: ANN201 (NoteModel, imported lazily)
    """The configured note model, loaded on first use and kept for the session."""
    global _model
    with _model_lock:
        if _model is None:
            from ambientnote.notes.llm import load_note_model

            _model = load_note_model()
        return _model


class _Cancelled(Exception):
    pass


class Draft(QObject):
    """``start()`` drafts on a thread; ``section`` signals each section as soon as it is ready."""

    progress = Signal(int, int, str)
    section = Signal(object)
    finished = Signal(object)  # Note
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, transcript: Transcript, template: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.transcript = transcript
        self.template = template
        self._cancel = threading.Event()
        self._bridge = Bridge(self)
        self.running = False

    def start(self) -> None:
        self.running = True
        threading.Thread(target=self._run, name="drafting", daemon=True).start()

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: float, total: float, label: str) -> None:
        if self._cancel.is_set():
            raise _Cancelled
        self._bridge.post(self.progress.emit, int(done), int(total), label)

    def _section(self, section: Section) -> None:
        if self._cancel.is_set():
            raise _Cancelled
        self._bridge.post(self.section.emit, section)

    def _run(self) -> None:
        from ambientnote.notes.draft import draft_note

        lower_priority()
        try:
            self._progress(0, 1, "loading the note model")
            note, _stats = draft_note(self.transcript, template=self.template, model=note_model(),
                                      on_progress=self._progress, on_section=self._section)
        except _Cancelled:
            self.running = False
            self._bridge.post(self.cancelled.emit)
            return
        except Exception as exc:  # noqa: BLE001
            self.running = False
            self._bridge.post(self.failed.emit, error_sentence(exc))
            return
        self.running = False
        self._bridge.post(self.finished.emit, note)


def replace_section(note: Note, fresh: Note, key: str) -> Note:
    """``note`` with section ``key`` taken from ``fresh`` (regenerate one section, keep the clinician's edits)."""
    new = next((s for s in fresh.sections if s.key == key), None)
    if new is None:
        return note
    sections = [new if s.key == key else s for s in note.sections]
    warnings = sorted(set(note.warnings) | set(fresh.warnings))
    return note.model_copy(update={"sections": sections, "warnings": warnings})
