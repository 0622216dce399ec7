"""The settings a command goes by: read once per invocation by the ``ambientnote`` group, passed to the services.

Why not a global: each invocation reads the policy, the environment and the user's file once, and every service it
calls gets those same settings as an argument (a store session gets them with the store's safety settings on top).
"""

from __future__ import annotations

import click

from ambientnote.config import Settings


def cli_settings() -> Settings:
    """This invocation's settings (read by the ``ambientnote`` group before any command runs)."""
    cfg = click.get_current_context().find_root().obj["settings"]
    assert isinstance(cfg, Settings)
    return cfg
