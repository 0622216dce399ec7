"""Progress on stderr for long CLI work, fed by the services' on_progress callbacks."""

from __future__ import annotations

import sys

from ambientnote.progress import ProgressCallback

_open_line = {"pending": False}


def end_progress_line() -> None:
    """Finish a half-drawn status line so the next message starts on its own line."""
    if _open_line["pending"]:
        sys.stderr.write("\n")
        _open_line["pending"] = False


def stderr_progress(enabled: bool = True) -> ProgressCallback:
    """A callback ``(done, total, label)`` that redraws one status line on stderr."""

    def report(done: float, total: float, label: str) -> None:
        if not enabled:
            return
        pct = 100.0 * done / total if total else 0.0
        finished = bool(total) and done >= total
        sys.stderr.write(f"\r{label:<40.40} {pct:5.1f}%" + ("\n" if finished else ""))
        sys.stderr.flush()
        _open_line["pending"] = not finished

    return report
