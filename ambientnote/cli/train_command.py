"""``ambientnote train``: fine-tune the note writer (needs the 'train' extra)."""

from __future__ import annotations

from pathlib import Path

import click

from ambientnote.cli.context import cli_settings
from ambientnote.cli.progress import stderr_progress
from ambientnote.errors import InputError
from ambientnote.training.lora import TrainSettings
from ambientnote.training.run import run_training

_CSV = click.Path(path_type=Path, exists=True, dir_okay=False)


@click.command("train")
@click.option("--aci", "aci", type=_CSV, multiple=True, help="ACI-Bench-style training CSV (dialogue, note).")
@click.option("--mts", "mts", type=_CSV, multiple=True, help="MTS-Dialog-style training CSV.")
@click.option("--valid", type=_CSV, required=True, help="Validation CSV (ACI-Bench layout): selects the best step.")
@click.option("--base", default="smollm2-135m", show_default=True, help="Manifest name of the base GGUF.")
@click.option("--steps", type=int, default=200, show_default=True)
@click.option("--batch-size", type=int, default=8, show_default=True)
@click.option("--learning-rate", type=float, default=4e-4, show_default=True)
@click.option("--rank", type=int, default=16, show_default=True)
@click.option("--top-layers", type=int, default=12, show_default=True, help="Adapt only the last N layers.")
@click.option("--eval-every", type=int, default=25, show_default=True)
@click.option("--valid-pairs", type=int, default=120, show_default=True, help="Validation pairs scored per check.")
@click.option("--threads", type=int, default=None, help="CPU threads for torch (default: all).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Adapter GGUF to write; its report goes beside it as .json.")
def train(aci: tuple[Path, ...], mts: tuple[Path, ...], valid: Path, base: str, steps: int, batch_size: int,
          learning_rate: float, rank: int, top_layers: int, eval_every: int, valid_pairs: int,
          threads: int | None, out: Path) -> None:
    """LoRA-tune the note model to rewrite drafted statements as note sentences, export a GGUF adapter.

    Runs on a GPU when torch sees one, otherwise on the CPU.
    """
    if not aci and not mts:
        raise InputError("Give training data with --aci and/or --mts.")

    settings = TrainSettings(steps=steps, batch_size=batch_size, learning_rate=learning_rate, rank=rank,
                             alpha=2.0 * rank, top_layers=top_layers, eval_every=eval_every,
                             valid_pairs=valid_pairs, threads=threads)
    report = run_training(aci=list(aci), mts=list(mts), valid=valid, base=base, out=out, settings=settings,
                          cfg=cli_settings(), on_progress=stderr_progress())
    click.echo(f"Wrote {out} ({report['data']['train_pairs']} pairs, best step {report['best_step']}, "
               f"valid loss {report['best_valid_loss']:.3f}, {report['seconds'] / 60:.1f} min on "
               f"{report['hardware']['device']}).")


COMMANDS = [train]
