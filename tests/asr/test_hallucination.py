"""Whisper must not invent speech: trailing silence adds no text, and the decode policy is what was measured."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ambientnote.asr import transcribe_audio
from ambientnote.asr.engine import DEFAULT_POLICY, decode_options
from ambientnote.capture import SAMPLE_RATE, load_audio
from ambientnote.capture.samples import reference_path
from ambientnote.config import load_settings
from ambientnote.evaluation.asr_metrics import invented_sentences, plain_text
from ambientnote.transcript.formats import load_transcript


def test_eight_seconds_of_trailing_silence_add_no_text(short_sample: Path, asr_model) -> None:
    audio = load_audio(short_sample)
    rng = np.random.default_rng(0)
    quiet_room = (1e-4 * rng.standard_normal(8 * SAMPLE_RATE)).astype(np.float32)  # a live mic, not digital zero
    transcript = transcribe_audio(np.concatenate([audio, quiet_room]), cfg=load_settings(), model="tiny.en")
    spoken_until = audio.size / SAMPLE_RATE  # the sample itself ends within a second of its last word
    words = [w for seg in transcript.segments for w in seg.words]
    assert words and max(w.end for w in words) <= spoken_until + 0.3
    reference = plain_text(load_transcript(reference_path(short_sample)))
    invented, _, _ = invented_sentences(reference, transcript)
    assert invented == []
    assert plain_text(transcript) == plain_text(transcribe_audio(audio, cfg=load_settings(), model="tiny.en"))


def test_the_default_policy_reaches_whisper() -> None:
    options = decode_options(None, cfg=load_settings(asr_beam_size=3))  # the model does not change the options
    for field in ("condition_on_previous_text", "hallucination_silence_threshold", "no_speech_threshold",
                  "log_prob_threshold", "compression_ratio_threshold"):
        assert options[field] == getattr(DEFAULT_POLICY, field)
    assert options["without_timestamps"] is not DEFAULT_POLICY.timestamps
    assert options["beam_size"] == 3  # the settings given, where the policy leaves the beam open
