"""Transcribing a whole recording: VAD windows → Whisper → voices and roles → turns.

This is what ``ambientnote transcribe`` and the file import in the desktop app
call. A recording with no speech ends in ``NoSpeechError`` rather than an empty
transcript that could pass for a real one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ambientnote.asr.derailment import derailed
from ambientnote.asr.engine import (
    DEFAULT_POLICY,
    DecodePolicy,
    LoadedModel,
    load_asr_model,
    transcribe_window,
    vocabulary_prompt,
)
from ambientnote.asr.narrow_band import narrow_band, whole_utterances
from ambientnote.asr.windows import Window, group_windows, speech_chunks
from ambientnote.capture.audio import SAMPLE_RATE, load_audio
from ambientnote.config import Settings
from ambientnote.errors import NoSpeechError
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.speakers import label_speakers, merge_turns, print_for, split_sentences
from ambientnote.transcript import Segment, Transcript

NO_SPEECH = "No speech was found in {what}: it is silent or holds only noise, so nothing was transcribed."


def assemble_transcript(
    utterances: list[Segment], prints: list[np.ndarray], *, duration: float, model: str, language: str, what: str
) -> Transcript:
    """Voices, roles and turns for recognised utterances: the last step of batch and streaming alike."""
    if not utterances:
        raise NoSpeechError(NO_SPEECH.format(what=what))
    labelled = label_speakers(utterances, np.array(prints))
    return Transcript(segments=merge_turns(labelled), language=language, duration=round(duration, 3), model=model)


def recognise_window(
    loaded: LoadedModel,
    audio: np.ndarray,
    window: Window,
    *,
    vocab: str,
    language: str | None,
    context: str = "",
    policy: DecodePolicy = DEFAULT_POLICY,
    cfg: Settings,
) -> tuple[list[Segment], str]:
    """One window → single-voice utterances (cut at sentence ends and pauses), guarded against a derailing prompt.

    Measured on the samples: with a prompt, tiny.en sometimes ends a window
    after its first sentence. A window that comes back with far fewer words
    than its speech implies (under 1 word per 2 s) is decoded again without
    the vocabulary. A policy may ask the same for a window whose words Whisper
    doubts (``DecodePolicy.retry_below``, off by default), keeping the more
    confident reading. A window whose reading has words glued by periods, the mark of a decode the
    prompt derailed ("Hi, MSrux.im.tomeca.her.", ``derailment.derailed``), is read again without the
    vocabulary too, and again the more confident reading kept (``DecodePolicy.retry_derailed``, on by default).
    ``context``, the text said before the window, follows the vocabulary in the
    prompt (``DecodePolicy.previous_text``; the retry without the vocabulary keeps it).
    """
    offset = window.start / SAMPLE_RATE
    clip = audio[window.start : window.end]
    segments, detected = transcribe_window(loaded, clip, offset, prompt=vocab, context=context, language=language,
                                           policy=policy, cfg=cfg)
    words = sum(len(s.words) or len(s.text.split()) for s in segments)
    nearly_empty = words < 0.5 * window.seconds
    doubted = policy.retry_below is not None and mean_probability(segments) < policy.retry_below
    glued = policy.retry_derailed and derailed(segments)
    if vocab and (nearly_empty or doubted or glued):
        plain, plain_language = transcribe_window(loaded, clip, offset, context=context, language=language,
                                                  policy=policy, cfg=cfg)
        if nearly_empty or mean_probability(plain) > mean_probability(segments):
            segments, detected = plain, plain_language
    pieces = split_sentences(segments, window.pause_seconds())
    return drop_doubtful(pieces, policy.drop_floor, policy.max_words_per_s), detected


def mean_probability(segments: list[Segment]) -> float:
    """Whisper's mean word probability over ``segments`` (0 when it heard no word)."""
    probabilities = [w.probability for s in segments for w in s.words]
    return sum(probabilities) / len(probabilities) if probabilities else 0.0


CONTEXT_CHARS = 200  # of the previous window's text in the prompt: the vocabulary keeps the rest of Whisper's 223


def previous_context(utterances: list[Segment], chars: int = CONTEXT_CHARS) -> str:
    """The last ``chars`` characters (whole words) of what was recognised so far: the next window's context."""
    text = " ".join(u.text for u in utterances[-8:]).strip()
    if len(text) <= chars:
        return text
    cut = text[-chars:]
    return cut.partition(" ")[2] if " " in cut else cut


