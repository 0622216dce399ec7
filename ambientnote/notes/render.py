"""Render a note for people: plain text for pasting into the EHR, Markdown, or JSON."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from ambientnote.errors import InputError
from ambientnote.notes.schema import Note
from ambientnote.paths import templates_dir

NOTE_FORMATS = ("txt", "md", "json")
DOCUMENT_FORMATS = (*NOTE_FORMATS, "instructions.txt", "instructions.md")


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=False,  # plain text and Markdown, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_note(note: Note, fmt: str = "txt", *, show_evidence: bool = False) -> str:
    if fmt == "json":
        return note.model_dump_json(indent=2)
    if fmt not in DOCUMENT_FORMATS:
        raise InputError(f"Unknown note format '{fmt}'; choose one of {', '.join(NOTE_FORMATS)}.")
    if fmt.startswith("instructions."):
        return _env().get_template(f"notes/{fmt}.j2").render(note=note, show_evidence=show_evidence)
    template = _env().get_template(f"notes/note.{fmt}.j2")
    return template.render(note=note, show_evidence=show_evidence)
