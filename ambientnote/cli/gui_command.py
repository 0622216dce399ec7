"""``ambientnote gui``: opens the desktop app (the default command)."""

from __future__ import annotations

import click

from ambientnote.cli.context import cli_settings
from ambientnote.errors import ConfigError


@click.command()
def gui() -> None:
    """Open the desktop app."""
    try:
        from ambientnote.gui.app import run  # here: Qt loads only for the window, and a build may lack it
    except ImportError as exc:
        raise ConfigError("The desktop app is not available in this build; use the commands listed by --help.") from exc
    run(cli_settings())


COMMANDS = [gui]