def drop_doubtful(utterances: list[Segment], floor: float | None, max_rate: float | None = None) -> list[Segment]:
    """Utterances without those Whisper invented rather than heard (``DecodePolicy.drop_floor``, ``max_words_per_s``).

    Measured on the development set (docs/eval/asr-devset.md): Whisper's
    inventions ("Thank you.", "Yeah.", a sentence repeated at the end of a
    window) come with a mean word probability of 0.0-0.2 while real speech,
    even misheard, rarely does; and an invented sentence is often squeezed
    into the last half-second of a window, 8+ words a second, which no one
    speaks.
    """
    kept = []
    for u in utterances:
        if u.words:
            mean = sum(w.probability for w in u.words) / len(u.words)
            seconds = max(u.words[-1].end - u.words[0].start, 0.01)
            if floor is not None and mean < floor:
                continue
            if max_rate is not None and len(u.words) >= 2 and len(u.words) / seconds > max_rate:
                continue
        kept.append(u)
    return kept


def recognise(
    loaded: LoadedModel,
    audio: np.ndarray,
    *,
    cfg: Settings,
    vocabulary: bool | None = None,
    policy: DecodePolicy = DEFAULT_POLICY,
    on_progress: ProgressCallback = no_progress,
) -> tuple[list[Segment], list[np.ndarray], str]:
    """Utterances (one sentence, one voice each), their voice prints and the language; ``cfg`` gives the
    vocabulary and beam size that neither ``vocabulary`` nor ``policy`` sets. Telephone-band audio is read
    whole, with the drug names its windows' prompted reading heard (``DecodePolicy.whole_narrow_band``,
    ``narrow_band``)."""
    vocab = vocabulary_prompt(policy.vocabulary if vocabulary is None else vocabulary, cfg=cfg)
    if policy.whole_narrow_band and narrow_band(audio):
        prompted = recognise_windows(loaded, audio, vocab=vocab, policy=policy, cfg=cfg,
                                     on_progress=on_progress)[0] if vocab else []
        whole, language = whole_utterances(loaded, audio, prompted)
        utterances = drop_doubtful(whole, policy.drop_floor, policy.max_words_per_s)
    else:
        utterances, language = recognise_windows(loaded, audio, vocab=vocab, policy=policy, cfg=cfg,
                                                 on_progress=on_progress)
    on_progress(audio.size, audio.size, "transcribed")
    return utterances, [print_for(audio, u) for u in utterances], language


def recognise_windows(
    loaded: LoadedModel,
    audio: np.ndarray,
    *,
    vocab: str,
    policy: DecodePolicy,
    cfg: Settings,
    on_progress: ProgressCallback = no_progress,
) -> tuple[list[Segment], str]:
    """Utterances of ``audio`` read window by window (Silero VAD windows, ``vocab`` as the prompt); the language."""
    utterances: list[Segment] = []
    language: str | None = None
    for window in group_windows(speech_chunks(audio)):
        on_progress(window.start, audio.size, "transcribing")
        context = previous_context(utterances) if policy.previous_text else ""
        pieces, language = recognise_window(loaded, audio, window, vocab=vocab, language=language, context=context,
                                            policy=policy, cfg=cfg)
        utterances += pieces
    return utterances, language or "en"


def transcribe_audio(
    audio: np.ndarray,
    *,
    cfg: Settings,
    model: str | None = None,
    vocabulary: bool | None = None,
    policy: DecodePolicy = DEFAULT_POLICY,
    on_progress: ProgressCallback = no_progress,
    what: str = "the recording",
) -> Transcript:
    """Transcribe 16 kHz mono float32 audio by ``cfg``; ``NoSpeechError`` if it holds no speech."""
    loaded = load_asr_model(model, on_progress, cfg=cfg)
    utterances, prints, language = recognise(
        loaded, audio, cfg=cfg, vocabulary=vocabulary, policy=policy, on_progress=on_progress
    )
    return assemble_transcript(
        utterances, prints, duration=audio.size / SAMPLE_RATE, model=loaded.name, language=language, what=what
    )


def transcribe_file(
    path: Path,
    *,
    cfg: Settings,
    model: str | None = None,
    vocabulary: bool | None = None,
    on_progress: ProgressCallback = no_progress,
) -> Transcript:
    """Transcribe an audio file (any format PyAV reads) into speaker turns with roles.

    ``model`` defaults to ``cfg.asr_model``; ``vocabulary`` to
    ``cfg.asr_vocabulary``. Raises ``InputError`` for a bad file,
    ``NoSpeechError`` for one without speech, ``ModelError`` for a bad model.
    """
    path = Path(path)
    audio = load_audio(path)
    return transcribe_audio(audio, cfg=cfg, model=model, vocabulary=vocabulary, on_progress=on_progress,
                            what=path.name)
