"""What ``draft`` accepts: audio (transcribed first), a tagged ``.txt`` or a transcript ``.json``."""

from __future__ import annotations

from pathlib import Path

from ambientnote.errors import InputError
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.transcript import Transcript
from ambientnote.transcript.formats import load_transcript

TRANSCRIPT_SUFFIXES = {".txt", ".json"}


def is_audio(path: Path) -> bool:
    return path.suffix.lower() not in TRANSCRIPT_SUFFIXES


def transcript_from_input(path: Path, *, on_progress: ProgressCallback = no_progress) -> Transcript:
    if not path.exists():
        raise InputError(f"The file {path} does not exist.")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give an audio file or a transcript.")
    if not is_audio(path):
        return load_transcript(path)
    from ambientnote.asr import transcribe_file

    return transcribe_file(path, on_progress=on_progress)
