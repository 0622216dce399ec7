#!/usr/bin/env python3
"""Rebuild the synthetic sample consultations from their reference transcripts.

Each ``consultN_*.txt`` here is the reference: one speaker turn per line,
tagged ``[doctor]``, ``[patient]`` or ``[patient_guest]`` (ACI-Bench style),
written for this project. This script speaks every turn with espeak-ng, one
voice per role, joins the turns with short pauses and writes a 16 kHz mono FLAC
of the same name. It needs only the standard library, ``espeak-ng`` and ``sox``
(both Debian packages), so it runs without AmbientNote installed:

    python assets/samples/make_samples.py            # all samples
    python assets/samples/make_samples.py consult4_knee

The audio is deterministic for a given espeak-ng/sox version; the FLACs are
committed so tests do not need espeak-ng.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# espeak-ng voice, speed (words per minute) and pitch (0-99) per role tag.
VOICES = {
    "doctor": ("en-us+m3", 165, 45),
    "patient": ("en-us+f1", 155, 50),
    "patient_guest": ("en-us+linda", 150, 60),
}
TURN_GAP_S = (0.7, 0.9, 0.6, 1.0)  # cycled, so pauses between turns vary a little
LEAD_S = 0.5
RATE = 16000
_TAG = re.compile(r"^\[(?P<tag>[a-z_]+)\]\s*(?P<text>.+)$")


def read_turns(reference: Path) -> list[tuple[str, str]]:
    turns = []
    for line in reference.read_text(encoding="utf-8").splitlines():
        match = _TAG.match(line.strip())
        if match:
            turns.append((match["tag"], match["text"]))
    return turns


def _silence(path: Path, seconds: float) -> None:
    subprocess.run(
        ["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(path), "trim", "0", f"{seconds:.3f}"], check=True
    )


def _speak(tag: str, text: str, path: Path, voice: tuple[str, int, int] | None = None) -> None:
    """Speak ``text`` into a 16 kHz mono WAV with the role's voice, or ``voice`` (name, words/min, pitch) when given."""
    name, speed, pitch = voice or VOICES[tag]
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", name, "-s", str(speed), "-p", str(pitch), "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(path)], check=True)


def build(reference: Path) -> Path:
    """Synthesise ``reference`` (tagged text) into ``<same name>.flac``; returns the FLAC path."""
    out = reference.with_suffix(".flac")
    with tempfile.TemporaryDirectory() as tmp:
        parts: list[Path] = []
        lead = Path(tmp) / "lead.wav"
        _silence(lead, LEAD_S)
        parts.append(lead)
        for n, (tag, text) in enumerate(read_turns(reference)):
            turn = Path(tmp) / f"turn{n:03d}.wav"
            gap = Path(tmp) / f"gap{n:03d}.wav"
            _speak(tag, text, turn)
            _silence(gap, TURN_GAP_S[n % len(TURN_GAP_S)])
            parts += [turn, gap]
        subprocess.run(["sox", *map(str, parts), "-r", str(RATE), "-c", "1", "-b", "16", str(out)], check=True)
    return out


def main(names: list[str]) -> None:
    references = sorted(HERE.glob("consult*.txt"))
    if names:
        references = [r for r in references if r.stem in names]
    for reference in references:
        out = build(reference)
        print(f"{out.name}: {out.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
