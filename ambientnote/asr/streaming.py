"""Transcribing while the consultation goes on: live lines within seconds, the careful transcript by Stop.

Two passes read the same audio. The live pass recognises each speech chunk as
soon as it ends, with a small model (``LIVE_MODEL``) whose encoder reads 15 s
rather than 30 s (``LIVE_CONTEXT_S``), no temperature fallback and no
vocabulary prompt, cutting a long answer at its last pause after at most
``LIVE_CHUNK_S``: that is what ``feed`` returns and the clinician watches.
While a chunk is still being spoken, the live pass also shows what it has
heard of it so far, a ``Provisional`` line that the chunk's own lines replace
once it ends: a word no longer waits for its chunk to close (1.4 s of the
2.2 s it was behind the speaker). The final pass (``final_pass``) decodes
exactly as the batch transcriber does on a background thread of lower
priority, so it never holds the live lines back yet keeps up over the visit;
``finish()`` recognises only what it has not reached and returns the
authoritative transcript (speaker turns, ids s1…).

Voices are re-clustered over everything the live pass heard each time, so a
live line's ``speaker``/``role`` is provisional. Each pass keeps only the audio
it has not recognised yet: memory stays flat over a long visit.
"""

from __future__ import annotations

import time

import numpy as np

from ambientnote.asr.batch import assemble_transcript
from ambientnote.asr.engine import DecodePolicy, load_asr_model, vocabulary_prompt
from ambientnote.asr.final_pass import CUT_POLICY, FinalPass
from ambientnote.asr.pending import SpeechBuffer, recognise_clip
from ambientnote.asr.windows import Span
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.config import Settings
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.speakers import label_speakers
from ambientnote.transcript import Segment, Transcript

VAD_EVERY_S = 0.25  # the live pass looks for ended speech this often; the final pass every other time
LIVE_MODEL = "tiny.en"
# A live line waits for at most this much speech (3 s cut answers mid-phrase: "for about a week" became
# "Follow them out and leave")…
LIVE_CHUNK_S = 4.0
LIVE_SILENCE_MS = 200  # …or ends after this much silence (300 ms: 0.1 s later, same WER; final: MIN_SILENCE_MS)
LIVE_CONTEXT_S = 15.0  # the live encoder reads 15 s, not Whisper's 30 s: half the decode time (short_context)
# Greedy decoding misheard short lines ("Did you injure it?"). A chunk cut at LIVE_CHUNK_S, or still being spoken
# (a provisional line), can end in half a word, which Whisper decodes again on its own and can loop on (224
# tokens, seconds of CPU that hold every live line back): capped as the final pass caps a sentence cut by Stop.
LIVE_POLICY = DecodePolicy(temperature_fallback=False, max_tokens_per_s=CUT_POLICY.max_tokens_per_s)
MIN_CLUSTERED = 3  # voices are told apart from this many live utterances on
# A chunk still being spoken is shown once this long, and again each time this much more has been said…
PROVISIONAL_EVERY_S = 1.0
# …but only while both passes keep up: not while the final pass has a window to decode (on two cores a
# provisional decode would take its CPU, and Stop would wait for it), nor when a block arrives sooner than this
# share of its length after the last one was done with (blocks were queued behind a decode, or a file is read
# as fast as it is taken: the chunks that end come first).
PACED = 0.5


class Provisional(Segment):
    """What the live pass has heard so far of the chunk still being spoken; empty text: nothing (any more).

    Every batch ``feed`` returns replaces the provisional line shown before:
    the chunk's own (final) live lines take its place once it ends, or a new
    ``Provisional`` once more of it has been heard. Its words may change;
    its speaker and role are not known yet.
    """

    @classmethod
    def of(cls, pieces: list[Segment]) -> Provisional:
        words = [w for p in pieces for w in p.words]
        return cls(id="provisional", start=pieces[0].start, end=pieces[-1].end,
                   text=" ".join(p.text for p in pieces),
                   confidence=sum(p.confidence for p in pieces) / len(pieces), words=words)

    @classmethod
    def nothing(cls) -> Provisional:
        return cls(id="provisional", text="")


