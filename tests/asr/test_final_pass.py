"""Stop leaves only the last words to decode: while the final pass is idle it decodes ahead what it will need."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ambientnote.asr import StreamingTranscriber, final_pass, transcribe_audio
from ambientnote.asr.engine import DEFAULT_POLICY, DecodePolicy, transcribe_window
from ambientnote.asr.windows import speech_chunks
from ambientnote.capture import SAMPLE_RATE, load_audio
from ambientnote.config import load_settings
from ambientnote.evaluation.asr_metrics import plain_text, word_error_rate

pytestmark = pytest.mark.model

BLOCK = SAMPLE_RATE // 4


def test_after_stop_only_the_speech_after_the_last_guess_ahead_is_decoded(short_sample: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[tuple[bool, float]] = []  # (after Stop?, seconds of audio) of every final-pass decode
    stopped = False
    recognise = final_pass.recognise_clip

    def spy(model, clip, **kwargs):  # noqa: ANN001, ANN202
        decoded.append((stopped, clip[0].size / SAMPLE_RATE))
        return recognise(model, clip, **kwargs)

    monkeypatch.setattr(final_pass, "recognise_clip", spy)
    monkeypatch.setattr(final_pass, "GUESS_BELOW_RTF", float("inf"))  # a machine with CPU to spare, however busy
    audio = load_audio(short_sample)[: int(36.5 * SAMPLE_RATE)]  # Stop in the middle of the last sentence
    streamer = StreamingTranscriber(cfg=load_settings(), model="tiny.en")
    for offset in range(0, audio.size, BLOCK):
        streamer.feed(audio[offset : offset + BLOCK])
        while not streamer._final.idle():  # an idle machine: the background thread keeps up
            time.sleep(0.05)
    stopped = True
    final = streamer.finish()

    # "Yes, we will get an X-ray, …" (33.2 s on) is still being said at Stop; "Okay, do I need an X-ray?" before it
    # had ended, and was decoded ahead: after Stop only the last sentence is (6.5 s of audio without the guess).
    after_stop = sum(seconds for late, seconds in decoded if late)
    assert 0 < after_stop <= 4.0
    # The transcript is as good as the batch transcript of the same 30 s.
    batch = transcribe_audio(audio, cfg=load_settings(), model="tiny.en")
    assert word_error_rate(plain_text(batch), plain_text(final)) < 0.15


def test_the_cap_on_a_sentence_cut_by_stop_keeps_every_word_said(short_sample: Path, asr_model) -> None:  # noqa: ANN001
    """Each sentence of the sample, cut off half a second before it ends as Stop would cut it: capped, Whisper
    still returns what was said up to the cut (the cap only stops it looping on the half word)."""
    audio = load_audio(short_sample)
    heard: dict[DecodePolicy, list[str]] = {final_pass.CUT_POLICY: [], DEFAULT_POLICY: []}
    for chunk in speech_chunks(audio):
        clip = audio[chunk.start : max(chunk.start + SAMPLE_RATE, chunk.end - SAMPLE_RATE // 2)]
        for policy, said in heard.items():
            segments, _ = transcribe_window(asr_model, clip, 0.0, language="en", policy=policy, cfg=load_settings())
            said += [s.text for s in segments]
    assert len(heard[DEFAULT_POLICY]) >= 8
    assert word_error_rate(" ".join(heard[DEFAULT_POLICY]), " ".join(heard[final_pass.CUT_POLICY])) <= 0.05
