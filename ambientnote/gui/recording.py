"""The Qt face of a recording: ``visits.recorder.VisitRecorder``'s callbacks as signals on the GUI thread.

Why so thin: the audio path (capture → encrypted spool, capture → streaming
transcription, an imported file the same way) is a Qt-free service the CLI
and tests drive too; this adapter only brings its results to the GUI thread
through a ``Bridge`` (the callbacks run on the recorder's threads) and lets
the view read level and elapsed time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ambientnote.capture.microphone import AudioSource, MicrophoneCapture
from ambientnote.capture.spool import AudioSpool
from ambientnote.gui.runner import Bridge
from ambientnote.store.session import Session
from ambientnote.visits.recorder import SourceFactory, VisitRecorder, default_source, input_devices

__all__ = ["Recording", "SourceFactory", "default_source", "input_devices"]


class Recording(QObject):
    """One visit being recorded or imported; ``segments``, ``finished`` and ``failed`` arrive on the GUI thread."""

    segments = Signal(list)  # newly stable live segments
    finished = Signal(object, object)  # Transcript, audio (np.ndarray)
    failed = Signal(str)

    def __init__(self, session: Session, home: Path, source_factory: Callable[[], AudioSource], patient_label: str,
                 parent: QObject | None = None, *, until_end: bool = False) -> None:
        super().__init__(parent)
        self._bridge = Bridge(self)
        post = self._bridge.post
        self.service = VisitRecorder(
            session, home, source_factory, patient_label, until_end=until_end,
            on_segments=lambda new: post(self.segments.emit, new),
            on_finished=lambda transcript, audio: post(self.finished.emit, transcript, audio),
            on_failed=lambda sentence: post(self.failed.emit, sentence))

    def start(self) -> None:
        self.service.start()

    def pause(self) -> None:
        self.service.pause()

    def resume(self) -> None:
        self.service.resume()

    def stop(self) -> None:
        self.service.stop()

    def set_label(self, label: str) -> None:
        self.service.set_label(label)

    def set_aside(self) -> None:
        self.service.set_aside()

    @property
    def account(self) -> str:
        return self.service.account

    def discard(self) -> None:
        self.service.discard()

    @property
    def state(self) -> str:
        return self.service.state

    @property
    def capture(self) -> MicrophoneCapture | None:
        return self.service.capture

    @property
    def spool(self) -> AudioSpool | None:
        return self.service.spool

    @property
    def label(self) -> str:
        return self.service.label

    @property
    def level(self) -> float:
        return self.service.level

    @property
    def seconds(self) -> float:
        return self.service.seconds