class StreamingTranscriber:
    """``feed(block)`` → new live lines (and ``Provisional`` ones); ``finish()`` → the whole ``Transcript``."""

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
        final_model = load_asr_model(model, on_progress, cfg=cfg, background=True)
        self._final = FinalPass(final_model, vocab=vocabulary_prompt(vocabulary, cfg=cfg), cfg=cfg)
        self.model = final_model
        self._live_model = load_asr_model(live_model, on_progress, cfg=cfg, context_s=LIVE_CONTEXT_S)
        self._live = SpeechBuffer(LIVE_CHUNK_S, LIVE_SILENCE_MS)
        self._live_language: str | None = None
        self._utterances: list[Segment] = []  # live
        self._prints: list[np.ndarray] = []
        self._since_vad = 0
        self._looks = 0
        self._done_at = 0.0  # when the last feed returned (monotonic seconds)
        self._provisional_at = 0  # where the last provisional line was heard up to (live buffer samples, absolute)
        self._provisional_shown = False
        self._finished = False
        self._closed = False

    @property
    def seconds(self) -> float:
        """Audio received so far."""
        return self._final.end / SAMPLE_RATE

    def feed(self, block: np.ndarray) -> list[Segment]:
        """Add 16 kHz mono float32 audio; returns the live lines recognised since (maybe none), the last of
        them maybe a ``Provisional`` line for the speech still going on."""
        if self._finished:
            raise RuntimeError("feed() after finish()")
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        paced = time.monotonic() - self._done_at >= PACED * block.size / SAMPLE_RATE
        try:
            return self._take(block, paced)
        finally:
            self._done_at = time.monotonic()

    def finish(self) -> Transcript:
        """Recognise what is left and return the transcript (``NoSpeechError`` if nothing was said)."""
        if self._closed:
            raise RuntimeError("finish() after close()")
        self._finished = True
        utterances, prints, language = self._final.finish()
        return assemble_transcript(
            utterances,
            prints,
            duration=self.seconds,
            model=self.model.name,
            language=language or "en",
            what="the recording",
        )

    def close(self) -> None:
        """Stop the final pass without a transcript: windows still queued are dropped, and the background
        thread ends once the window it is decoding is done (a recording set aside is never transcribed, so
        it must not keep the cores busy). ``finish`` after ``close`` is an error; ``close`` after ``finish``
        does nothing."""
        if not self._finished:
            self._finished = self._closed = True
        self._final.close()

    def _take(self, block: np.ndarray, paced: bool) -> list[Segment]:
        self._live.add(block)
        self._final.add(block)
        self._since_vad += block.size
        if self._since_vad < VAD_EVERY_S * SAMPLE_RATE:
            return []
        self._since_vad = 0
        self._looks += 1
        if self._looks % 2 == 0:
            self._final.look()
        return self._recognise_live(paced)

    def _recognise_live(self, paced: bool) -> list[Segment]:
        """Every speech chunk that has ended, recognised now: the live lines; else maybe a provisional line."""
        chunks = self._live.chunks()
        closed = self._live.closed(chunks)
        if not closed:
            lines = self._provisional(chunks[-1]) if paced and chunks and not self._final.busy() else []
            self._live.drop_silence(chunks)
            return lines
        first = len(self._utterances)
        for clip in self._live.take(closed, upto=closed[-1].end):
            pieces, prints, self._live_language = recognise_clip(
                self._live_model, clip, vocab="", language=self._live_language, policy=LIVE_POLICY, cfg=self._cfg
            )
            self._utterances += pieces
            self._prints += prints
        lines = self._label(first)
        if self._provisional_shown and not lines:  # the chunk shown provisionally held nothing after all
            lines = [Provisional.nothing()]
        self._provisional_shown = False
        return lines

    def _provisional(self, chunk: Span) -> list[Segment]:
        """What has been heard of ``chunk`` (still being spoken), once it is ``PROVISIONAL_EVERY_S`` long and
        that much more was said since the last time; [] when there is nothing new to show."""
        heard_to = self._live.end
        if chunk.seconds < PROVISIONAL_EVERY_S or heard_to - self._provisional_at < PROVISIONAL_EVERY_S * SAMPLE_RATE:
            return []
        self._provisional_at = heard_to
        (clip,) = self._live.clips([chunk])
        pieces, _, _ = recognise_clip(self._live_model, clip, vocab="", language=self._live_language,
                                      policy=LIVE_POLICY, cfg=self._cfg)
        if not pieces and not self._provisional_shown:
            return []
        self._provisional_shown = bool(pieces)
        return [Provisional.of(pieces) if pieces else Provisional.nothing()]

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
