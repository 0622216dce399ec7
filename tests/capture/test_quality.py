"""Audio quality said before drafting: narrow-band, clipped, noisy or silent recordings get one sentence each."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from ambientnote.capture.audio import SAMPLE_RATE, load_audio
from ambientnote.capture.quality import audio_warnings, file_warnings


def speech_like(seconds: float = 6.0, rate: int = SAMPLE_RATE, seed: int = 0) -> np.ndarray:
    """Syllable-like bursts (a voiced tone with harmonics up to 6 kHz) between short pauses."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    voice = sum(np.sin(2 * np.pi * f * t) / k for k, f in enumerate(range(150, 6000, 150), start=1))
    voice = voice + 0.05 * rng.normal(size=t.size)  # breath noise, full band
    envelope = (np.sin(2 * np.pi * 3 * t) > -0.2).astype(float)
    out = voice * envelope
    return (0.3 * out / np.max(np.abs(out))).astype(np.float32)


def test_good_audio_gets_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "visit.wav"
    sf.write(path, speech_like(rate=44100), 44100)
    assert file_warnings(path, load_audio(path)) == []


def test_a_telephone_recording_says_its_rate(tmp_path: Path) -> None:
    path = tmp_path / "phone.wav"
    sf.write(path, speech_like(rate=8000), 8000)
    [warning] = file_warnings(path, load_audio(path))
    assert warning.startswith("The recording was made at 8 kHz, below the 16 kHz")


def test_telephone_audio_stored_at_a_high_rate_is_still_called_narrow_band() -> None:
    narrow = np.repeat(speech_like(rate=8000), 2)  # 8 kHz audio upsampled: nothing above 4 kHz
    smooth = np.convolve(narrow, np.ones(4) / 4, mode="same").astype(np.float32)
    [warning] = audio_warnings(smooth, 48000)
    assert "no sound above 4 kHz" in warning


def test_clipped_audio_is_called_clipped(tmp_path: Path) -> None:
    path = tmp_path / "loud.wav"
    sf.write(path, np.clip(speech_like(rate=48000) * 8, -1, 1), 48000)
    warnings = file_warnings(path, load_audio(path))
    assert any(w.startswith("The recording is clipped (too loud") for w in warnings), warnings


def test_noisy_audio_is_called_noisy() -> None:
    clean = speech_like()
    noise = np.random.default_rng(1).normal(size=clean.size).astype(np.float32)
    noise *= np.sqrt(np.mean(clean**2) / np.mean(noise**2) / 10 ** (5 / 10))  # 5 dB SNR
    [warning] = audio_warnings(clean + noise, SAMPLE_RATE)
    assert warning.startswith("The recording is noisy (speech only about")


@pytest.mark.parametrize("speech_seconds", [0.0, 2.0])
def test_a_mostly_silent_recording_is_called_silent(speech_seconds: float) -> None:
    audio = np.concatenate([speech_like(speech_seconds) if speech_seconds else np.zeros(0, np.float32),
                            np.zeros(60 * SAMPLE_RATE, np.float32)])
    [warning] = audio_warnings(audio, SAMPLE_RATE)
    assert warning.startswith("The recording is mostly silence")


def test_trailing_silence_after_a_visit_is_not_called_silent() -> None:
    audio = np.concatenate([speech_like(60.0), np.zeros(8 * SAMPLE_RATE, np.float32)])
    assert audio_warnings(audio, SAMPLE_RATE) == []
