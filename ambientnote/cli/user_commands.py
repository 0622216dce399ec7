"""``ambientnote user …``: accounts and their roles (admin), and one's own password."""

from __future__ import annotations

from pathlib import Path

import click

from ambientnote.access import ROLES, AccountRole
from ambientnote.cli.context import cli_settings
from ambientnote.cli.db_commands import RECOVERY_KEY_FILE_HELP, read_recovery_key
from ambientnote.cli.store_auth import StoreGroup, cli_session, env_or_prompt, new_password
from ambientnote.store import accounts
from ambientnote.store.credentials import normalize_name
from ambientnote.store.session import Session

_ROLE = click.Choice(ROLES)


def _admin_before_prompt(session: Session, kind: str, name: str) -> None:
    """Refuse a non-admin before asking for a new password they could never set (the service checks again)."""
    session.require(AccountRole.admin, kind, entity_type="account", entity_id=normalize_name(name))


@click.group(cls=StoreGroup)
def user() -> None:
    """Accounts: add, passwd, restore-keys, disable, enable, roles, list."""


@user.command()
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, type=_ROLE, help="Repeat for several roles.")
def add(name: str, roles: tuple[str, ...]) -> None:
    """Add the account NAME (its password: AMBIENTNOTE_NEW_PASSWORD or a prompt)."""
    with cli_session() as session:
        _admin_before_prompt(session, "account.create", name)
        accounts.add_account(session, name, list(roles), new_password(f"Password for {name}"))
    click.echo(f"Added the account '{name}' ({', '.join(sorted(set(roles)))}).")


@user.command()
@click.argument("name", required=False)
@click.option("--recovery-key", "use_recovery", is_flag=True,
              help="Reset NAME's password with the site recovery key instead of logging in.")
def passwd(name: str | None, use_recovery: bool) -> None:
    """Change your password, or (admin) NAME's, or with --recovery-key reset NAME's."""
    if use_recovery:
        if not name:
            raise click.UsageError("Name the account whose password the recovery key should reset.")
        key = env_or_prompt("AMBIENTNOTE_RECOVERY_KEY", "Recovery key", secret=True)
        accounts.reset_with_recovery_key(name, key, new_password(), cfg=cli_settings())
    else:
        with cli_session() as session:
            if name and normalize_name(name) != session.account:
                # An admin's reset: the same sentence as the app's, which says what happens to their encounters.
                _admin_before_prompt(session, "account.password", name)
                click.echo(accounts.reset_password(session, name, new_password(f"New password for {name}")))
                return
            name = session.account
            accounts.change_password(session, new_password(), name)
    click.echo(f"The password of '{name}' was changed.")


@user.command(name="restore-keys")
@click.argument("name")
@click.option("--recovery-key-file", type=click.Path(dir_okay=False, path_type=Path), help=RECOVERY_KEY_FILE_HELP)
def restore_keys(name: str, recovery_key_file: Path | None) -> None:
    """Give NAME back the encounters sealed to their key from before an admin reset their password (an admin,
    with the recovery key of 'db init')."""
    recovery_key = read_recovery_key(recovery_key_file)
    with cli_session() as session:
        done, lost = accounts.restore_account_keys(session, name, recovery_key)
    click.echo(f"Restored {done} earlier key(s) of '{name}': their encounters open again at their next login.")
    if lost:
        click.echo(f"{lost} key(s) were made before the store had a break-glass key and cannot be restored.")


@user.command()
@click.argument("name")
def disable(name: str) -> None:
    """Disable the account NAME (its key wrap is deleted)."""
    with cli_session() as session:
        accounts.disable_account(session, name)
    click.echo(f"Disabled the account '{name}'.")


@user.command()
@click.argument("name")
def enable(name: str) -> None:
    """Enable the account NAME again with a new password."""
    with cli_session() as session:
        _admin_before_prompt(session, "account.enable", name)
        accounts.enable_account(session, name, new_password(f"New password for {name}"))
    click.echo(f"Enabled the account '{name}'.")


@user.command()
@click.argument("name")
@click.option("--role", "roles", multiple=True, required=True, type=_ROLE, help="The full new set; repeat.")
def roles(name: str, roles: tuple[str, ...]) -> None:
    """Replace the roles of NAME."""
    with cli_session() as session:
        accounts.set_roles(session, name, list(roles))
    click.echo(f"'{name}' now holds: {', '.join(sorted(set(roles)))}.")


@user.command(name="list")
def list_() -> None:
    """List accounts with roles and state."""
    with cli_session() as session:
        infos = accounts.list_accounts(session)
    for info in infos:
        state = "disabled" if info.disabled else "locked" if info.locked else "active"
        click.echo(f"{info.name:<20} {','.join(info.roles):<28} {state:<9} since {info.created_at[:10]}")


COMMANDS = [user]
