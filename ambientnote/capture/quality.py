"""Is this recording good enough to draft from? One sentence per problem, said before drafting.

Whisper hears 16 kHz speech; a telephone recording (8 kHz, nothing above 4 kHz) turned
"ibuprofen 400 milligrams" into "I'm uprofen for 100 milligrams", and the note then
stated a wrong dose. The clinician should know, before reading the draft, that the audio
it came from was poor: narrow-band (recorded below 16 kHz, or holding no sound above
4 kHz even if stored at a higher rate), clipped (too loud: the peaks flattened), noisy
(speech hardly above the background) or mostly silent.

The measures are plain numpy on the 16 kHz mono array every stage reads, plus the
source's own sample rate, which only the file header (or the microphone) knows: decoding
resamples it away (``capture.audio.load_audio``). Levels were set on the bundled samples
and their telephone, noisy and clipped variants (``tests/capture/test_quality.py``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ambientnote.capture.audio import SAMPLE_RATE

NARROW_BAND_SHARE = 0.001  # of the energy above 4 kHz: full-band speech has 1-6 %, telephone audio none
CLIPPED_SHARE = 0.001  # of samples at (within 2 % of) the peak: clean speech has about 1 in 100,000
NOISY_BELOW_DB = 20.0  # loud frames (95th percentile) over quiet ones (10th): clean speech 40+ dB
SILENT_SHARE = 0.10  # of 30 ms frames holding sound
_FRAME = SAMPLE_RATE * 30 // 1000
_CHECK = "expect misheard words, and check doses and names against the recording"


def source_rate(path: Path) -> int | None:
    """The sample rate the file was recorded at (its first audio stream's), before any resampling."""
    import av  # heavy: PyAV loads only when a file is checked

    try:
        with av.open(str(path)) as container:
            stream = container.streams.audio[0]
            return int(stream.codec_context.sample_rate or stream.rate or 0) or None
    except (av.error.FFmpegError, IndexError, OSError, ValueError):
        return None


def _frame_levels(audio: np.ndarray) -> np.ndarray:
    """Each 30 ms frame's level in dB below full scale."""
    n = audio.size // _FRAME
    frames = audio[: n * _FRAME].reshape(n, _FRAME).astype(np.float64)
    return 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)


def high_band_share(audio: np.ndarray) -> float:
    """Share of the signal's energy above 4 kHz (a telephone line passes none)."""
    n = audio.size // 512
    if n == 0:
        return 1.0
    spectrum = np.abs(np.fft.rfft(audio[: n * 512].reshape(n, 512) * np.hanning(512), axis=1)) ** 2
    total = spectrum.sum()
    return float(spectrum[:, np.fft.rfftfreq(512, 1 / SAMPLE_RATE) > 4000].sum() / total) if total > 0 else 1.0


def clipped_share(audio: np.ndarray) -> float:
    """Share of samples within 2 % of the peak: a clipped recording holds its peak for many samples."""
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak < 0.1:
        return 0.0  # quiet audio is not clipped
    return float(np.mean(np.abs(audio) >= 0.98 * peak))


def audio_warnings(audio: np.ndarray, rate: int | None = None) -> list[str]:
    """One sentence for each way ``audio`` (16 kHz mono) is poor; ``rate``: the rate it was recorded at."""
    warnings: list[str] = []
    if audio.size < _FRAME:
        return warnings
    if rate is not None and rate < SAMPLE_RATE:
        warnings.append(f"The recording was made at {rate / 1000:g} kHz, below the 16 kHz speech recognition needs "
                        f"(telephone quality): {_CHECK}.")
    elif high_band_share(audio) < NARROW_BAND_SHARE and np.max(np.abs(audio)) > 0.01:
        warnings.append(f"The recording holds no sound above 4 kHz (telephone-quality audio): {_CHECK}.")
    if (share := clipped_share(audio)) > CLIPPED_SHARE:
        warnings.append(f"The recording is clipped (too loud: {share:.1%} of it at the peak level): {_CHECK}.")
    levels = _frame_levels(audio)
    loud, quiet = np.percentile(levels, 95), np.percentile(levels, 10)
    sounding = float(np.mean(levels > max(quiet + 10, -50)))
    if loud < -50 or (sounding < SILENT_SHARE and quiet < -50):  # a steady background loud enough is noise
        warnings.append(f"The recording is mostly silence (sound in {sounding:.0%} of it): "
                        "check that the microphone was on and near the speakers.")
    elif loud - quiet < NOISY_BELOW_DB:
        warnings.append(f"The recording is noisy (speech only about {loud - quiet:.0f} dB above the background): "
                        f"{_CHECK}.")
    return warnings


def file_warnings(path: Path, audio: np.ndarray) -> list[str]:
    """``audio_warnings`` for a decoded file, with the rate its header gives."""
    return audio_warnings(audio, source_rate(Path(path)))
