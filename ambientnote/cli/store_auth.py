"""Who is calling: credentials for CLI commands that touch the store.

Scripts, tests and CI set ``AMBIENTNOTE_USER`` and ``AMBIENTNOTE_PASSWORD``;
``AMBIENTNOTE_NEW_PASSWORD`` gives a new or changed password and
``AMBIENTNOTE_RECOVERY_KEY`` the recovery key. Otherwise we prompt, never
echoing a secret.
"""

from __future__ import annotations

import os

import click
import sqlcipher3

from ambientnote.cli.context import cli_settings
from ambientnote.errors import StoreCorrupt
from ambientnote.store.session import Session, login


def env_or_prompt(var: str, prompt: str, *, secret: bool = False, confirm: bool = False) -> str:
    value = os.environ.get(var)
    if value:
        return value
    return click.prompt(prompt, hide_input=secret, confirmation_prompt=confirm, err=True)


def account_name() -> str:
    return env_or_prompt("AMBIENTNOTE_USER", "Account")


def new_password(prompt: str = "New password") -> str:
    return env_or_prompt("AMBIENTNOTE_NEW_PASSWORD", prompt, secret=True, confirm=True)


def cli_session(*, for_check: bool = False) -> Session:
    """Log in (to the store of this invocation's settings) from the environment or prompts; errors are one
    sentence (StoreLocked).

    ``for_check``: ``db check`` logs in even when a damaged page stops the login's audit write.
    """
    name = account_name()
    return login(name, env_or_prompt("AMBIENTNOTE_PASSWORD", "Password", secret=True), cfg=cli_settings(),
                 for_check=for_check)


class StoreGroup(click.Group):
    """A command group whose SQLCipher errors (damaged pages, full disk) read as one sentence."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except sqlcipher3.DatabaseError as exc:
            raise StoreCorrupt(
                f"The store could not be read or written ({exc}); run 'ambientnote db check' or restore a backup."
            ) from exc
