"""Drafting benchmark: model load and draft time for the longest ACI-Bench validation visit.

That visit (~1,800 words of dialogue) stands for a 10-minute consultation: it
is what the drafting step receives when a recording of that length ends.
"""

from __future__ import annotations

import time
from pathlib import Path

from ambientnote.evaluation.run import load_encounters
from ambientnote.notes.draft import draft_note
from ambientnote.notes.llm import NoteModel, load_note_model
from ambientnote.transcript import Transcript
from ambientnote.transcript.formats import parse_tagged_text


def longest_dialogue(data: Path) -> Transcript:
    dialogue = max((row["dialogue"] for row in load_encounters(data)), key=lambda d: len(d.split()))
    return parse_tagged_text(dialogue)


def decode_speed(model: NoteModel, tokens: int = 128) -> float:
    """Plain decoding speed (tokens/s) of the note model, without a schema or a long prompt."""
    started = time.perf_counter()
    out = model.llm.create_completion("The patient is a 58-year-old man who", max_tokens=tokens, temperature=0.0)
    return int(out["usage"]["completion_tokens"]) / (time.perf_counter() - started)


def run_draft_bench(transcript: Transcript, model: str | None = None) -> dict:
    started = time.perf_counter()
    note_model = load_note_model(model)
    load_s = time.perf_counter() - started
    note, stats = draft_note(transcript, model=note_model)
    return {
        "model": note_model.name,
        "transcript_words": transcript.word_count(),
        "load_s": round(load_s, 2),
        "draft_s": round(stats.seconds, 2),
        "tokens": stats.tokens,
        "schema_answer_tokens_per_s": round(note_model.tokens_per_second, 1),
        "decode_tokens_per_s": round(decode_speed(note_model), 1),
        "statements": sum(1 for _ in note.statements()),
    }
