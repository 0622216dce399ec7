"""Stop leaves only the last words to decode: while the final pass is idle it decodes ahead what it will need."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ambientnote.asr import StreamingTranscriber, final_pass, transcribe_audio
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
