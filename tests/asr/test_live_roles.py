"""The live transcript names the speakers right from its first lines, not only once the visit is long."""

from __future__ import annotations

from pathlib import Path

import pytest

from ambientnote.asr import StreamingTranscriber
from ambientnote.capture import SAMPLE_RATE, load_audio
from ambientnote.config import load_settings
from ambientnote.transcript import Role

pytestmark = pytest.mark.model


@pytest.mark.parametrize("model", ["tiny.en", "base"])
def test_the_first_live_lines_already_tell_the_clinician_from_the_patient(short_sample: Path, model: str) -> None:
    audio = load_audio(short_sample)
    streamer = StreamingTranscriber(cfg=load_settings(), model=model)
    shown: list = []
    for offset in range(0, audio.size, SAMPLE_RATE // 4):  # 250 ms blocks, as the recorder sends them
        shown += streamer.feed(audio[offset : offset + SAMPLE_RATE // 4])
        if len(shown) >= 3:
            break
    # "What seems to be the problem today?" — "My right knee has been painful …" — "Did you injure it?" …
    assert [s.role for s in shown[:3]] == [Role.clinician, Role.patient, Role.clinician]
