"""Live capture: audio blocks from a microphone, or from a file fed at the hardware edge.

``MicrophoneCapture`` is what the recorder uses. It does not care where blocks
come from: an ``AudioSource`` pushes 16 kHz mono float32 blocks into it. The
real source is ``SoundDeviceSource`` (PortAudio via sounddevice, imported only
when recording starts, so a machine without PortAudio can still transcribe
files); tests and demos use ``FileSource``, which feeds a recording through the
very same path, optionally at real-time pace.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ambientnote.capture.audio import SAMPLE_RATE, load_audio, to_mono_16k
from ambientnote.capture.quality import source_rate
from ambientnote.errors import InputError

if TYPE_CHECKING:  # imported when recording starts (a machine without PortAudio still transcribes files)
    import sounddevice

log = logging.getLogger(__name__)
BlockSink = Callable[[np.ndarray], None]


class AudioSource(Protocol):
    """Something that pushes 16 kHz mono float32 blocks to a sink until stopped."""

    def start(self, sink: BlockSink) -> None: ...

    def stop(self) -> None: ...


class SoundDeviceSource:
    """The default input device through PortAudio (sounddevice)."""

    def __init__(self, device: int | str | None = None, block_seconds: float = 0.1) -> None:
        self.device = device
        self.block_seconds = block_seconds
        self.source_rate: int | None = None  # the rate the device records at (capture.quality judges it)
        self._stream: sounddevice.InputStream | None = None

    def start(self, sink: BlockSink) -> None:
        try:
            import sounddevice as sd  # optional: PortAudio loads only when recording
        except (ImportError, OSError) as exc:
            raise InputError(
                "Recording needs the PortAudio library, which is not installed; install it (libportaudio2) "
                "or import a recording file instead."
            ) from exc
        try:
            info = sd.query_devices(self.device, "input")
            rate = SAMPLE_RATE
            try:
                sd.check_input_settings(device=self.device, channels=1, samplerate=SAMPLE_RATE, dtype="float32")
            except (sd.PortAudioError, ValueError):  # the device cannot record 16 kHz: record natively, resample here
                rate = int(info["default_samplerate"])
            self.source_rate = rate

            # PortAudio's thread
            def callback(indata: np.ndarray, frames: int, time_info: object, status: sd.CallbackFlags) -> None:
                if status:
                    log.debug("audio input status: %s", status)
                sink(to_mono_16k(indata.copy(), rate))

            self._stream = sd.InputStream(
                device=self.device,
                channels=1,
                samplerate=rate,
                dtype="float32",
                blocksize=int(rate * self.block_seconds),
                callback=callback,
            )
            self._stream.start()
        except sd.PortAudioError as exc:
            raise InputError(
                "No microphone could be opened; connect one or check the system's sound settings."
            ) from exc
        except ValueError as exc:  # query_devices: no input device at all
            raise InputError("No microphone was found; connect one or import a recording file instead.") from exc

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None


class FileSource:
    """Feeds a recording (or an array) block by block: the microphone's stand-in at the hardware edge."""

    def __init__(
        self,
        audio: Path | np.ndarray,
        block_seconds: float = 0.5,
        realtime: bool = False,
    ) -> None:
        self.audio = audio if isinstance(audio, np.ndarray) else load_audio(Path(audio))
        self.source_rate = None if isinstance(audio, np.ndarray) else source_rate(Path(audio))  # before resampling
        self.block = max(1, int(SAMPLE_RATE * block_seconds))
        self.realtime = realtime
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.finished = threading.Event()

    def start(self, sink: BlockSink) -> None:
        def run() -> None:
            begin = time.monotonic()
            for n, offset in enumerate(range(0, self.audio.size, self.block)):
                if self._stop.is_set():
                    break
                if self.realtime:
                    delay = begin + n * self.block / SAMPLE_RATE - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                sink(self.audio[offset : offset + self.block])
            self.finished.set()

        self._thread = threading.Thread(target=run, name="file-audio-source", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


class MicrophoneCapture:
    """Collects blocks from an ``AudioSource`` for a consumer thread (the streaming transcriber).

    ``blocks()`` yields blocks until ``stop()``; ``level`` is the RMS of the
    latest block (for a VU meter); ``seconds`` how much audio has arrived.
    An optional ``on_block`` also receives every block (e.g. the crash-safe spooler).
    """

    def __init__(self, source: AudioSource | None = None, on_block: BlockSink | None = None) -> None:
        self.source: AudioSource = source if source is not None else SoundDeviceSource()
        self.on_block = on_block
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self.level = 0.0
        self.samples = 0
        self.running = False

    @property
    def seconds(self) -> float:
        return self.samples / SAMPLE_RATE

    def _sink(self, block: np.ndarray) -> None:
        block = np.asarray(block, dtype=np.float32)
        self.samples += block.size
        self.level = float(np.sqrt(np.mean(block**2))) if block.size else 0.0
        if self.on_block is not None:
            self.on_block(block)
        self._queue.put(block)

    def start(self) -> None:
        self.source.start(self._sink)
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.source.stop()
            self.running = False
            self._queue.put(None)

    def blocks(self, timeout: float | None = None) -> Iterator[np.ndarray]:
        """Blocks in arrival order; ends after ``stop()`` once the queue is drained."""
        while True:
            try:
                block = self._queue.get(timeout=timeout)
            except queue.Empty:
                return
            if block is None:
                return
            yield block

    def __enter__(self) -> MicrophoneCapture:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
