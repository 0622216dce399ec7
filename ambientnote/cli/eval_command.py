"""``ambientnote eval``: note quality on ACI-Bench-style data, as JSON plus a Markdown table."""

from __future__ import annotations

from pathlib import Path

import click

from ambientnote.cli.context import cli_settings
from ambientnote.cli.output import write_output
from ambientnote.cli.progress import stderr_progress
from ambientnote.config import Route
from ambientnote.datasets import is_mts_dialog
from ambientnote.evaluation.run import evaluate, markdown_summary
from ambientnote.evaluation.sections import evaluate_sections, markdown_sections
from ambientnote.notes.llm import load_note_model


@click.command("eval")
@click.option("--data", type=click.Path(path_type=Path, exists=True, dir_okay=False), required=True,
              help="CSV in ACI-Bench (dialogue, note) or MTS-Dialog (section_header, section_text, dialogue) layout.")
@click.option("--limit", type=int, default=None, help="Only the first N encounters.")
@click.option("--model", default=None, help="With --zero-shot: the model (manifest name or GGUF path).")
@click.option("--adapter", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="With --zero-shot: a LoRA GGUF to apply to the model.")
@click.option("--template", default="soap", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="JSON report; a .md summary is written beside it.")
@click.option("--route", type=click.Choice([r.value for r in Route]), default=None,
              help="Draft through the on-prem router (needs onprem_url and routing_allowed).")
@click.option("--zero-shot", is_flag=True,
              help="Baseline: a language model writes the whole note in one free-text answer (no record, no evidence).")
def eval_(data: Path, limit: int | None, model: str | None, adapter: Path | None, template: str, out: Path,
          route: str | None, zero_shot: bool) -> None:
    """Draft every encounter of DATA and report ROUGE (whole note and per division), the note-style audit, fact
    recall/precision (vitals, medication doses, problems, orders, referrals, follow-up), evidence and guard
    figures, and seconds per note.

    DATA in MTS-Dialog's layout (section_header, section_text, dialogue) is scored section by section.
    """
    progress = stderr_progress()
    cfg = cli_settings()
    note_model = load_note_model(model, cfg=cfg, adapter=adapter, on_progress=progress) if zero_shot else None
    if is_mts_dialog(data):
        section_report = evaluate_sections(data, limit=limit, on_progress=progress)
        write_output(section_report.model_dump_json(indent=2), out)
        table = markdown_sections(section_report)
    else:
        report = evaluate(data, cfg=cfg, model=note_model, template=template, limit=limit, on_progress=progress,
                          route=Route(route) if route else None)
        write_output(report.model_dump_json(indent=2), out)
        table = markdown_summary(report)
    write_output(table, out.with_suffix(".md"))
    click.echo(table)


COMMANDS = [eval_]
