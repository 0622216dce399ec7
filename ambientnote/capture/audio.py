"""Audio files in, 16 kHz mono float32 out: the one format every later stage reads.

Decoding goes through PyAV (FFmpeg bundled in its wheel, via faster-whisper's
``decode_audio``), so WAV, FLAC, MP3, M4A/AAC, Ogg and video containers with an
audio track all work at any sample rate and channel count without a system
FFmpeg. Every failure a user can cause ends in one ``InputError`` sentence.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ambientnote.errors import InputError

SAMPLE_RATE = 16000
"""Samples per second of every array AmbientNote passes between stages."""


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(f"The audio file {path} does not exist; check the path.")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not an audio file; give the path of a recording.")
    if not os.access(path, os.R_OK):
        raise InputError(f"The audio file {path} cannot be read (permission denied); check its permissions.")
    if path.stat().st_size == 0:
        raise InputError(f"The audio file {path} is empty (0 bytes); the recording holds nothing to transcribe.")


def load_audio(path: Path) -> np.ndarray:
    """Decode ``path`` to a 16 kHz mono float32 array in [-1, 1].

    Raises ``InputError`` (one sentence) for a missing, unreadable, empty or
    non-audio file. Silence is *not* an error here: deciding that a recording
    holds no speech is the VAD's job (``NoSpeechError`` from ``ambientnote.asr``).
    """
    import av  # PyAV, a dependency of faster-whisper
    from faster_whisper.audio import decode_audio  # heavy: faster-whisper loads only when decoding a file

    path = Path(path)
    _check_readable(path)
    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, ValueError, IndexError, StopIteration) as exc:
        # IndexError/StopIteration: a container with no audio stream (e.g. an image or a text file).
        raise InputError(
            f"{path.name} is not an audio file AmbientNote can read; use WAV, FLAC, MP3 or M4A."
        ) from exc
    except OSError as exc:
        raise InputError(f"The audio file {path} cannot be read ({exc.strerror or exc}).") from exc
    if audio.size == 0:
        raise InputError(f"{path.name} holds no audio samples; the recording is empty.")
    return np.ascontiguousarray(audio, dtype=np.float32)


def to_mono_16k(block: np.ndarray, rate: int) -> np.ndarray:
    """Mix a (frames, channels) or (frames,) block to mono and resample it to 16 kHz.

    Used at the hardware edge when a device cannot record at 16 kHz itself;
    linear interpolation is enough for speech recognition after Whisper's own
    80-bin log-mel front end.
    """
    data = np.asarray(block, dtype=np.float32)
    if data.ndim == 2:
        data = data.mean(axis=1)
    if rate == SAMPLE_RATE or data.size == 0:
        return np.ascontiguousarray(data)
    n_out = int(round(data.size * SAMPLE_RATE / rate))
    x_old = np.arange(data.size, dtype=np.float64) / rate
    x_new = np.arange(n_out, dtype=np.float64) / SAMPLE_RATE
    return np.interp(x_new, x_old, data).astype(np.float32)
