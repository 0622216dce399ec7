"""``ambientnote transcribe AUDIO``: a recording in, a transcript with speaker roles out."""

from __future__ import annotations

from pathlib import Path

import click

from ambientnote.cli.context import cli_settings
from ambientnote.cli.output import write_output
from ambientnote.cli.progress import stderr_progress
from ambientnote.notes.inputs import transcribe_recording
from ambientnote.transcript.formats import FORMATS, render


@click.command()
@click.argument("audio", type=click.Path(path_type=Path, dir_okay=True))
@click.option("--model", "-m", default=None, help="ASR model: manifest name (tiny.en, base) or a CTranslate2 folder.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="txt", show_default=True, help="Output format.")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=None, help="Write here instead of stdout.")
@click.option("--no-vocabulary", is_flag=True, help="Do not bias decoding toward the medical vocabulary.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def transcribe(audio: Path, model: str | None, fmt: str, out: Path | None, no_vocabulary: bool, quiet: bool) -> None:
    """Transcribe AUDIO (WAV, FLAC, MP3, M4A…) into speaker turns tagged [doctor] / [patient].

    txt: one turn per line; json: segments with id, start, end, speaker, role,
    text, confidence and word timestamps; srt/vtt: subtitles.
    """
    transcript = transcribe_recording(
        audio, cfg=cli_settings(), model=model, vocabulary=False if no_vocabulary else None,
        on_progress=stderr_progress(not quiet),
    )
    for warning in transcript.warnings:  # the audio's quality, before anyone reads the words
        click.echo(f"Note: {warning}", err=True)
    text = render(transcript, fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_output(text, out)
        if not quiet:
            click.echo(f"{len(transcript.segments)} turns written to {out}", err=True)


COMMANDS = [transcribe]
