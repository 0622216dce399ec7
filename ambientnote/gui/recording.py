"""A recording in progress: capture → encrypted spool, and capture → streaming transcription, off the GUI thread.

Why here and not in a view: the view only shows state (level, elapsed time,
live segments) and sends commands (pause, resume, stop). The audio path is the
CLI's and the tests': ``MicrophoneCapture`` fed by an ``AudioSource`` (the
microphone, or a file at the hardware edge), every block going to the
``AudioSpool`` on its own writer thread (≤ 0.5 s lost after a crash) and to the
``StreamingTranscriber`` on a worker thread whose new segments come back by
signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from ambientnote.capture.microphone import AudioSource, BlockSink, MicrophoneCapture, SoundDeviceSource
from ambientnote.capture.spool import AudioSpool
from ambientnote.gui.runner import Bridge, error_sentence, lower_priority
from ambientnote.store.session import Session

SourceFactory = Callable[[str | None], AudioSource]


def default_source(device: str | None) -> AudioSource:
    """The real microphone (PortAudio), the only piece tests replace."""
    return SoundDeviceSource(device=int(device) if device and device.isdigit() else device)


def input_devices() -> list[tuple[str, str]]:
    """(id, name) of the input devices PortAudio knows; empty when it is not available."""
    try:
        import sounddevice as sd

        return [(str(i), d["name"]) for i, d in enumerate(sd.query_devices()) if d["max_input_channels"] > 0]
    except Exception:  # noqa: BLE001 (no PortAudio, no devices: the picker says so)
        return []


class GatedSource:
    """Wraps a source so Pause drops blocks at the edge: paused audio is neither spooled nor transcribed."""

    def __init__(self, inner: AudioSource) -> None:
        self.inner = inner
        self.paused = False

    def start(self, sink: BlockSink) -> None:
        self.inner.start(lambda block: None if self.paused else sink(block))

    def stop(self) -> None:
        self.inner.stop()


class Recording(QObject):
    """One visit being recorded. Signals carry results to the GUI thread.

    Even opening the device and creating the spool (fsyncs) happen on the
    recording's thread: Record returns at once and the window never stalls.
    """

    segments = Signal(list)  # newly stable live segments
    finished = Signal(object, object)  # Transcript, audio (np.ndarray)
    failed = Signal(str)

    def __init__(self, session: Session, home: Path, source_factory: Callable[[], AudioSource], patient_label: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys = (session.store.data_key, session.store.store_id, session.account)
        self.home, self.label, self.source_factory = home, patient_label, source_factory
        self.spool: AudioSpool | None = None
        self.gate: GatedSource | None = None
        self.capture: MicrophoneCapture | None = None
        self._paused = False
        self._stop = threading.Event()
        self._bridge = Bridge(self)
        self.state = "idle"

    @property
    def level(self) -> float:
        return self.capture.level if self.capture else 0.0

    @property
    def seconds(self) -> float:
        return self.capture.seconds if self.capture else 0.0

    def start(self) -> None:
        """Start at once; the device opens, and the transcriber loads, on the recording's thread."""
        self.state = "recording"
        threading.Thread(target=self._run, name="recording", daemon=True).start()

    def pause(self) -> None:
        self._set_paused(True)
        self.state = "paused"

    def resume(self) -> None:
        self._set_paused(False)
        self.state = "recording"

    def _set_paused(self, paused: bool) -> None:
        self._paused = paused
        if self.gate is not None:
            self.gate.paused = paused

    def stop(self) -> None:
        """Stop capturing; the transcriber drains its queue, then ``finished`` arrives."""
        if self.state in ("recording", "paused"):
            self.state = "stopping"
            self._stop.set()
            if self.capture is not None and self.capture.running:
                self.capture.stop()

    def set_label(self, label: str) -> None:
        self.label = label
        if self.spool is not None:
            self.spool.set_label(label)

    def _run(self) -> None:
        data_key, store_id, account = self._keys
        lower_priority()
        try:
            self.spool = AudioSpool(data_key, store_id, self.home, account=account, patient_label=self.label)
            self.gate = GatedSource(self.source_factory())
            self.gate.paused = self._paused
            capture = MicrophoneCapture(self.gate, on_block=self.spool.write)
            capture.start()
            self.capture = capture
        except Exception as exc:  # noqa: BLE001 (no microphone, disk full: one sentence)
            if self.spool is not None:
                self.spool.discard()
            self.state = "failed"
            self._bridge.post(self.failed.emit, error_sentence(exc))
            return
        if self._stop.is_set():
            capture.stop()
        self._transcribe()

    def _transcribe(self) -> None:
        try:
            from ambientnote.asr import StreamingTranscriber

            transcriber = StreamingTranscriber()
            assert self.capture is not None and self.spool is not None
            for block in self.capture.blocks():
                new = transcriber.feed(block)
                if new:
                    self._bridge.post(self.segments.emit, new)
            transcript = transcriber.finish()
            self.spool.close()
            audio = self.spool.read_audio()
        except Exception as exc:  # noqa: BLE001 (the spool keeps the audio; the user reads one sentence)
            self.capture.stop()
            if self.spool is not None:
                self.spool.close()
            self.state = "failed"
            self._bridge.post(self.failed.emit, error_sentence(exc))
            return
        self.state = "stopped"
        self._bridge.post(self.finished.emit, transcript, audio)

    def discard(self) -> None:
        """Forget the spool (after the encounter is saved, or on the clinician's request)."""
        if self.spool is not None:
            self.spool.discard()


def audio_duration(audio: np.ndarray) -> float:
    from ambientnote.capture.audio import SAMPLE_RATE

    return audio.size / SAMPLE_RATE
