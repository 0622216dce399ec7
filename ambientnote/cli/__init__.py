"""The ``ambientnote`` command: a thin face over the services.

Each command group lives in its own module and is registered here. Errors of
the ``AmbientNoteError`` tree print as one sentence on stderr and set the exit
code; a traceback appears only with ``--debug``.
"""

from __future__ import annotations

import logging
import sys

import click

import ambientnote.offline  # noqa: F401  (must run before model libraries load)
from ambientnote import __version__
from ambientnote.cli import (
    audit_commands,
    bench_command,
    db_commands,
    draft_command,
    encounter_commands,
    eval_command,
    gui_command,
    models_command,
    train_command,
    transcribe_command,
    user_commands,
)
from ambientnote.cli.progress import end_progress_line
from ambientnote.config import load_settings
from ambientnote.egress import install_for_site
from ambientnote.errors import AmbientNoteError, InputError
from ambientnote.files import explain


class _Group(click.Group):
    """Renders AmbientNote errors as one sentence at the edge."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AmbientNoteError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            end_progress_line()
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            if exc.filename is None or (ctx.obj and ctx.obj.get("debug")):
                raise
            # A path the services met before any check of theirs (e.g. a name over 255 bytes): still one sentence.
            end_progress_line()
            click.echo(f"Error: {exc.filename} cannot be used: {explain(exc)}.", err=True)
            ctx.exit(InputError.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing was saved from the unfinished step.", err=True)
            ctx.exit(130)


@click.group(cls=_Group, invoke_without_command=True)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs (never PHI).")
@click.version_option(__version__, prog_name="ambientnote")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """AmbientNote: record a consultation, transcribe it locally, draft the note."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, stream=sys.stderr)
    ctx.obj["settings"] = cfg = load_settings()  # the one read of this invocation's settings (cli.context)
    install_for_site(cfg)  # zero egress: from here on only loopback and the policy's on-prem endpoint
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui_command.gui)


def _register() -> None:
    for module in (models_command, draft_command, eval_command, gui_command, db_commands, user_commands,
                   encounter_commands, audit_commands, transcribe_command, bench_command, train_command):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
