"""Real tiny.en on a sample consultation: text, roles, word timestamps; bad input; streaming = batch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ambientnote.asr import StreamingTranscriber, transcribe_audio, transcribe_file
from ambientnote.evaluation.asr_metrics import plain_text, role_accuracy, word_error_rate
from ambientnote.capture import SAMPLE_RATE, load_audio
from ambientnote.capture.samples import reference_path
from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.errors import NoSpeechError
from ambientnote.transcript import Role
from ambientnote.transcript.formats import load_transcript


@pytest.fixture(scope="module")
def batch(short_sample: Path, asr_model):
    return transcribe_file(short_sample, cfg=load_settings(), model="tiny.en")


def test_batch_transcript_is_close_to_the_reference(batch, short_sample: Path) -> None:
    reference = load_transcript(reference_path(short_sample))
    assert word_error_rate(plain_text(reference), plain_text(batch)) < 0.35
    agree, aligned = role_accuracy(reference, batch)
    assert aligned > 50 and agree / aligned > 0.8
    assert {s.role for s in batch.segments} == {Role.clinician, Role.patient}
    assert batch.segments[0].role is Role.clinician  # "what seems to be the problem today?"


def test_segments_carry_ids_times_confidence_and_words(batch) -> None:
    ids = [s.id for s in batch.segments]
    assert ids == [f"s{n}" for n in range(1, len(ids) + 1)]
    for seg in batch.segments:
        assert 0 <= seg.start < seg.end <= batch.duration + 0.01
        assert 0.0 < seg.confidence <= 1.0 and seg.words
        assert seg.words[0].start >= seg.start - 0.01 and seg.words[-1].end <= seg.end + 0.01
    starts = [s.start for s in batch.segments]
    assert starts == sorted(starts)


def test_streaming_equals_batch_within_tolerance(batch, short_sample: Path) -> None:
    audio = load_audio(short_sample)
    streamer = StreamingTranscriber(cfg=load_settings(), model="tiny.en")
    live = []
    for offset in range(0, audio.size, SAMPLE_RATE // 4):  # 250 ms blocks, as the recorder sends them
        live += streamer.feed(audio[offset : offset + SAMPLE_RATE // 4])
    assert live, "no segment became stable before the end"
    final = streamer.finish()
    assert word_error_rate(plain_text(batch), plain_text(final)) < 0.15
    agree, aligned = role_accuracy(batch, final)
    assert agree / aligned > 0.8
    assert abs(final.duration - batch.duration) < 0.01


@pytest.mark.parametrize("kind", ["silence", "hum"])
def test_speech_free_audio_raises_no_speech(kind: str, asr_model) -> None:
    t = np.arange(5 * SAMPLE_RATE) / SAMPLE_RATE
    audio = np.zeros_like(t) if kind == "silence" else 0.05 * np.sin(2 * np.pi * 50 * t)
    with pytest.raises(NoSpeechError, match="No speech was found"):
        transcribe_audio(audio.astype(np.float32), cfg=load_settings(), model="tiny.en")


def test_cli_writes_json_with_roles_and_words(short_sample: Path, tmp_path: Path, asr_model) -> None:
    out = tmp_path / "t.json"
    result = CliRunner().invoke(main, ["transcribe", str(short_sample), "--format", "json", "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    first = data["segments"][0]
    assert {"id", "start", "end", "speaker", "role", "text", "confidence", "words"} <= set(first)
    assert first["role"] == "clinician" and first["words"][0]["start"] >= 0


def test_cli_txt_is_one_tagged_turn_per_line(short_sample: Path, asr_model) -> None:
    result = CliRunner().invoke(main, ["transcribe", str(short_sample), "-q"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) >= 6 and all(line.startswith(("[doctor] ", "[patient] ")) for line in lines)


def _text_file(path: Path) -> Path:
    path.write_text("hello, this is not audio\n")
    return path


def _silent_wav(tmp_path: Path) -> Path:
    import soundfile as sf

    path = tmp_path / "silent.wav"
    sf.write(path, np.zeros(3 * SAMPLE_RATE, dtype=np.float32), SAMPLE_RATE)
    return path


@pytest.mark.parametrize(
    "make,args,code,words",
    [
        (lambda p: p / "nope.wav", [], 2, "does not exist"),
        (lambda p: _text_file(p / "x.wav"), [], 2, "not an audio file"),
        pytest.param(_silent_wav, [], 2, "No speech was found", marks=pytest.mark.model),  # loads tiny.en first
        (_silent_wav, ["--model", "no-such-model"], 3, "No model 'no-such-model'"),
    ],
)
def test_cli_bad_input_one_sentence_no_traceback_nothing_clobbered(tmp_path: Path, make, args, code, words) -> None:
    out = tmp_path / "keep.txt"
    out.write_text("earlier transcript\n")
    result = CliRunner().invoke(main, ["transcribe", str(make(tmp_path)), "--out", str(out), "-q", *args])
    assert result.exit_code == code
    assert words in result.output and "Traceback" not in result.output
    assert out.read_text() == "earlier transcript\n"
