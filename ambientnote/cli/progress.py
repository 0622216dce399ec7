"""Progress on stderr for long CLI work, fed by the services' on_progress callbacks."""

from __future__ import annotations

import sys
from ambientnote.progress import ProgressCallback


def stderr_progress(enabled: bool = True) -> ProgressCallback:
    """A callback ``(done, total, label)`` that redraws one status line on stderr."""
    def report(done: float, total: float, label: str) -> None:
        if not enabled:
            return
        pct = 100.0 * done / total if total else 0.0
        end = "\n" if total and done >= total else ""
        sys.stderr.write(f"\r{label:<40.40} {pct:5.1f}%{end}")
        sys.stderr.flush()

    return report
