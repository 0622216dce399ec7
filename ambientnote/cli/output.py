"""Writing command output: to a file (atomically, so a full disk loses nothing) or to stdout."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ambientnote.errors import InputError


def write_output(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    tmp = out.with_name(f".{out.name}.partial")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"Could not write {out} ({exc.strerror}); free some space or choose another place.") from exc
