"""Audio import: every format at any rate and channel count becomes 16 kHz mono; bad files say so."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from ambientnote.capture import SAMPLE_RATE, FileSource, MicrophoneCapture, load_audio, to_mono_16k
from ambientnote.capture.samples import long_consultation
from ambientnote.errors import InputError


@pytest.mark.parametrize("ext,args", [("wav", []), ("mp3", ["-b:a", "64k"]), ("m4a", ["-c:a", "aac"]), ("flac", [])])
def test_formats_rates_and_channels_decode_to_16k_mono(short_sample: Path, tmp_path: Path, ext: str, args: list[str]) -> None:
    out = tmp_path / f"stereo44k.{ext}"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-i", str(short_sample), "-t", "5", "-ac", "2", "-ar", "44100", *args, str(out)],
        check=True,
    )
    audio = load_audio(out)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(audio.size / SAMPLE_RATE - 5.0) < 0.1
    assert 0.01 < np.abs(audio).max() <= 1.0


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make,expected",
    [
        (lambda p: p / "missing.wav", "does not exist"),
        (lambda p: p, "is a folder"),
        (lambda p: _write(p / "empty.wav", b""), "is empty"),
        (lambda p: _write(p / "notes.wav", b"not audio at all\n" * 50), "not an audio file"),
        (lambda p: _write(p / "random.mp3", np.random.default_rng(0).bytes(4000)), "not an audio file"),
    ],
)
def test_bad_files_raise_one_sentence(tmp_path: Path, make, expected: str) -> None:
    with pytest.raises(InputError) as info:
        load_audio(make(tmp_path))
    message = str(info.value)
    assert expected in message and message.count(". ") == 0 and "\n" not in message


def test_to_mono_16k_mixes_and_resamples() -> None:
    stereo = np.ones((48000, 2), dtype=np.float32) * 0.5
    mono = to_mono_16k(stereo, 48000)
    assert mono.shape == (16000,) and np.allclose(mono, 0.5)


def test_file_source_feeds_capture_block_by_block(short_sample: Path) -> None:
    audio = load_audio(short_sample)
    source = FileSource(audio, block_seconds=0.25)
    seen: list[int] = []
    capture = MicrophoneCapture(source, on_block=lambda b: seen.append(b.size))
    capture.start()
    assert source.finished.wait(10)
    capture.stop()
    blocks = list(capture.blocks(timeout=1))
    assert np.array_equal(np.concatenate(blocks), audio)
    assert sum(seen) == audio.size and capture.seconds == pytest.approx(audio.size / SAMPLE_RATE)
    assert capture.level >= 0.0


def test_long_consultation_has_the_requested_length() -> None:
    audio = long_consultation(150)
    assert audio.size == 150 * SAMPLE_RATE and audio.dtype == np.float32
