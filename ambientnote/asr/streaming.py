"""Transcribing while the consultation goes on: audio blocks in, stable segments out.

The recorder feeds blocks as they arrive (any size). Every half second of new
audio the Silero VAD looks at the audio not yet transcribed; speech chunks
that have ended (followed by silence) are packed into a window and recognised
once the window is long enough or the room has gone quiet, exactly as the
batch transcriber would, so text and timings of a segment never change once
``feed`` has returned it. Voices are re-clustered over everything heard so far
each time, so a live segment's ``speaker``/``role`` is provisional;
``finish()`` returns the authoritative transcript (speaker turns, ids s1…).
Only audio not yet transcribed is kept: memory stays flat over a long visit.
"""

from __future__ import annotations

import numpy as np

from ambientnote.asr.batch import assemble_transcript, recognise_window
from ambientnote.asr.engine import load_asr_model, vocabulary_prompt
from ambientnote.asr.windows import Span, group_windows, speech_chunks
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.speakers import label_speakers, print_for
from ambientnote.transcript import Segment, Transcript

VAD_EVERY_S = 0.5
WINDOW_READY_S = 12.0  # recognise once this much finished speech is waiting…
QUIET_READY_S = 1.5  # …or once the room has been quiet this long after it


class StreamingTranscriber:
    """``feed(block)`` → newly stable segments; ``finish()`` → the whole ``Transcript``."""

    def __init__(
        self, *, model: str | None = None, vocabulary: bool | None = None, on_progress: ProgressCallback = no_progress
    ) -> None:
        self.model = load_asr_model(model, on_progress)
        self._vocab = vocabulary_prompt(vocabulary)
        self._pending = np.zeros(0, dtype=np.float32)  # audio not yet transcribed
        self._base = 0  # absolute sample index of _pending[0]
        self._since_vad = 0
        self._language: str | None = None
        self._utterances: list[Segment] = []
        self._prints: list[np.ndarray] = []
        self._finished = False

    @property
    def seconds(self) -> float:
        """Audio received so far."""
        return (self._base + self._pending.size) / SAMPLE_RATE

    def feed(self, block: np.ndarray) -> list[Segment]:
        """Add 16 kHz mono float32 audio; returns the segments that became stable (maybe none)."""
        if self._finished:
            raise RuntimeError("feed() after finish()")
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        self._pending = np.concatenate([self._pending, block])
        self._since_vad += block.size
        if self._since_vad < VAD_EVERY_S * SAMPLE_RATE:
            return []
        self._since_vad = 0
        chunks = speech_chunks(self._pending)
        closed = [c for c in chunks if c.end < self._pending.size]
        if not closed:
            self._drop_silence(chunks)
            return []
        span = (closed[-1].end - closed[0].start) / SAMPLE_RATE
        quiet = (self._pending.size - closed[-1].end) / SAMPLE_RATE
        still_talking = len(chunks) > len(closed)
        if span < WINDOW_READY_S and (still_talking or quiet < QUIET_READY_S):
            return []
        return self._recognise(closed, upto=closed[-1].end)

    def finish(self) -> Transcript:
        """Recognise what is left and return the transcript (``NoSpeechError`` if nothing was said)."""
        if not self._finished:
            self._finished = True
            chunks = speech_chunks(self._pending)
            if chunks:
                self._recognise(chunks, upto=self._pending.size)
        return assemble_transcript(
            self._utterances,
            self._prints,
            duration=self.seconds,
            model=self.model.name,
            language=self._language or "en",
            what="the recording",
        )

    def _drop_silence(self, chunks: list[Span]) -> None:
        """Forget leading silence so a quiet room does not grow the buffer (keep 1 s of context)."""
        keep_from = chunks[0].start if chunks else self._pending.size
        cut = max(0, keep_from - SAMPLE_RATE)
        if cut:
            self._pending = self._pending[cut:]
            self._base += cut

    def _recognise(self, chunks: list[Span], upto: int) -> list[Segment]:
        new: list[Segment] = []
        for window in group_windows(chunks):
            absolute = Span(self._base + window.start, self._base + window.end)
            pieces, self._language = recognise_window(
                self.model, self._audio_for(absolute), window.local(),
                vocab=self._vocab, language=self._language,
            )
            offset = absolute.start / SAMPLE_RATE
            pieces = [_shift(p, offset) for p in pieces]
            self._prints += [print_for(self._pending, p, offset=self._base / SAMPLE_RATE) for p in pieces]
            new += pieces
        first = len(self._utterances)
        self._utterances += new
        self._pending = self._pending[upto:]
        self._base += upto
        if not new:
            return []
        labelled = label_speakers(self._utterances, np.array(self._prints))[first:]
        for n, seg in enumerate(labelled, start=first + 1):
            seg.id = f"u{n}"
        return labelled

    def _audio_for(self, span: Span) -> np.ndarray:
        return self._pending[span.start - self._base : span.end - self._base]


def _shift(segment: Segment, offset: float) -> Segment:
    words = [
        w.model_copy(update={"start": round(w.start + offset, 3), "end": round(w.end + offset, 3)})
        for w in segment.words
    ]
    return segment.model_copy(
        update={"start": round(segment.start + offset, 3), "end": round(segment.end + offset, 3), "words": words}
    )

