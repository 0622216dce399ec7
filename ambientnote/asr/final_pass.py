"""The careful transcript, decoded while the visit goes on, so that Stop leaves only the last words to do.

The final pass decodes as the batch transcriber does (the configured model,
beam search, vocabulary prompt, temperature fallback) on one background thread
whose priority is below the live pass's. Its windows are what the batch
transcriber would cut: it waits until ``WINDOW_READY_S`` of finished speech
is pending, or the room has been quiet for ``QUIET_READY_S``, and decodes the
pending speech as one window (shorter windows, measured earlier, made the
transcript worse).

Waiting for a window to fill left up to 12 s of speech, a base-model decode
of 3-8 s on two busy cores, for after Stop. So while the background thread
has nothing else to do, it *guesses ahead*: it decodes the pending speech as
it stands (at most once per ``GUESS_EVERY_S`` of new speech). When the window
is then committed unchanged (the room went quiet) the guess is the window's
result, decoded once; when more speech joined it, the guess is dropped and the
window decoded as before, so the transcript is the same. Only at Stop may a
guess cover the start of what is left: it is kept, and only the speech after
it (the last seconds) is decoded as a window of its own. A guess that is not
used delays the windows after it, so the pass guesses only while it decodes
faster than ``GUESS_BELOW_RTF`` (on a machine busy enough to slow it, every
guess was dropped, and each cost a window 5-15 s).

A sentence still being spoken at Stop ends in half a word, which Whisper
decodes again on its own and loops on; that window's output is capped
(``CUT_POLICY``).
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from ambientnote.asr.batch import previous_context
from ambientnote.asr.engine import DEFAULT_POLICY, DecodePolicy, LoadedModel, background_priority
from ambientnote.asr.pending import Clip, SpeechBuffer, recognise_clip
from ambientnote.asr.windows import MAX_WINDOW_S, MIN_SILENCE_MS, Span
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.config import Settings
from ambientnote.transcript import Segment

WINDOW_READY_S = 12.0  # a window is decoded once this much finished speech is waiting…
QUIET_READY_S = 1.5  # …or once the room has been quiet this long after it
GUESS_EVERY_S = 2.0  # the idle background thread decodes the pending speech again once this much more has ended
GUESS_BELOW_RTF = 0.5  # …while its last window took less than this share of the window's length to decode
CUT_POLICY = replace(DEFAULT_POLICY, max_tokens_per_s=8.0)  # ~3 words a second spoken: twice that, as tokens

Recognised = tuple[list[Segment], list[np.ndarray]]


@dataclass
class _Guess:
    """The pending speech decoded ahead: its chunks (in recording samples) and the decodes of their windows."""

    chunks: tuple[Span, ...]
    jobs: list[Future[Recognised]]


class FinalPass:
    """``add`` audio, ``look`` for speech to decode now and then, ``finish`` → utterances, voice prints, language."""

    def __init__(self, model: LoadedModel, *, vocab: str, cfg: Settings) -> None:
        self.model = model
        self._vocab = vocab
        self._cfg = cfg
        self._buffer = SpeechBuffer(MAX_WINDOW_S, MIN_SILENCE_MS)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asr-final",
                                          initializer=background_priority)
        self._jobs: list[Future[Recognised]] = []
        self._guess: _Guess | None = None
        self._rtf = 1.0  # how long the last window took to decode, per second of its audio (none yet: slow)
        self.language: str | None = None

    @property
    def end(self) -> int:
        """Samples received so far."""
        return self._buffer.end

    def busy(self) -> bool:
        """Whether a window of the transcript is waiting or being decoded (a guess ahead does not count)."""
        return not all(job.done() for job in self._jobs)

    def add(self, block: np.ndarray) -> None:
        self._buffer.add(block)

    def look(self) -> None:
        """Hand the background thread a window once it is ready, or a guess ahead when it is idle."""
        buffer = self._buffer
        chunks = buffer.chunks()
        closed = buffer.closed(chunks)
        if not closed:
            buffer.drop_silence(chunks)
            return
        span = (closed[-1].end - closed[0].start) / SAMPLE_RATE
        quiet = (buffer.audio.size - closed[-1].end) / SAMPLE_RATE
        still_talking = len(chunks) > len(closed)
        if span >= WINDOW_READY_S or not (still_talking or quiet < QUIET_READY_S):
            self._commit(closed, upto=closed[-1].end, at_stop=False)
        elif self.idle() and self._rtf < GUESS_BELOW_RTF and span >= self._guessed_s() + GUESS_EVERY_S:
            self._guess = _Guess(buffer.absolute(closed), self._submit(buffer.clips(closed)))

    def finish(self) -> tuple[list[Segment], list[np.ndarray], str | None]:
        """Decode what is left (a guess ahead kept for the speech it covers) and return everything, in order."""
        chunks = self._buffer.chunks()
        if chunks:
            cut = chunks[-1].end >= self._buffer.audio.size  # a sentence was still being spoken
            self._commit(chunks, upto=self._buffer.audio.size, at_stop=True, cut=cut)
        self._worker.shutdown(wait=True)
        utterances: list[Segment] = []
        prints: list[np.ndarray] = []
        for job in self._jobs:
            pieces, voice_prints = job.result()
            utterances += pieces
            prints += voice_prints
        return utterances, prints, self.language

    def close(self) -> None:
        """Drop the queued windows; the background thread ends once the window it is decoding is done."""
        self._worker.shutdown(wait=False, cancel_futures=True)

    def _commit(self, chunks: list[Span], upto: int, *, at_stop: bool, cut: bool = False) -> None:
        """Decode ``chunks`` as the transcript's windows, reusing the guess ahead where it covers them; ``cut``:
        the last one was cut off by Stop."""
        guess, self._guess = self._guess, None
        key = self._buffer.absolute(chunks)
        if guess is not None and (key == guess.chunks or at_stop and key[: len(guess.chunks)] == guess.chunks):
            self._jobs += guess.jobs
            chunks = chunks[len(guess.chunks):]
        elif guess is not None:
            for job in guess.jobs:  # more speech joined the window: the guess is not what it will be
                job.cancel()
        self._jobs += self._submit(self._buffer.take(chunks, upto), cut=cut)

    def idle(self) -> bool:
        """Whether the background thread has nothing to do (no window, no guess ahead)."""
        return all(job.done() for job in self._jobs + (self._guess.jobs if self._guess else []))

    def _guessed_s(self) -> float:
        """Speech the current guess ahead covers (0 when there is none)."""
        chunks = self._guess.chunks if self._guess else ()
        return (chunks[-1].end - chunks[0].start) / SAMPLE_RATE if chunks else 0.0

    def _submit(self, clips: list[Clip], *, cut: bool = False) -> list[Future[Recognised]]:
        last = len(clips) - 1
        return [self._worker.submit(self._recognise, clip, CUT_POLICY if cut and n == last else DEFAULT_POLICY)
                for n, clip in enumerate(clips)]

    def _recognise(self, clip: Clip, policy: DecodePolicy) -> Recognised:
        """One window, on the background thread (one at a time, in order)."""
        began = time.monotonic()
        context = previous_context(self._recognised()) if policy.previous_text else ""
        pieces, prints, self.language = recognise_clip(self.model, clip, vocab=self._vocab, language=self.language,
                                                       context=context, policy=policy, cfg=self._cfg)
        self._rtf = (time.monotonic() - began) / max(clip[0].size / SAMPLE_RATE, 1.0)
        return pieces, prints

    def _recognised(self) -> list[Segment]:
        """The utterances of the transcript's windows decoded so far, in order: the context of the next window.

        Windows are decoded one at a time, in order, and a guess ahead only while every committed window is done
        (its own windows follow them), so this is the text before the window being decoded, as the batch
        transcriber has it.
        """
        guess = self._guess  # set and cleared by the caller's thread
        jobs = list(self._jobs) + (list(guess.jobs) if guess else [])
        pieces: list[Segment] = []
        for job in reversed(jobs):  # the last few are enough (``previous_context`` keeps ~200 characters)
            if job.done() and not job.cancelled() and job.exception() is None:
                pieces = job.result()[0] + pieces
                if len(pieces) >= 8:
                    break
        return pieces
