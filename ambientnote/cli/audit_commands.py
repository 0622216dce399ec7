"""``ambientnote audit …``: read, verify and export the audit log (compliance role)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from ambientnote.audit import export as audit_export
from ambientnote.audit.forward import forward_now
from ambientnote.audit.signing import installation_public_key
from ambientnote.audit.verify import verify_audit, verify_file
from ambientnote.cli.context import cli_settings
from ambientnote.cli.output import write_output
from ambientnote.cli.progress import stderr_progress
from ambientnote.cli.store_auth import StoreGroup, cli_session
from ambientnote.errors import AmbientNoteError, AuditTampered
from ambientnote.exports.signature import signature_path

F = TypeVar("F", bound=Callable[..., object])
_FILTERS = [
    click.option("--since", default=None, help="From this date/time (UTC unless it says otherwise)."),
    click.option("--until", default=None, help="Before this date/time."),
    click.option("--user", default=None, help="Only this account's events."),
    click.option("--encounter", type=int, default=None, help="Only events about this encounter."),
]


def _with_filters(func: F) -> F:
    for option in reversed(_FILTERS):
        func = option(func)
    return func


@click.group(cls=StoreGroup)
def audit() -> None:
    """The audit log: show, verify, export."""


@audit.command()
@click.option("--file", "export_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Verify an export file (audit or note) and its signature offline instead of the store.")
@click.option("--public-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The published signing key (PEM) to check --file against (default: this computer's).")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
def verify(export_file: Path | None, public_key: Path | None, quiet: bool) -> None:
    """Check the hash chain (and an export's signature); names the first bad event. Exit 7 when tampered."""
    if public_key and not export_file:
        raise click.UsageError("--public-key checks an export's signature; give the export with --file.")
    if export_file:
        result = verify_file(export_file, public_key, home=cli_settings().home)
    else:
        with cli_session() as session:
            result = verify_audit(session, stderr_progress(enabled=not quiet))
    if not result.ok:
        raise AuditTampered(result.sentence().rstrip(".") + ".")
    click.echo(result.sentence())


@audit.command()
@_with_filters
@click.option("--limit", default=100, show_default=True, help="Show at most this many (newest).")
def show(since: str | None, until: str | None, user: str | None, encounter: int | None, limit: int) -> None:
    """Show audit events (ids and facts only; never PHI)."""
    with cli_session() as session:
        events = audit_export.read_events(session, since=since, until=until, user=user, encounter=encounter,
                                          newest=limit)
    for ev in events:
        entity = f"{ev.entity_type}:{ev.entity_id}" if ev.entity_id else ""
        outcome = "ok" if ev.outcome == "0" else f"FAIL({ev.outcome})"
        click.echo(f"{ev.seq:>8} {ev.recorded[:19].replace('T', ' ')} {ev.account:<14} {ev.subtype:<18} "
                   f"{outcome:<8} {entity} {ev.detail if ev.detail != '{}' else ''}")


@audit.command(name="export")
@click.option("--format", "fmt", type=click.Choice(audit_export.FORMATS), required=True)
@_with_filters
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export(fmt: str, since: str | None, until: str | None, user: str | None, encounter: int | None,
           out: Path) -> None:
    """Export audit events with their chain hashes (check later with 'audit verify --file')."""
    with cli_session() as session:
        count = audit_export.export_audit(session, fmt, out, since=since, until=until, user=user,
                                          encounter=encounter)
    click.echo(f"Exported {count} audit events to {out} (signature in {signature_path(out).name}).")


@audit.command()
def forward() -> None:
    """Send the audit events that wait to the hospital's audit repositories now (run it from a timer)."""
    with cli_session() as session:
        results = forward_now(session.store)
    for result in results:
        if not result.problem:
            click.echo(f"Sent {result.sent} audit events; {result.where} has everything up to event {result.head}.")
    if waiting := [r for r in results if r.problem]:
        raise AmbientNoteError(" ".join(f"{r.waiting} audit events wait: {r.problem}." for r in waiting))


@audit.command(name="public-key")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the PEM here instead of stdout.")
def public_key(out: Path | None) -> None:
    """The installation's public signing key (PEM), to publish so anyone can check exports (admin)."""
    with cli_session() as session:
        pem = installation_public_key(session)
    write_output(pem, out)
    if out is not None:
        click.echo(f"Wrote the public signing key to {out}; publish it where compliance officers can fetch it.",
                   err=True)


COMMANDS = [audit]
