"""``ambientnote db …``: create, check, back up, restore, rekey and purge the encrypted store."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ambientnote.access import AccountRole
from ambientnote.audit.forward import no_repository_sentence
from ambientnote.cli.context import cli_settings
from ambientnote.cli.store_auth import StoreGroup, account_name, cli_session, env_or_prompt
from ambientnote.config import SAFETY_FIELDS
from ambientnote.errors import InputError, StoreCorrupt
from ambientnote.store import maintenance, retention, safety
from ambientnote.store.accounts import init_store


def _show_recovery_key(key: str) -> None:
    click.echo("Recovery key (shown once; store it offline, e.g. printed in the site safe):")
    click.echo(f"  {key}")


RECOVERY_KEY_FILE_HELP = ("A file holding the recovery key shown at 'ambientnote db init' "
                          "(default: AMBIENTNOTE_RECOVERY_KEY or a prompt).")


def read_recovery_key(path: Path | None) -> str:
    """The recovery key from a file the holder brought (on a USB stick, say), else the environment or a prompt."""
    if path is None:
        return env_or_prompt("AMBIENTNOTE_RECOVERY_KEY", "Recovery key", secret=True)
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"The recovery key file {path} cannot be read; nothing was opened.") from exc


@click.group(cls=StoreGroup)
def db() -> None:
    """The encrypted store: init, check, backup, restore, rekey, purge, policy."""


@db.command()
def init() -> None:
    """Create the store and its first account (roles admin + clinician)."""
    name = account_name()
    password = os.environ.get("AMBIENTNOTE_NEW_PASSWORD") or env_or_prompt(
        "AMBIENTNOTE_PASSWORD", "Password for the first account", secret=True, confirm=True)
    session, recovery_key = init_store(name, password, cfg=cli_settings())
    with session:
        click.echo(f"Created the store in {session.store.paths.home} with the account '{name}' (admin, clinician).")
        _show_recovery_key(recovery_key)


@db.command()
def check() -> None:
    """Check page integrity, page authentication and the audit chain."""
    with cli_session(for_check=True) as session:
        result = maintenance.check_store(session)
        unanchored = no_repository_sentence(session.store.settings)
    if not result.ok:
        raise StoreCorrupt(f"The store failed its check: {'; '.join(result.problems)}")
    click.echo(" ".join(filter(None, ["The store is intact: pages, page authentication, references and audit chain "
                                      "all check out.", unanchored])))


@db.command()
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Backup file to write.")
def backup(out: Path) -> None:
    """Write an encrypted backup of the whole store."""
    with cli_session() as session:
        size = maintenance.backup(session, out)
    click.echo(f"Wrote an encrypted backup to {out} ({size / 1e6:.1f} MB).")


@db.command()
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(backup_file: Path) -> None:
    """Replace the store with BACKUP_FILE (log in as an admin of the backup)."""
    name = account_name()
    password = env_or_prompt("AMBIENTNOTE_PASSWORD", "Password (in the backup)", secret=True)
    kept = maintenance.restore(backup_file, name, password, cfg=cli_settings())
    click.echo(f"Restored the store from {backup_file}.")
    if kept:
        click.echo(f"The replaced store is kept, still encrypted, in {kept}.")


@db.command()
def rekey() -> None:
    """Re-encrypt the store under a new key (other accounts then need new passwords)."""
    with cli_session() as session:
        recovery_key = maintenance.rekey(session, env_or_prompt("AMBIENTNOTE_PASSWORD", "Password", secret=True))
    click.echo("The store now uses a new key. Other accounts need a new password: 'ambientnote user passwd NAME'; "
               "their encounters then open again after 'ambientnote user restore-keys NAME'.")
    _show_recovery_key(recovery_key)
    click.echo("Keep the recovery key from 'db init' too: break-glass and 'user restore-keys' still need it.")


@db.command()
@click.option("--audio-days", type=click.IntRange(min=0), default=None,
              help="Delete audio this many days after signing (default: the retention policy).")
def purge(audio_days: int | None) -> None:
    """Apply the retention policy: delete audio of encounters signed long enough ago."""
    with cli_session() as session:
        result = retention.purge(session, audio_days=audio_days)
    click.echo(f"Purged the audio of {result.encounters} encounters ({result.audio_bytes / 1e6:.1f} MB).")


@db.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
def policy(key: str | None, value: str | None) -> None:
    """Show the policy, or set KEY to VALUE ('none' unsets it); safety settings (routing, endpoint,
    de-identification, audit repository) are an admin's to change."""
    with cli_session() as session:
        if key in SAFETY_FIELDS:
            safety.set_safety_setting(session, key, None if value in (None, "none") else value)
        elif key is not None:
            retention.set_policy(session, key, None if value in (None, "none") else _int(value))
        if AccountRole.admin in session.roles:
            for name, current in retention.get_policy(session).items():
                click.echo(f"{name} = {current if current is not None else 'none'}")
        lock = "" if AccountRole.admin in session.roles else ", locked: only an administrator changes it"
        for name, current, source in safety.safety_overview(session):
            shown = "none" if current is None else str(current).lower() if isinstance(current, bool) else current
            click.echo(f"{name} = {shown}  ({source}{lock})")


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a whole number.") from None


COMMANDS = [db]
