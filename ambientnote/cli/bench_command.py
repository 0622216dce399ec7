"""``ambientnote bench``: time every stage and write the figures as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ambientnote.bench.run import PARTS, run_bench, summary_table
from ambientnote.cli.output import write_output


@click.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("bench.json"), show_default=True)
@click.option("--part", "parts", multiple=True, type=click.Choice(PARTS), help="Only these parts (repeatable).")
@click.option("--quick", is_flag=True, help="Smaller inputs: a smoke run, not the reported figures.")
def bench(out: Path, parts: tuple[str, ...], quick: bool) -> None:
    """Measure load, ASR, drafting, store and GUI figures; print a table and write JSON."""
    results = run_bench(parts or PARTS, quick=quick, on_part=lambda p: click.echo(f"benchmarking {p}…", err=True))
    write_output(json.dumps(results, indent=2) + "\n", out)
    click.echo(summary_table(results))


COMMANDS = [bench]
