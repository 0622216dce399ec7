"""Drafting benchmark: draft time and peak memory for the longest ACI-Bench validation visit.

That visit (~1,800 words of dialogue) stands for a 10-minute consultation: it
is what the drafting step receives when a recording of that length ends. The
note is composed from the visit record without a language model, so there is no
model to load; the figure is the whole step from transcript to guarded note.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from ambientnote.datasets import read_aci_bench
from ambientnote.notes.draft import draft_note
from ambientnote.transcript import Transcript
from ambientnote.transcript.formats import parse_tagged_text


def longest_dialogue(data: Path) -> Transcript:
    dialogue = max((row["dialogue"] for row in read_aci_bench(data)), key=lambda d: len(d.split()))
    return parse_tagged_text(dialogue)


def run_draft_bench(transcript: Transcript, *, template: str, repeats: int = 5) -> dict:
    """Median of ``repeats`` drafts in the ``template`` layout (the first one also loads the lexicons and
    templates)."""
    times = []
    note = None
    for _ in range(repeats):
        started = time.perf_counter()
        note, _ = draft_note(transcript, template=template)
        times.append(time.perf_counter() - started)
    assert note is not None
    return {
        "composer": note.model,
        "transcript_words": transcript.word_count(),
        "first_draft_s": round(times[0], 3),
        "draft_s": round(statistics.median(times), 3),
        "statements": sum(1 for _ in note.statements()),
    }
