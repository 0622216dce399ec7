"""Audio a streaming pass has not recognised yet, and recognising a window of it in recording time.

The live pass, its provisional lines and the final pass each keep such a
buffer: only what is still to be recognised stays in memory, so a long visit
keeps memory flat, and every recognised word is timed from the start of the
recording, not of its buffer.
"""

from __future__ import annotations

import numpy as np

from ambientnote.asr.batch import recognise_window
from ambientnote.asr.engine import DEFAULT_POLICY, DecodePolicy, LoadedModel
from ambientnote.asr.windows import Span, Window, group_windows, speech_chunks
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.config import Settings
from ambientnote.speakers import print_for
from ambientnote.transcript import Segment

Clip = tuple[np.ndarray, Window, float]  # audio, the window counted from its start, its start in recording seconds


class SpeechBuffer:
    """The audio one pass has not recognised yet, and where the speech in it is."""

    def __init__(self, max_chunk_s: float, min_silence_ms: int) -> None:
        self.audio = np.zeros(0, dtype=np.float32)
        self.base = 0  # absolute sample index of audio[0]
        self.max_chunk_s = max_chunk_s
        self.min_silence_ms = min_silence_ms

    @property
    def end(self) -> int:
        return self.base + self.audio.size

    def add(self, block: np.ndarray) -> None:
        self.audio = np.concatenate([self.audio, block])

    def chunks(self) -> list[Span]:
        return speech_chunks(self.audio, self.max_chunk_s, self.min_silence_ms)

    def closed(self, chunks: list[Span]) -> list[Span]:
        """The chunks whose speech has ended (the last one may still be going on)."""
        return [c for c in chunks if c.end < self.audio.size]

    def clips(self, chunks: list[Span]) -> list[Clip]:
        """Windows over ``chunks``, each with its audio, counted from its own start."""
        return [(self.audio[w.start : w.end], w.local(), (self.base + w.start) / SAMPLE_RATE)
                for w in group_windows(chunks)]

    def take(self, chunks: list[Span], upto: int) -> list[Clip]:
        """``clips(chunks)``; the audio before ``upto`` is then forgotten."""
        windows = self.clips(chunks)
        self.audio = self.audio[upto:]
        self.base += upto
        return windows

    def absolute(self, chunks: list[Span]) -> tuple[Span, ...]:
        """``chunks`` in samples from the start of the recording: the same speech whatever was forgotten since."""
        return tuple(Span(self.base + c.start, self.base + c.end) for c in chunks)

    def drop_silence(self, chunks: list[Span]) -> None:
        """Forget leading silence so a quiet room does not grow the buffer (keep 1 s of context)."""
        keep_from = chunks[0].start if chunks else self.audio.size
        cut = max(0, keep_from - SAMPLE_RATE)
        if cut:
            self.audio = self.audio[cut:]
            self.base += cut


def recognise_clip(
    model: LoadedModel,
    clip: Clip,
    *,
    vocab: str,
    language: str | None,
    context: str = "",
    policy: DecodePolicy = DEFAULT_POLICY,
    cfg: Settings,
) -> tuple[list[Segment], list[np.ndarray], str]:
    """One window → utterances in recording time, their voice prints, the language (``context``: the text said
    before it, for the prompt)."""
    audio, window, offset = clip
    pieces, language = recognise_window(model, audio, window, vocab=vocab, language=language, context=context,
                                        policy=policy, cfg=cfg)
    pieces = [_shift(p, offset) for p in pieces]
    return pieces, [print_for(audio, p, offset=offset) for p in pieces], language


def _shift(segment: Segment, offset: float) -> Segment:
    words = [
        w.model_copy(update={"start": round(w.start + offset, 3), "end": round(w.end + offset, 3)})
        for w in segment.words
    ]
    return segment.model_copy(
        update={"start": round(segment.start + offset, 3), "end": round(segment.end + offset, 3), "words": words}
    )
