"""Reading and writing transcripts: tagged text, JSON, SRT and WebVTT.

Tagged text is ACI-Bench's layout, one speaker turn per line:
``[doctor] how are you ?`` / ``[patient] fine .``; it is what clinicians paste
and what the datasets hold, so the drafting pipeline accepts it as input.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import ValidationError

from ambientnote.errors import InputError
from ambientnote.transcript.model import Role, Segment, Transcript

_TAG = re.compile(r"^\s*\[(?P<tag>[a-z_ ]+)\]\s*(?P<text>.*)$", re.IGNORECASE)
# "Doctor: …" / "Patient: …", as MTS-Dialog and many pasted transcripts write turns
_LABEL = re.compile(r"^\s*(?P<tag>doctor|clinician|patient|guest_family|guest_clinician)\s*:\s*(?P<text>.*)$",
                    re.IGNORECASE)
_TAG_ROLES = {"doctor": Role.clinician, "clinician": Role.clinician, "patient": Role.patient}
FORMATS = ("txt", "json", "srt", "vtt")


def parse_tagged_text(text: str) -> Transcript:
    """Parse ``[doctor] …`` / ``[patient] …`` (or ``Doctor: …``) lines; untagged lines continue the previous turn."""
    segments: list[Segment] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _TAG.match(line) or _LABEL.match(line)
        if match:
            tag = match["tag"].strip().lower()
            role = _TAG_ROLES.get(tag, Role.other)
            speaker = {"doctor": "S1", "clinician": "S1", "patient": "S2"}.get(tag, tag)
            segments.append(
                Segment(id=f"s{len(segments) + 1}", speaker=speaker, role=role, text=match["text"].strip())
            )
        elif segments:
            segments[-1].text = f"{segments[-1].text} {line.strip()}"
        else:
            segments.append(Segment(id="s1", text=line.strip()))
    if not segments:
        raise InputError("The transcript is empty: it holds no speaker turns to draft from.")
    return Transcript(segments=segments)


def to_tagged_text(transcript: Transcript) -> str:
    return "".join(f"[{s.role.tag}] {s.text}\n" for s in transcript.segments)


def _timestamp(seconds: float, sep: str) -> str:
    millis = int(round(seconds * 1000))
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_subtitles(transcript: Transcript, fmt: str) -> str:
    """SRT or WebVTT cues, one per segment, voice-tagged with the role."""
    sep = "," if fmt == "srt" else "."
    cues = []
    for n, seg in enumerate(transcript.segments, start=1):
        timing = f"{_timestamp(seg.start, sep)} --> {_timestamp(seg.end, sep)}"
        if fmt == "srt":
            cues.append(f"{n}\n{timing}\n[{seg.role.tag}] {seg.text}\n")
        else:
            cues.append(f"{seg.id}\n{timing}\n<v {seg.role.tag}>{seg.text}\n")
    body = "\n".join(cues)
    return body if fmt == "srt" else f"WEBVTT\n\n{body}"


def render(transcript: Transcript, fmt: str) -> str:
    if fmt == "txt":
        return to_tagged_text(transcript)
    if fmt == "json":
        return transcript.model_dump_json(indent=2)
    if fmt in ("srt", "vtt"):
        return to_subtitles(transcript, fmt)
    raise InputError(f"Unknown transcript format '{fmt}'; choose one of {', '.join(FORMATS)}.")


def load_transcript(path: Path) -> Transcript:
    """Load a tagged ``.txt`` or a ``transcribe --format json`` file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"The file {path} does not exist.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"The file {path} cannot be read as a text transcript.") from exc
    if path.suffix.lower() == ".json":
        try:
            return Transcript.model_validate(json.loads(raw))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise InputError(f"{path} is not a transcript JSON file written by 'ambientnote transcribe'.") from exc
    return parse_tagged_text(raw)
