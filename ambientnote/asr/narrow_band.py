"""Telephone-band recordings: read whole, as stock Whisper reads them, and cut into single-voice utterances after.

Why: on audio with nothing above 4 kHz the windowed path lost to stock
faster-whisper base on the development set (WER 0.31 against 0.29): Silero
VAD misses short turns of narrow-band speech, so their words never reach
Whisper, and the vocabulary prompt costs substitutions on band-limited
speech. Every change to the windows or the prompt tried for it is listed
in ``DecodePolicy``'s comments. Here the recording is decoded as the stock
model decodes it (no VAD windows, no prompt, Whisper's own 30 s passes with
their context), its words timed afterwards, and then cut where the windowed
path cuts them: at sentence ends and at the silences the VAD hears
(``speakers.split_sentences``), so that each piece is one voice and turns are
never joined across speakers.

Read without the prompt, base heard no drug name of the set (0 of 6, against
4 of 6 with it: "metaprolol", "I'm your pro for 800"). So where the windowed
path's prompted reading heard a vocabulary drug name, that word stands in for
the stock words said while it was (``with_drug_names``); everything else is
the stock reading.
"""

from __future__ import annotations

import inspect
import itertools
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from ambientnote.asr.engine import LoadedModel, to_segments
from ambientnote.asr.vocabulary import load_vocabulary
from ambientnote.asr.windows import speech_chunks
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.capture.quality import NARROW_BAND_SHARE, high_band_share
from ambientnote.speakers import split_sentences
from ambientnote.transcript import Segment, Word

if TYPE_CHECKING:  # imported when a model loads
    from faster_whisper import WhisperModel
    from faster_whisper.transcribe import Segment as WhisperSegment

AUDIBLE_PEAK = 0.01  # quieter than this, there is no band to judge (as ``capture.quality`` has it)


def narrow_band(audio: np.ndarray) -> bool:
    """Whether 16 kHz ``audio`` holds no sound above 4 kHz: a telephone line, whatever rate it was stored at."""
    return bool(audio.size and np.max(np.abs(audio)) > AUDIBLE_PEAK and high_band_share(audio) < NARROW_BAND_SHARE)


def vad_pauses(audio: np.ndarray) -> list[float]:
    """The middles (seconds) of the silences the VAD hears between speech chunks: where turns may change."""
    chunks = speech_chunks(audio)
    return [(a.end + b.start) / 2 / SAMPLE_RATE for a, b in zip(chunks, chunks[1:], strict=False)]


def whole_utterances(
    loaded: LoadedModel, audio: np.ndarray, prompted: list[Segment]
) -> tuple[list[Segment], str]:
    """``audio`` read by one stock ``transcribe`` call, with the drug names of the ``prompted`` reading (the
    windowed path's utterances; none when the vocabulary is off), cut at sentence ends and VAD pauses; and its
    language."""
    segments, info = loaded.whisper.transcribe(audio)
    timed = to_segments(with_word_times(loaded.whisper, audio, list(segments), info.language))
    drugs = drug_words(prompted)
    return split_sentences([with_drug_names(s, drugs) for s in timed], vad_pauses(audio)), info.language


def _bare(word: str) -> str:
    return "".join(c for c in word.lower() if c.isalpha())


def drug_words(utterances: list[Segment]) -> list[Word]:
    """The words of ``utterances`` that are a drug name of the vocabulary (those of one word)."""
    names = {_bare(d) for d in load_vocabulary().drugs}
    return [w for u in utterances for w in u.words if _bare(w.word) in names]


def with_drug_names(segment: Segment, drugs: list[Word]) -> Segment:
    """``segment`` with each drug word standing in for the words said while it was (their middles within its
    time); a drug word with no word under it adds nothing, nor does one already heard."""
    words = list(segment.words)
    for drug in drugs:
        under = [w for w in words if drug.start <= (w.start + w.end) / 2 < drug.end]
        if under and not any(_bare(w.word) == _bare(drug.word) for w in under):
            at = words.index(under[0])
            words[at : at + len(under)] = [drug]
    return segment if words == segment.words else segment.model_copy(update={"words": words})


def with_word_times(
    whisper: WhisperModel, audio: np.ndarray, segments: list[WhisperSegment], language: str
) -> list[WhisperSegment]:
    """Stock faster-whisper ``segments`` of ``audio`` with their words timed, the text left as it was read.

    Asking ``transcribe`` for word timestamps changes what it reads: it starts its next 30 s pass at the
    last word's end rather than at the last timestamp token; on the development set's telephone variant
    that alone took this path's WER from 0.283 to 0.302 (v01 0.259 -> 0.326). So the words are timed
    afterwards, by the same alignment (``add_word_timestamps``) over the same 30 s pass each segment was
    read in.
    """
    from faster_whisper import WhisperModel  # heavy: loaded only when transcribing
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import Word as FasterWord

    defaults = inspect.signature(WhisperModel.transcribe).parameters
    prepend, append = defaults["prepend_punctuations"].default, defaults["append_punctuations"].default
    tokenizer = Tokenizer(whisper.hf_tokenizer, whisper.model.is_multilingual, task="transcribe", language=language)
    features = whisper.feature_extractor(audio)
    content_frames = features.shape[-1] - 1
    last_speech = 0.0
    timed: list[WhisperSegment] = []
    for seek, group in itertools.groupby(segments, key=lambda s: s.seek):  # one group per 30 s pass
        passed = list(group)
        parts = [{"seek": seek, "start": s.start, "end": s.end, "tokens": s.tokens} for s in passed]
        frames = min(whisper.feature_extractor.nb_max_frames, content_frames - seek)
        encoded = whisper.encode(pad_or_trim(features[:, seek : seek + frames]))
        last_speech = whisper.add_word_timestamps([parts], tokenizer, encoded, frames, prepend, append, last_speech)
        timed += [
            replace(s, start=p["start"], end=p["end"], words=[FasterWord(**w) for w in p["words"]])
            for s, p in zip(passed, parts, strict=True)
        ]
    return timed
