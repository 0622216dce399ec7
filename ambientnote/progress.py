"""Progress reporting shared by services and faces.

Services accept ``on_progress(done, total, label)`` so the same drafting or
transcription code drives a CLI status line and a Qt progress bar.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[float, float, str], None]


def no_progress(done: float, total: float, label: str) -> None:
    """The default callback: report nothing."""
