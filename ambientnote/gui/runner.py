"""Running service calls off the GUI thread and bringing results back by signal (Anki's ``perform_op``).

Why one store thread: the SQLCipher connection is shared by the whole window,
and SQLite wants one user at a time, so every store call queues on a single
worker; long model work (transcription, drafting) runs on its own threads and
never holds the store. Errors come back as the one sentence a user reads
(``AmbientNoteError``); anything else becomes a calm generic sentence and the
traceback goes to the debug log only (it holds no PHI: no locals are logged).
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from ambientnote.errors import AmbientNoteError, error_sentence
from ambientnote.visits.recorder import lower_priority

__all__ = ["Bridge", "Failure", "Runner", "Success", "error_sentence", "lower_priority"]
T = TypeVar("T")
Success = Callable[[T], None]  # a view's callback, given the service's result: ``Success[EncounterDetail]``
Failure = Callable[[str], None]


class Bridge(QObject):
    """Hands calls from worker threads to the GUI thread without passing Python objects through Qt.

    Why not ``Signal(object)`` across threads: with PySide6 6.12 on Python 3.11,
    queued signal arguments were released while another thread ran Python code
    (llama.cpp's generate loop) and the interpreter aborted ("deallocating
    None"). Here the payload travels in a Python queue and only an argument-less
    wake-up crosses threads; the GUI thread then emits the real signals itself.
    """

    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.SimpleQueue[tuple[Callable[..., object], tuple[object, ...]]] = queue.SimpleQueue()
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def post(self, fn: Callable[..., object], *args: object) -> None:
        """Call ``fn(*args)`` soon on the thread this bridge lives on (the GUI thread)."""
        self._queue.put((fn, args))
        self._wake.emit()

    def _drain(self) -> None:
        while True:
            try:
                fn, args = self._queue.get_nowait()
            except queue.Empty:
                return
            fn(*args)


class Runner(QObject):
    """``perform(fn, success=…, failure=…)``: fn runs on the store worker, callbacks on the GUI thread."""

    busy_changed = Signal(int)
    failed = Signal(str)  # every failure's sentence, for the window's message bar

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._long = ThreadPoolExecutor(max_workers=2, thread_name_prefix="work")
        self._busy = 0
        self._bridge = Bridge(self)

    @property
    def busy(self) -> int:
        return self._busy

    def perform(self, fn: Callable[[], T], success: Callable[[T], None] | None = None,
                failure: Failure | None = None, *, long: bool = False) -> None:
        """Run ``fn()`` on a worker; ``success(result)`` or ``failure(sentence)`` runs on the GUI thread."""
        self._busy += 1
        self.busy_changed.emit(self._busy)
        pool = self._long if long else self._store

        def job() -> None:
            if long:
                lower_priority()
            try:
                result = fn()
            except BaseException as exc:  # noqa: BLE001 (every error becomes one sentence)
                self._bridge.post(self._deliver, self._fail(failure), error_sentence(exc))
            else:
                self._bridge.post(self._deliver, success, result)

        pool.submit(job)

    def _fail(self, failure: Failure | None) -> Failure:
        def report(sentence: str) -> None:
            self.failed.emit(sentence)
            if failure is not None:
                failure(sentence)

        return report

    def _deliver(self, callback: Callable[[T], None] | None, argument: T) -> None:
        self._busy -= 1
        self.busy_changed.emit(self._busy)
        if callback is not None:
            try:
                callback(argument)
            except AmbientNoteError as exc:
                self.failed.emit(str(exc))

    def call_on_store(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the store worker and wait (only for shutdown and tests)."""
        return self._store.submit(fn).result()

    def shutdown(self) -> None:
        self._store.shutdown(wait=True)
        self._long.shutdown(wait=False, cancel_futures=True)
