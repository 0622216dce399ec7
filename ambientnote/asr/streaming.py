"""Transcribing while the consultation goes on: live lines within seconds, the careful transcript by Stop.

Two passes read the same audio. The live pass recognises each speech chunk as
soon as it ends, with a small model (``LIVE_MODEL``) whose encoder reads 15 s
rather than 30 s (``LIVE_CONTEXT_S``), no temperature fallback and no
vocabulary prompt, cutting a long answer at its last pause after at most
``LIVE_CHUNK_S``: that is what ``feed`` returns and the clinician watches. The
final pass decodes exactly as the batch transcriber does (the configured
model, beam search, vocabulary prompt, windows of ~12 s cut at pauses) on a
background thread of lower priority, so it never holds the live lines back
yet keeps up over the visit; ``finish()`` recognises only what it has not
reached and returns the authoritative transcript (speaker turns, ids s1…).
Before, one pass did both, and the live text waited for a 12 s window to fill
and for the beam search with its prompt: 13-30 s behind the speaker.

Voices are re-clustered over everything the live pass heard each time, so a
live line's ``speaker``/``role`` is provisional. Each pass keeps only the audio
it has not recognised yet: memory stays flat over a long visit.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from ambientnote.asr.batch import assemble_transcript, recognise_window
from ambientnote.asr.engine import (
    DEFAULT_POLICY,
    DecodePolicy,
    LoadedModel,
    background_priority,
    load_asr_model,
    vocabulary_prompt,
)
from ambientnote.asr.windows import MAX_WINDOW_S, MIN_SILENCE_MS, Span, Window, group_windows, speech_chunks
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.config import Settings
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.speakers import label_speakers, print_for
from ambientnote.transcript import Segment, Transcript

VAD_EVERY_S = 0.25  # the live pass looks for ended speech this often; the final pass every other time
WINDOW_READY_S = 12.0  # the final pass recognises once this much finished speech is waiting…
QUIET_READY_S = 1.5  # …or once the room has been quiet this long after it
LIVE_MODEL = "tiny.en"
# A live line waits for at most this much speech (3 s cut answers mid-phrase: "for about a week" became
# "Follow them out and leave")…
LIVE_CHUNK_S = 4.0
LIVE_SILENCE_MS = 200  # …or ends after this much silence (300 ms: 0.1 s later, same WER; final: MIN_SILENCE_MS)
LIVE_CONTEXT_S = 15.0  # the live encoder reads 15 s, not Whisper's 30 s: half the decode time (short_context)
LIVE_POLICY = DecodePolicy(temperature_fallback=False)  # greedy misheard short lines: "Did you injure it?"
MIN_CLUSTERED = 3  # voices are told apart from this many live utterances on

Recognised = tuple[list[Segment], list[np.ndarray]]


class StreamingTranscriber:
    """``feed(block)`` → new live lines; ``finish()`` → the whole ``Transcript``."""

    def __init__(
        self,
        *,
        cfg: Settings,
        model: str | None = None,
        vocabulary: bool | None = None,
        live_model: str = LIVE_MODEL,
        on_progress: ProgressCallback = no_progress,
    ) -> None:
        self._cfg = cfg  # the model, threads, beam size and vocabulary when not given here
        self.model = load_asr_model(model, on_progress, cfg=cfg, background=True)
        self._live_model = load_asr_model(live_model, on_progress, cfg=cfg, context_s=LIVE_CONTEXT_S)
        self._vocab = vocabulary_prompt(vocabulary, cfg=cfg)
        self._live = _SpeechBuffer(LIVE_CHUNK_S, LIVE_SILENCE_MS)
        self._final = _SpeechBuffer(MAX_WINDOW_S, MIN_SILENCE_MS)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asr-final",
                                          initializer=background_priority)
        self._jobs: list[Future[Recognised]] = []
        self._final_language: str | None = None
        self._live_language: str | None = None
        self._utterances: list[Segment] = []  # live
        self._prints: list[np.ndarray] = []
        self._since_vad = 0
        self._looks = 0
        self._finished = False
        self._closed = False

    @property
    def seconds(self) -> float:
        """Audio received so far."""
        return self._final.end / SAMPLE_RATE

    def feed(self, block: np.ndarray) -> list[Segment]:
        """Add 16 kHz mono float32 audio; returns the live lines recognised since (maybe none)."""
        if self._finished:
            raise RuntimeError("feed() after finish()")
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        self._live.add(block)
        self._final.add(block)
        self._since_vad += block.size
        if self._since_vad < VAD_EVERY_S * SAMPLE_RATE:
            return []
        self._since_vad = 0
        self._looks += 1
        if self._looks % 2 == 0:
            self._queue_final()
        return self._recognise_live()

    def finish(self) -> Transcript:
        """Recognise what is left and return the transcript (``NoSpeechError`` if nothing was said)."""
        if self._closed:
            raise RuntimeError("finish() after close()")
        if not self._finished:
            self._finished = True
            chunks = self._final.chunks()
            if chunks:
                self._submit(chunks, upto=self._final.audio.size)
            self._worker.shutdown(wait=True)
        utterances: list[Segment] = []
        prints: list[np.ndarray] = []
        for job in self._jobs:
            pieces, voice_prints = job.result()
            utterances += pieces
            prints += voice_prints
        return assemble_transcript(
            utterances,
            prints,
            duration=self.seconds,
            model=self.model.name,
            language=self._final_language or "en",
            what="the recording",
        )

    def close(self) -> None:
        """Stop the final pass without a transcript: windows still queued are dropped, and the background
        thread ends once the window it is decoding is done (a recording set aside is never transcribed, so
        it must not keep the cores busy). ``finish`` after ``close`` is an error; ``close`` after ``finish``
        does nothing."""
        if not self._finished:
            self._finished = self._closed = True
        self._worker.shutdown(wait=False, cancel_futures=True)

    def _recognise_live(self) -> list[Segment]:
        """Every speech chunk that has ended, recognised now: the live lines."""
        chunks = self._live.chunks()
        closed = [c for c in chunks if c.end < self._live.audio.size]
        if not closed:
            self._live.drop_silence(chunks)
            return []
        first = len(self._utterances)
        for clip, window, offset in self._live.take(closed, upto=closed[-1].end):
            pieces, prints, self._live_language = _recognise(
                self._live_model, clip, window, offset, vocab="", language=self._live_language, policy=LIVE_POLICY,
                cfg=self._cfg,
            )
            self._utterances += pieces
            self._prints += prints
        return self._label(first)

    def _label(self, first: int) -> list[Segment]:
        """Speakers and roles for the live utterances from ``first`` on, ids u1…

        Voices cannot be told apart from fewer than ``MIN_CLUSTERED``
        utterances, so until then each line gets the role its own words
        suggest ("What brings you in today?" the clinician, "my knee hurts"
        the patient) rather than all being one voice.
        """
        if len(self._utterances) < MIN_CLUSTERED:
            labelled = [
                label_speakers([u], np.array([p]))[0]
                for u, p in zip(self._utterances[first:], self._prints[first:], strict=True)
            ]
        else:
            labelled = label_speakers(self._utterances, np.array(self._prints))[first:]
        for n, seg in enumerate(labelled, start=first + 1):
            seg.id = f"u{n}"
        return labelled

    def _queue_final(self) -> None:
        """Hand the final pass a window once enough finished speech waits or the room has gone quiet."""
        chunks = self._final.chunks()
        closed = [c for c in chunks if c.end < self._final.audio.size]
        if not closed:
            self._final.drop_silence(chunks)
            return
        span = (closed[-1].end - closed[0].start) / SAMPLE_RATE
        quiet = (self._final.audio.size - closed[-1].end) / SAMPLE_RATE
        still_talking = len(chunks) > len(closed)
        if span < WINDOW_READY_S and (still_talking or quiet < QUIET_READY_S):
            return
        self._submit(closed, upto=closed[-1].end)

    def _submit(self, chunks: list[Span], upto: int) -> None:
        for clip, window, offset in self._final.take(chunks, upto):
            self._jobs.append(self._worker.submit(self._recognise_final, clip, window, offset))

    def _recognise_final(self, clip: np.ndarray, window: Window, offset: float) -> Recognised:
        """One final-pass window, on the background thread (one at a time, in order)."""
        pieces, prints, self._final_language = _recognise(
            self.model, clip, window, offset, vocab=self._vocab, language=self._final_language, cfg=self._cfg
        )
        return pieces, prints


class _SpeechBuffer:
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

    def take(self, chunks: list[Span], upto: int) -> list[tuple[np.ndarray, Window, float]]:
        """Windows over ``chunks`` as (audio, window counted from its start, its start in seconds); the audio
        before ``upto`` is then forgotten."""
        windows = [(self.audio[w.start : w.end], w.local(), (self.base + w.start) / SAMPLE_RATE)
                   for w in group_windows(chunks)]
        self.audio = self.audio[upto:]
        self.base += upto
        return windows

    def drop_silence(self, chunks: list[Span]) -> None:
        """Forget leading silence so a quiet room does not grow the buffer (keep 1 s of context)."""
        keep_from = chunks[0].start if chunks else self.audio.size
        cut = max(0, keep_from - SAMPLE_RATE)
        if cut:
            self.audio = self.audio[cut:]
            self.base += cut


def _recognise(
    model: LoadedModel,
    clip: np.ndarray,
    window: Window,
    offset: float,
    *,
    vocab: str,
    language: str | None,
    policy: DecodePolicy = DEFAULT_POLICY,
    cfg: Settings,
) -> tuple[list[Segment], list[np.ndarray], str]:
    """One window starting at ``offset`` seconds → utterances in recording time, their voice prints, the language."""
    pieces, language = recognise_window(model, clip, window, vocab=vocab, language=language, policy=policy, cfg=cfg)
    pieces = [_shift(p, offset) for p in pieces]
    return pieces, [print_for(clip, p, offset=offset) for p in pieces], language


def _shift(segment: Segment, offset: float) -> Segment:
    words = [
        w.model_copy(update={"start": round(w.start + offset, 3), "end": round(w.end + offset, 3)})
        for w in segment.words
    ]
    return segment.model_copy(
        update={"start": round(segment.start + offset, 3), "end": round(segment.end + offset, 3), "words": words}
    )
