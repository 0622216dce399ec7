"""A recording in progress, microphone or audio file: capture → encrypted spool, capture → live transcript.

Why one recorder for both: an imported file must reach the store the way a
visit recorded in the room does (spooled encrypted as it is read, transcribed
by the same streaming transcriber, recoverable after a crash), so the only
difference is the ``AudioSource``: the microphone, or a ``FileSource`` that
ends by itself (``until_end``). Everything runs on the recorder's own threads
and reports through callbacks, which run on those threads; a face hands them
to its own thread (the desktop app's ``gui.recording`` does it with a signal).
Nothing here imports Qt.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ambientnote.asr import StreamingTranscriber
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.capture.microphone import AudioSource, BlockSink, FileSource, MicrophoneCapture, SoundDeviceSource
from ambientnote.capture.quality import audio_warnings
from ambientnote.capture.spool import AudioSpool
from ambientnote.errors import error_sentence
from ambientnote.store.session import Session
from ambientnote.transcript import Segment, Transcript

SourceFactory = Callable[[str | None], AudioSource]
Segments = Callable[[list[Segment]], None]
Finished = Callable[[Transcript, np.ndarray], None]
Failed = Callable[[str], None]


def lower_priority() -> None:
    """Make the calling worker thread (and the threads it starts: OpenMP, llama.cpp) yield to the face's thread.

    On two cores, transcription and drafting threads would otherwise crowd the
    GUI thread out for 100–200 ms at a time; a nice of +10 keeps the window
    responsive and costs the workers almost nothing (the GUI thread is idle
    most of the time). Linux only; elsewhere a no-op.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


def default_source(device: str | None) -> AudioSource:
    """The real microphone (PortAudio), the only piece tests replace."""
    return SoundDeviceSource(device=int(device) if device and device.isdigit() else device)


def input_devices() -> list[tuple[str, str]]:
    """(id, name) of the input devices PortAudio knows; empty when it is not available."""
    try:
        import sounddevice as sd  # inside the try: without PortAudio the import itself fails

        return [(str(i), d["name"]) for i, d in enumerate(sd.query_devices()) if d["max_input_channels"] > 0]
    except Exception:  # noqa: BLE001 (no PortAudio, no devices: the picker says so)
        return []


def file_source(path: Path) -> AudioSource:
    """An audio file read as fast as the transcriber takes it (decoded in memory: no plaintext copy on disk)."""
    return FileSource(path, block_seconds=0.5)


class GatedSource:
    """Wraps a source so Pause drops blocks at the edge: paused audio is neither spooled nor transcribed."""

    def __init__(self, inner: AudioSource) -> None:
        self.inner = inner
        self.paused = False

    def start(self, sink: BlockSink) -> None:
        self.inner.start(lambda block: None if self.paused else sink(block))

    def stop(self) -> None:
        self.inner.stop()


def _ignore(*_args: object) -> None:
    return None


