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


def render_template(name: str, **context: object) -> str:
    """Render ``templates/NAME`` with the note templates' environment, so an export can include the note's own."""
    return _env().get_template(name).render(**context)


def render_note(note: Note, fmt: str = "txt", *, show_evidence: bool = False) -> str:
    if fmt == "json":
        return note.model_dump_json(indent=2)
    if fmt not in DOCUMENT_FORMATS:
        raise InputError(f"Unknown note format '{fmt}'; choose one of {', '.join(NOTE_FORMATS)}.")
    name = f"notes/{fmt}.j2" if fmt.startswith("instructions.") else f"notes/note.{fmt}.j2"
    return render_template(name, note=note, show_evidence=show_evidence)
