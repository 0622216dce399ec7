"""``ambientnote models list|verify``: what models are installed, and are they intact."""

from __future__ import annotations

import click

from ambientnote.cli.context import cli_settings
from ambientnote.errors import ModelError, ModelNotInstalled
from ambientnote.models import load_manifest, resolve_model


@click.group()
def models() -> None:
    """List and verify the models AmbientNote can load."""


@models.command("list")
def list_models() -> None:
    """Show every model in the manifest with its role, size, source package and licence."""
    for entry in load_manifest().values():
        click.echo(
            f"{entry.name:<14} {entry.role:<10} {entry.format:<12} {entry.size / 1e6:7.1f} MB  "
            f"{entry.package}  [{entry.licence}]"
        )


@models.command("verify")
@click.argument("names", nargs=-1)
def verify(names: tuple[str, ...]) -> None:
    """Check the SHA-256 of every file of the named (default: all installed) models."""
    manifest = load_manifest()
    cfg = cli_settings()
    failures = 0
    for name in names or tuple(manifest):
        entry = manifest.get(name)
        if entry is None:
            raise ModelError(f"No model '{name}' in the manifest; see 'ambientnote models list'.")
        try:
            path = resolve_model(name, entry.role, cfg=cfg)
            click.echo(f"ok       {name}  {path}")
        except ModelNotInstalled:
            if names:
                raise
            click.echo(f"absent   {name}  (optional; its package is not installed)")
            continue
        except ModelError as exc:
            failures += 1
            click.echo(f"FAILED   {name}  {exc}")
    if failures:
        raise ModelError(f"{failures} model(s) failed verification; reinstall them before use.")


COMMANDS = [models]
