"""Writing command output: to a file (atomically and 0600, so a full disk loses nothing and PHI stays private)
or to stdout."""

from __future__ import annotations

from pathlib import Path

import click

from ambientnote.errors import InputError
from ambientnote.files import explain, write_atomic


def write_output(text: str, out: Path | None) -> None:
    """Print ``text``, or write it to ``out`` (owner-only: a note or transcript is PHI)."""
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    out = Path(out).expanduser()
    try:
        write_atomic(out, text)
    except OSError as exc:
        raise InputError(f"Could not write {out}: {explain(exc)}.") from exc
