"""Audio in: file import and live capture, always 16 kHz mono float32."""

from ambientnote.capture.audio import SAMPLE_RATE, load_audio, to_mono_16k
from ambientnote.capture.microphone import AudioSource, FileSource, MicrophoneCapture, SoundDeviceSource

__all__ = [
    "SAMPLE_RATE",
    "AudioSource",
    "FileSource",
    "MicrophoneCapture",
    "SoundDeviceSource",
    "load_audio",
    "to_mono_16k",
]
