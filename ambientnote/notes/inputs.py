"""What ``draft`` accepts: audio (transcribed first), a tagged ``.txt`` or a transcript ``.json``."""

from __future__ import annotations

from pathlib import Path

from ambientnote.asr import transcribe_audio
from ambientnote.capture.audio import load_audio
from ambientnote.capture.quality import file_warnings
from ambientnote.config import Settings
from ambientnote.errors import InputError
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.transcript import Transcript
from ambientnote.transcript.formats import load_transcript

TRANSCRIPT_SUFFIXES = {".txt", ".json"}


def is_audio(path: Path) -> bool:
    return path.suffix.lower() not in TRANSCRIPT_SUFFIXES


def transcript_from_input(path: Path, *, cfg: Settings, on_progress: ProgressCallback = no_progress) -> Transcript:
    """The transcript in ``path``, or the recording there transcribed by ``cfg``."""
    if not path.exists():
        raise InputError(f"The file {path} does not exist.")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give an audio file or a transcript.")
    if not is_audio(path):
        return load_transcript(path)
    return transcribe_recording(path, cfg=cfg, on_progress=on_progress)


def transcribe_recording(path: Path, *, cfg: Settings, model: str | None = None, vocabulary: bool | None = None,
                         on_progress: ProgressCallback = no_progress) -> Transcript:
    """A recording transcribed, with what is wrong with its audio (``capture.quality``) in its warnings."""
    audio = load_audio(path)
    transcript = transcribe_audio(audio, cfg=cfg, model=model, vocabulary=vocabulary, on_progress=on_progress,
                                  what=Path(path).name)
    transcript.warnings = file_warnings(path, audio)
    return transcript
