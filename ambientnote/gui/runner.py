"""Running service calls off the GUI thread and bringing results back by signal (Anki's ``perform_op``).

Why one store thread: the SQLCipher connection is shared by the whole window,
and SQLite wants one user at a time, so every store call queues on a single
worker; long model work (transcription, drafting) runs on its own threads and
never holds the store. Errors come back as the one sentence a user reads
(``AmbientNoteError``); anything else becomes a calm generic sentence and the
traceback goes to the debug log only (it holds no PHI: no locals are logged).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from ambientnote.errors import AmbientNoteError

log = logging.getLogger(__name__)
Success = Callable[[Any], None]
Failure = Callable[[str], None]


def error_sentence(exc: BaseException) -> str:
    """The sentence a user reads for any exception (never a traceback)."""
    if isinstance(exc, AmbientNoteError):
        return str(exc)
    log.debug("unexpected error in an operation", exc_info=exc)
    return f"Something unexpected went wrong ({type(exc).__name__}); nothing was lost, please try again."


class Runner(QObject):
    """``perform(fn, success=…, failure=…)``: fn runs on the store worker, callbacks on the GUI thread."""

    _finished = Signal(object, object)  # callback, argument
    busy_changed = Signal(int)
    failed = Signal(str)  # every failure's sentence, for the window's message bar

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._long = ThreadPoolExecutor(max_workers=2, thread_name_prefix="work")
        self._busy = 0
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> int:
        return self._busy

    def perform(self, fn: Callable[[], Any], success: Success | None = None, failure: Failure | None = None,
                *, long: bool = False) -> None:
        """Run ``fn()`` on a worker; ``success(result)`` or ``failure(sentence)`` runs on the GUI thread."""
        self._busy += 1
        self.busy_changed.emit(self._busy)
        pool = self._long if long else self._store

        def job() -> None:
            try:
                result = fn()
            except BaseException as exc:  # noqa: BLE001 (every error becomes one sentence)
                self._finished.emit(self._fail(failure), error_sentence(exc))
            else:
                self._finished.emit(success, result)

        pool.submit(job)

    def _fail(self, failure: Failure | None) -> Failure:
        def report(sentence: str) -> None:
            self.failed.emit(sentence)
            if failure is not None:
                failure(sentence)

        return report

    def _deliver(self, callback: Callable[[Any], None] | None, argument: Any) -> None:
        self._busy -= 1
        self.busy_changed.emit(self._busy)
        if callback is not None:
            try:
                callback(argument)
            except AmbientNoteError as exc:
                self.failed.emit(str(exc))

    def call_on_store(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the store worker and wait (only for shutdown and tests)."""
        return self._store.submit(fn).result()

    def shutdown(self) -> None:
        self._store.shutdown(wait=True)
        self._long.shutdown(wait=False, cancel_futures=True)
