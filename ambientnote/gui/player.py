"""Playing the visit's audio from a point (a statement's evidence), at the hardware edge.

Audio is decoded in memory from the store (never a temp file) and handed to
PortAudio through sounddevice; tests replace ``Player.output`` the way they
replace the microphone.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.errors import InputError

Output = Callable[[np.ndarray, int], None]


def sounddevice_output(audio: np.ndarray, rate: int) -> None:
    try:
        import sounddevice as sd  # inside the try: without PortAudio the import itself fails

        sd.stop()
        sd.play(audio, rate)
    except Exception as exc:  # noqa: BLE001 (no PortAudio or no output device)
        raise InputError("No audio output could be opened; check the system's sound settings.") from exc


def sounddevice_stop() -> None:
    try:
        import sounddevice as sd  # inside the try: without PortAudio the import itself fails

        sd.stop()
    except Exception:  # noqa: BLE001 (nothing to stop without PortAudio or an output device)
        pass


class Player:
    """``play(audio, from_seconds)``; ``last_start`` tells what was asked (for the view and tests)."""

    def __init__(self, output: Output = sounddevice_output, stop: Callable[[], None] = sounddevice_stop) -> None:
        self.output = output
        self._stop = stop
        self.last_start: float | None = None

    def play(self, audio: np.ndarray, from_seconds: float) -> None:
        start = max(0, int(from_seconds * SAMPLE_RATE))
        if start >= audio.size:
            raise InputError("That moment is past the end of the recording.")
        self.last_start = from_seconds
        self.output(audio[start:], SAMPLE_RATE)

    def stop(self) -> None:
        self._stop()
