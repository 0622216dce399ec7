"""The zero-shot baseline: the note model asked once, in free text, to write the whole note.

This is what "just prompt the small model" gives, the first column of the
side-by-side table; it has no evidence links, so the guard cannot check it.
"""

from __future__ import annotations

import time

from ambientnote.notes.draft import DraftStats
from ambientnote.notes.llm import NoteModel
from ambientnote.notes.prompts import render_prompt

MAX_TOKENS = 700


def zero_shot_note(dialogue: str, model: NoteModel) -> tuple[str, DraftStats]:
    started, before = time.perf_counter(), model.generated_tokens
    text = model.complete_text([
        {"role": "system", "content": render_prompt("zero_shot_system")},
        {"role": "user", "content": render_prompt("zero_shot_note", dialogue=dialogue)},
    ], max_tokens=MAX_TOKENS)
    return text, DraftStats(seconds=time.perf_counter() - started, tokens=model.generated_tokens - before)
