"""Silero VAD: where the speech is, and how it is grouped into Whisper windows.

Whisper reads 30 s at a time and hallucinates on silence, so only speech goes
in: the VAD (the Silero ONNX model bundled in faster-whisper, no download)
finds speech chunks, and consecutive chunks are packed into windows of at
most ``MAX_WINDOW_S``, cut at pauses. A window remembers the pauses inside it:
people take turns at pauses, so what Whisper recognised across one is cut
there before voices are told apart. Batch and streaming use the same VAD
settings, so the same recording gives the same windows up to where the
streaming side had to decide early.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ambientnote.capture.audio import SAMPLE_RATE

MAX_WINDOW_S = 28.0
MAX_INNER_GAP_S = 3.0  # a longer silence starts a new window rather than feeding Whisper silence
MIN_SILENCE_MS = 500
SPEECH_PAD_MS = 200


@dataclass(frozen=True)
class Span:
    """A stretch of audio in samples, ``end`` exclusive."""

    start: int
    end: int

    @property
    def seconds(self) -> float:
        return (self.end - self.start) / SAMPLE_RATE


@dataclass(frozen=True)
class Window(Span):
    """Speech chunks packed together; ``pauses`` are the middles of the silences between them (samples)."""

    pauses: tuple[int, ...] = ()

    def local(self) -> Window:
        """The same window counted from its own first sample."""
        return Window(0, self.end - self.start, tuple(p - self.start for p in self.pauses))

    def pause_seconds(self) -> list[float]:
        return [p / SAMPLE_RATE for p in self.pauses]


def speech_chunks(
    audio: np.ndarray, max_seconds: float = MAX_WINDOW_S, min_silence_ms: int = MIN_SILENCE_MS
) -> list[Span]:
    """Speech chunks found by Silero VAD (an unfinished chunk runs to the end of ``audio``).

    A chunk longer than ``max_seconds`` is cut at its last short pause (or
    hard, if it has none), and a chunk ends after ``min_silence_ms`` of
    silence: the live pass asks for short chunks, ended sooner, so that a long
    answer is shown sentence by sentence rather than when the speaker stops.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps  # heavy: loaded only when transcribing

    if audio.size < 512:
        return []
    options = VadOptions(
        min_silence_duration_ms=min_silence_ms,
        speech_pad_ms=SPEECH_PAD_MS,
        max_speech_duration_s=max_seconds,
        min_speech_duration_ms=250,
    )
    return [Span(c["start"], min(c["end"], audio.size)) for c in get_speech_timestamps(audio, options)]


def group_windows(chunks: list[Span], max_seconds: float = MAX_WINDOW_S) -> list[Window]:
    """Pack consecutive chunks into windows of at most ``max_seconds`` with no long silence inside."""
    windows: list[Window] = []
    for chunk in chunks:
        if windows:
            last = windows[-1]
            gap = (chunk.start - last.end) / SAMPLE_RATE
            if gap <= MAX_INNER_GAP_S and (chunk.end - last.start) / SAMPLE_RATE <= max_seconds:
                windows[-1] = Window(last.start, chunk.end, (*last.pauses, (last.end + chunk.start) // 2))
                continue
        windows.append(Window(chunk.start, chunk.end))
    return windows
