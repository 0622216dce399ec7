"""Speech windows keep the pauses inside them, so a turn change at a pause can be cut there."""

from __future__ import annotations

from ambientnote.asr.windows import Span, group_windows
from ambientnote.capture import SAMPLE_RATE


def test_windows_remember_the_pauses_they_were_packed_across() -> None:
    s = SAMPLE_RATE
    chunks = [Span(0, 2 * s), Span(3 * s, 5 * s), Span(10 * s, 11 * s)]  # then 5 s of silence: a new window
    windows = group_windows(chunks)
    assert [(w.start, w.end) for w in windows] == [(0, 5 * s), (10 * s, 11 * s)]
    assert windows[0].pause_seconds() == [2.5] and windows[1].pauses == ()
    assert windows[0].local().pauses == windows[0].pauses  # starts at 0 already
    later = group_windows([Span(4 * s, 6 * s), Span(7 * s, 8 * s)])[0].local()
    assert (later.start, later.end, later.pause_seconds()) == (0, 4 * s, [2.5])
