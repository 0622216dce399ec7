"""Loading faster-whisper models and turning their output into transcript segments.

Both the batch and the streaming transcriber go through here, so they decode
with the same options and produce the same segment shape. Models load only
from verified paths (``resolve_model``) and are cached per process: loading is
the slowest step the clinician waits for.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import ambientnote.offline  # noqa: F401  (before faster_whisper pulls in huggingface_hub)
from ambientnote.asr.vocabulary import load_vocabulary
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.config import Settings
from ambientnote.errors import ModelError
from ambientnote.models import resolve_model
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.transcript import Segment, Word

if TYPE_CHECKING:  # imported when a model loads
    from faster_whisper import WhisperModel

_lock = threading.Lock()
_cache: dict[tuple[str, int, bool, float | None], LoadedModel] = {}
BACKGROUND_NICE = 9  # CFS weight 1/7.5 of the live pass's while both run


@dataclass
class LoadedModel:
    name: str
    whisper: Any  # faster_whisper.WhisperModel
    english_only: bool


def load_asr_model(
    name: str | None = None,
    on_progress: ProgressCallback = no_progress,
    *,
    cfg: Settings,
    background: bool = False,
    context_s: float | None = None,
) -> LoadedModel:
    """The verified, loaded Whisper model ``name`` (default: ``cfg.asr_model``) on ``cfg.threads`` threads, cached.

    ``background`` gives a separate instance whose compute threads run below
    the caller's priority (``background_priority``), for work that must never
    delay what the clinician is waiting for: the final transcription pass
    while the live text is being recognised. ``context_s`` gives an instance
    whose encoder reads only that many seconds (``ShortContextWhisper``), for
    short clips that must be recognised fast: the live lines.
    """
    name = name or cfg.asr_model
    threads = cfg.threads
    with _lock:
        key = (name, threads, background, context_s)
        if key in _cache:
            return _cache[key]
        path = resolve_model(name, "asr", on_progress, cfg=cfg)
        on_progress(0, 1, f"loading {name}")
        try:
            whisper = _construct(path, threads, background, context_s)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(
                f"The speech model '{name}' could not be loaded ({exc}); run 'ambientnote models verify'."
            ) from exc
        on_progress(1, 1, f"loaded {name}")
        model = LoadedModel(name=name, whisper=whisper, english_only=not whisper.model.is_multilingual)
        _cache[key] = model
        return model


def _construct(path: Path, threads: int, background: bool, context_s: float | None) -> WhisperModel:
    """A ``WhisperModel``; for ``background`` built on a thread of lowered priority.

    CTranslate2 starts its compute threads when the model is built and they
    inherit the priority of the thread that built it, so lowering the caller's
    priority later would not reach them.
    """
    from faster_whisper import WhisperModel  # heavy: faster-whisper loads only when a model is built

    from ambientnote.asr.short_context import ShortContextWhisper  # heavy: imports ctranslate2 and faster-whisper

    def build() -> WhisperModel:
        if background:
            background_priority()
        if context_s is not None:
            return ShortContextWhisper(str(path), context_s=context_s, cpu_threads=threads)
        return WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=threads, local_files_only=True)

    if not background:
        return build()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="asr-load") as pool:
        return pool.submit(build).result()


def background_priority() -> None:
    """Lower the calling thread's CPU priority (and that of threads it starts) by ``BACKGROUND_NICE``.

    Linux schedules threads by their own nice value, so within the process a
    background thread yields the cores to the live pass and the GUI while both
    have work, and still gets them when they are idle. Elsewhere a no-op.
    """
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + BACKGROUND_NICE))
    except (AttributeError, OSError):
        pass


@dataclass(frozen=True)
class DecodePolicy:
    """How each speech window is decoded, and which recognised text is kept.

    The defaults were chosen on the development audio set
    (``python -m ambientnote.evaluation.asr --devset``, docs/eval/asr-devset.md),
    not on the bundled samples. Measured there, against the earlier policy
    (no timestamp tokens, conditioning on, nothing dropped): with segment
    timestamps Whisper ends a window where the speech ends instead of running
    on ("I mean, you, you can move from one side to the other, ..." squeezed
    into the last half-second); not conditioning on the previous text and
    skipping silences around doubtful segments (``hallucination_silence_threshold``)
    stopped repeated sentences; what still slipped through ("Thank you.",
    "And...") had a mean word probability under 0.3 or an impossible speech
    rate, so it is dropped. ``None`` for a threshold turns that check off; the
    Whisper fields go to ``WhisperModel.transcribe`` as they are.
    """

    condition_on_previous_text: bool = False
    timestamps: bool = True  # Whisper's segment timestamp tokens (word times come from word_timestamps either way)
    hallucination_silence_threshold: float | None = 2.0
    no_speech_threshold: float | None = 0.6
    log_prob_threshold: float | None = -1.0
    compression_ratio_threshold: float | None = 2.4
    vocabulary: bool | None = None  # None: the settings' asr_vocabulary
    beam_size: int | None = None  # None: the settings' asr_beam_size
    # Decode again at higher temperatures when the text fails the thresholds above (Whisper's fallback).
    temperature_fallback: bool = True
    # A recognised sentence whose mean word probability is below this is dropped (None: keep all).
    drop_floor: float | None = 0.3
    # A sentence of 2+ words said faster than this (words per second) is dropped: nobody speaks that fast,
    # but Whisper squeezes invented text into the last half-second of a window.
    max_words_per_s: float | None = 8.0
    # At most this many tokens per second of audio (None: Whisper's own limit, 224 a call). A sentence cut off
    # by Stop ends in half a word that Whisper reads again on its own and loops on ("if you know this..." then
    # 224 tokens, 15-20 s on two busy cores, all dropped); capped, the same window took 3 s with the same text.
    max_tokens_per_s: float | None = None
    # A window whose reading with the vocabulary prompt Whisper doubts (mean word probability below this) is read
    # again without the prompt and the more confident reading kept (None: only a window left nearly empty is).
    # On telephone audio the prompt made base read a list of drugs as "Lieber usa Neo-Tur havia ...". Tried at 0.6
    # on the dev set: telephone WER 0.322 -> 0.307, other variants unchanged, but 3 more invented sentences on
    # telephone (2 -> 5: the prompted nonsense was dropped, the plain reading kept), so not adopted.
    retry_below: float | None = None
    # A window whose reading with the vocabulary prompt has words glued by periods ("Hi, MSrux.im.tomeca.her.",
    # "friend of in.alright.so", ``derailment.derailed``) is read again without the prompt (also with retry_below off),
    # and the more confident of the two readings kept. On the dev set only the opening window of v05 is glued; measured
    # on all 8 variants (docs/eval/asr-devset.md, 'after' against 'before: no derailment retry'): M4A 0.166 -> 0.143
    # (stock base 0.144; v05 0.395 -> 0.167), clean 0.139 -> 0.130, MP3 0.136 -> 0.124, 48 kHz 0.148 -> 0.135,
    # trailing silence 0.143 -> 0.127 (0 invented), reverb 0.137 (prompted reading kept), telephone 0.312 -> 0.310;
    # noise 0.227 -> 0.231, within the spread of identical runs (Whisper's temperature fallback samples: telephone
    # 0.316 and 0.310 with the same code); drug names and roles unchanged. v05's plain reading "Okay, Dr. K. Blagen."
    # once counted as invented sentences until the metric stopped ending a sentence at a title or an initial
    # (``asr_metrics._NOT_AN_END``). Keeping the plain reading whenever it is not glued itself lost on reverb
    # (0.137 -> 0.139: there the prompted reading was right but for "pain.allright.so"), so confidence decides.
    retry_derailed: bool = True
    # The text recognised in the previous window (its last ~200 characters) follows the vocabulary in the window's
    # prompt: the context stock Whisper carries from one 30 s pass to the next, which each VAD window lacks.
    # Measured on the dev set (8 visits, one build, against this policy without it): WER lower on 7 of 8 variants
    # (telephone 0.308 -> 0.296, stock base 0.306; M4A 0.148 -> 0.138; MP3 0.142 -> 0.122; 48 kHz 0.146 -> 0.130),
    # but role accuracy fell on five (telephone 0.983 -> 0.889, MP3 0.961 -> 0.887, 48 kHz 0.994 -> 0.921) and drug
    # names on two (noise 4/6 -> 2/6, reverb 5/6 -> 3/6). The text is as well cut, only punctuated more finely: the
    # shorter sentences tip the voice clustering (a 0.23 silhouette to 0.19, one voice found where there are two),
    # and the vocabulary, further from the speech, is followed less. With the voices resegmented
    # (``speakers/resegment.py``) role accuracy holds (0.993-1.000 on the rebuilt set), but telephone still loses to
    # stock base (0.299 vs 0.287), drug names fall on telephone and noise (4/6 -> 2/6) and trailing silence gets two
    # invented sentences (none without it), so it stays off.
    previous_text: bool = False
    # The previous text before the vocabulary rather than after it (the vocabulary nearest the speech). Tried with
    # previous_text on noise: WER 0.237, drug names 3/6 (0.235 and 2/6 after it, 0.243 and 4/6 without context).
    vocabulary_last: bool = False
    # The vocabulary as faster-whisper's ``hotwords`` (before the prompt of every 30 s pass of a window) rather than
    # in the initial prompt. Tried: telephone 0.309 (0.308 as a prompt), M4A 0.149 (0.148); with previous_text,
    # telephone 0.301 and 4 invented sentences instead of 1. Not adopted.
    hotwords: bool = False
    # A recording with no sound above 4 kHz (a telephone line, ``narrow_band.narrow_band``) is read whole as stock
    # Whisper reads it (no VAD windows, no prompt; words timed afterwards), cut at sentence ends and VAD pauses, with
    # the drug names its prompted windows heard (``narrow_band``); batch only, the live final pass reads windows.
    # Telephone, 8 visits, 3 runs each: whole 0.272/0.281/0.272 against stock base 0.287/0.288/0.291 in the same runs
    # (windows 0.310/0.314/0.319); drug names 4/6 as in windows (stock 0/6); role acc. words 0.987-0.988 (windows
    # 0.973-0.992), turns 0.991-1.000 (0.972-0.991); merged turns 3 of ~110 (1-3 of ~104); invented 2-4 (windows 0-5,
    # stock 3-6: stock's mishearings it ends with a full stop, "Are you prepared?" for "how did you get hurt", which
    # the windows read inside a longer sentence); RTF 0.49-0.56 (both readings; windows 0.29-0.37). Clean unchanged.
    # Whole alone: 0.283, 0/6 drug names; with word_timestamps in the stock call 0.302 (it moves the 30 s passes).
    # Every window read with and without the prompt, the surer kept (retry_below=1.01): 0.311, 2/6, 3 invented.
    whole_narrow_band: bool = True

    def describe(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_POLICY = DecodePolicy()


def decode_options(model: LoadedModel, policy: DecodePolicy = DEFAULT_POLICY, *, cfg: Settings) -> dict[str, Any]:
    """Keyword arguments for ``WhisperModel.transcribe`` shared by batch and streaming (``cfg``: the beam size a
    policy leaves open).

    VAD runs before (``ambientnote.asr.windows``), so each call gets one speech
    window of at most 30 s and Whisper's own VAD stays off.
    """
    options: dict[str, Any] = {
        "beam_size": policy.beam_size or cfg.asr_beam_size,
        "word_timestamps": True,
        "vad_filter": False,
        "without_timestamps": not policy.timestamps,
        "condition_on_previous_text": policy.condition_on_previous_text,
        "hallucination_silence_threshold": policy.hallucination_silence_threshold,
        "no_speech_threshold": policy.no_speech_threshold,
        "log_prob_threshold": policy.log_prob_threshold,
        "compression_ratio_threshold": policy.compression_ratio_threshold,
    }
    if not policy.temperature_fallback:
        options["temperature"] = 0.0
    return options


def vocabulary_prompt(enabled: bool | None = None, *, cfg: Settings) -> str:
    """The vocabulary part of every window's prompt ('' when biasing is off; ``None``: as ``cfg`` says).

    Given as the initial prompt of *each* window rather than as faster-whisper's
    ``hotwords``: measured here, hotwords made tiny.en drop its timestamps and
    hallucinate after the last word, while a prompt per window did not (on
    base, dev set telephone and M4A, they were no better). A policy may have
    the previous window's text follow it (``DecodePolicy.previous_text``).
    """
    use = cfg.asr_vocabulary if enabled is None else enabled
    return f"Medical consultation. {load_vocabulary().prompt_terms()}." if use else ""


def transcribe_window(
    model: LoadedModel,
    audio: np.ndarray,
    offset: float,
    *,
    prompt: str = "",
    context: str = "",
    language: str | None = None,
    policy: DecodePolicy = DEFAULT_POLICY,
    cfg: Settings,
) -> tuple[list[Segment], str]:
    """Recognise one speech window (<= 30 s) starting at ``offset`` seconds; returns segments and language.

    ``prompt`` is the vocabulary, ``context`` the text said just before the window (both may be empty).
    """
    options = decode_options(model, policy, cfg=cfg)
    if policy.max_tokens_per_s:
        options["max_new_tokens"] = 4 + math.ceil(policy.max_tokens_per_s * audio.size / SAMPLE_RATE)
    if policy.hotwords and prompt:
        options["hotwords"] = prompt
        initial = context
    else:
        initial = " ".join(p for p in ((context, prompt) if policy.vocabulary_last else (prompt, context)) if p)
    segments, info = model.whisper.transcribe(
        audio,
        language="en" if model.english_only else language,
        initial_prompt=initial or None,
        **options,
    )
    return to_segments(segments, offset), info.language


def to_segments(whisper_segments: Iterable[Any], offset: float = 0.0) -> list[Segment]:
    """faster-whisper segments → transcript segments (ids, speakers and roles come later).

    Confidence is the mean word probability: unlike ``avg_logprob`` it reads
    as a probability, and the router compares it to a threshold.
    """
    out: list[Segment] = []
    for seg in whisper_segments:
        text = seg.text.strip()
        if not text:
            continue
        words = [
            Word(
                start=round(w.start + offset, 3),
                end=round(w.end + offset, 3),
                word=w.word.strip(),
                probability=round(w.probability, 4),
            )
            for w in (seg.words or [])
            if w.word.strip()
        ]
        confidence = (
            sum(w.probability for w in words) / len(words) if words else min(1.0, 2.718281828**seg.avg_logprob)
        )
        out.append(
            Segment(
                id="",
                start=round(seg.start + offset, 3),
                end=round(seg.end + offset, 3),
                text=text,
                confidence=round(max(0.0, min(1.0, confidence)), 4),
                words=words,
            )
        )
    return out
