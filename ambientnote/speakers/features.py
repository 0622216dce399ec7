"""A voice print per stretch of speech: MFCC statistics and pitch, numpy only.

Neural speaker embeddings would need a downloaded model; for telling two to
four people in one room apart, the spectral envelope (MFCC mean and spread)
plus the speaking pitch is enough, runs in milliseconds on a CPU and ships no
weights. 40 ms frames every 10 ms; only the louder frames of a stretch count,
so pauses and breaths do not blur the print.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ambientnote.capture.audio import SAMPLE_RATE

_WIN = 640  # 40 ms: long enough for two periods of a 60 Hz voice
_HOP = 160  # 10 ms
_NFFT = 1024
_N_MELS = 40
_N_CEPS = 20
N_CEPSTRA = _N_CEPS - 1  # c0 (loudness) left out: a print is these means, then their spreads, pitch, voicing
_F0_MIN, _F0_MAX = 60.0, 400.0
EMBEDDING_SIZE = 2 * N_CEPSTRA + 2


@lru_cache(maxsize=1)
def _mel_filterbank() -> np.ndarray:
    def hz_to_mel(hz: np.ndarray) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + hz / 700.0)

    mels = np.linspace(hz_to_mel(np.array(60.0)), hz_to_mel(np.array(7600.0)), _N_MELS + 2)
    hz = 700.0 * (10 ** (mels / 2595.0) - 1.0)
    bins = np.floor((_NFFT + 1) * hz / SAMPLE_RATE).astype(int)
    bank = np.zeros((_N_MELS, _NFFT // 2 + 1))
    for m in range(1, _N_MELS + 1):
        left, centre, right = bins[m - 1], bins[m], bins[m + 1]
        bank[m - 1, left:centre] = (np.arange(left, centre) - left) / max(centre - left, 1)
        bank[m - 1, centre:right] = (right - np.arange(centre, right)) / max(right - centre, 1)
    return bank


@lru_cache(maxsize=1)
def _dct_matrix() -> np.ndarray:
    n = np.arange(_N_MELS)
    k = np.arange(_N_CEPS)[:, None]
    return np.cos(np.pi * k * (2 * n + 1) / (2 * _N_MELS))


def _frames(audio: np.ndarray) -> np.ndarray:
    if audio.size < _WIN:
        audio = np.pad(audio, (0, _WIN - audio.size))
    count = 1 + (audio.size - _WIN) // _HOP
    index = np.arange(_WIN)[None, :] + _HOP * np.arange(count)[:, None]
    return audio[index] * np.hamming(_WIN)[None, :]


def _pitch(frames: np.ndarray) -> np.ndarray:
    """Log F0 per frame by normalised autocorrelation; NaN where unvoiced."""
    spectrum = np.fft.rfft(frames, n=2 * _NFFT, axis=1)
    acf = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :_NFFT]
    lo, hi = int(SAMPLE_RATE / _F0_MAX), int(SAMPLE_RATE / _F0_MIN)
    energy = acf[:, 0] + 1e-10
    lag = lo + np.argmax(acf[:, lo:hi], axis=1)
    peak = acf[np.arange(len(acf)), lag] / energy
    f0 = np.log(SAMPLE_RATE / lag.astype(float))
    return np.where(peak > 0.45, f0, np.nan)


def voice_print(audio: np.ndarray) -> np.ndarray | None:
    """Embedding of one speaker's stretch of audio, or None if it holds too little sound."""
    frames = _frames(np.asarray(audio, dtype=np.float64))
    power = np.abs(np.fft.rfft(frames, n=_NFFT, axis=1)) ** 2
    energy = power.sum(axis=1)
    loud = energy >= max(np.percentile(energy, 40), 1e-8)
    if loud.sum() < 10:  # under ~0.1 s of sound
        return None
    logmel = np.log(power[loud] @ _mel_filterbank().T + 1e-10)
    ceps = (logmel @ _dct_matrix().T)[:, 1:]  # c0 is loudness, not voice
    f0 = _pitch(frames[loud])
    voiced = f0[~np.isnan(f0)]
    pitch = float(np.median(voiced)) if voiced.size >= 5 else np.nan
    return np.concatenate([ceps.mean(axis=0), ceps.std(axis=0), [pitch, voiced.size / loud.sum()]])