class VisitRecorder:
    """One visit being recorded: ``start()``, ``pause()``/``resume()``, ``stop()``; results arrive by callback.

    Even opening the device and creating the spool (fsyncs) happen on the
    recorder's thread: ``start`` returns at once. ``state`` goes idle →
    recording ⇄ paused → stopping → stopped (or failed, or set aside). With ``until_end`` the
    recorder stops itself when the source has given its last block (an imported file).

    A recording outlives its store session: it holds the keys it spools with, so locking the app (which
    closes the session) neither stops nor loses it. ``set_aside()`` ends it without transcribing and leaves
    the encrypted spool for its owner to recover, as after a crash (another account unlocked the app).
    """

    def __init__(self, session: Session, home: Path, source_factory: Callable[[], AudioSource], patient_label: str,
                 *, on_segments: Segments = _ignore, on_finished: Finished = _ignore, on_failed: Failed = _ignore,
                 until_end: bool = False) -> None:
        self._keys = (session.account_key().public, session.store.store_id, session.account)
        self._cfg = session.settings  # the speech model, threads, beam size and vocabulary it transcribes by
        self.home, self.label, self.source_factory = home, patient_label, source_factory
        self.on_segments, self.on_finished, self.on_failed = on_segments, on_finished, on_failed
        self.until_end = until_end
        self.spool: AudioSpool | None = None
        self.gate: GatedSource | None = None
        self.capture: MicrophoneCapture | None = None
        self._paused = False
        self._stop = threading.Event()
        self._set_aside = False
        self.state = "idle"

    @property
    def account(self) -> str:
        """Whose recording this is (the account it is spooled for and may be recovered by)."""
        return self._keys[2]

    @property
    def store_id(self) -> str:
        return self._keys[1]

    @property
    def level(self) -> float:
        return self.capture.level if self.capture else 0.0

    @property
    def seconds(self) -> float:
        return self.capture.seconds if self.capture else 0.0

    def start(self) -> None:
        """Start at once; the device opens, and the transcriber loads, on the recorder's thread."""
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
        """Stop capturing; the transcriber drains its queue, then ``on_finished`` is called."""
        if self.state in ("recording", "paused"):
            self.state = "stopping"
            self._stop.set()
            if self.capture is not None and self.capture.running:
                self.capture.stop()

    def set_aside(self) -> None:
        """Stop capturing and close the spool without transcribing; nothing is reported. The spool stays on
        disk, encrypted, and its owner is offered it for recovery at their next unlock (``visits.recover``)."""
        self._set_aside = True
        if self.state in ("recording", "paused", "stopping"):
            self.state = "stopping"
            self._stop.set()
            if self.capture is not None and self.capture.running:
                self.capture.stop()

    def set_label(self, label: str) -> None:
        self.label = label
        if self.spool is not None:
            self.spool.set_label(label)

    def _run(self) -> None:
        public_key, store_id, account = self._keys
        lower_priority()
        try:
            self.spool = AudioSpool(public_key, store_id, self.home, account=account, patient_label=self.label)
            self.gate = GatedSource(self.source_factory())
            self.gate.paused = self._paused
            capture = MicrophoneCapture(self.gate, on_block=self.spool.write)
            capture.start()
            self.capture = capture
        except Exception as exc:  # noqa: BLE001 (no microphone, not audio, disk full: one sentence)
            if self.spool is not None:
                self.spool.discard()
            self.state = "failed"
            self.on_failed(error_sentence(exc))
            return
        if self.until_end:
            threading.Thread(target=self._stop_at_end, name="recording-end", daemon=True).start()
        if self._stop.is_set():
            capture.stop()
        self._transcribe()

    def _stop_at_end(self) -> None:
        finished = getattr(self.gate.inner if self.gate else None, "finished", None)
        if finished is not None:
            finished.wait()
            self.stop()

    def _transcribe(self) -> None:
        assert self.capture is not None and self.spool is not None
        try:
            transcriber = StreamingTranscriber(cfg=self._cfg)
            try:
                for block in self.capture.blocks():
                    if self._set_aside:
                        break
                    new = transcriber.feed(block)
                    if new:
                        self.on_segments(new)
                if self._set_aside:
                    self.capture.stop()
                    self.spool.close()  # the last half second to disk; the owner's lock on the spool is released
                    self.state = "set aside"
                    return
                transcript = transcriber.finish()
            finally:
                transcriber.close()  # set aside or failed: the background pass stops too
            self.spool.close()
            audio = self.spool.read_audio()
            # the audio's quality is said on the draft, before the note
            transcript.warnings = audio_warnings(audio, getattr(self.gate and self.gate.inner, "source_rate", None))
        except Exception as exc:  # noqa: BLE001 (the spool keeps the audio; the user reads one sentence)
            self.capture.stop()
            self.spool.close()
            self.state = "failed"
            self.on_failed(error_sentence(exc))
            return
        self.state = "stopped"
        self.on_finished(transcript, audio)

    def discard(self) -> None:
        """Forget the spool (after the encounter is saved, or on the clinician's request)."""
        if self.spool is not None:
            self.spool.discard()


def audio_duration(audio: np.ndarray) -> float:
    return audio.size / SAMPLE_RATE
