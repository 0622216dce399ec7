"""A full disk during ``draft --save``: one sentence, the drafted note kept, the store unharmed.

The disk is real: a 2 MiB tmpfs holds the store and is filled up to a few pages,
so SQLite meets ENOSPC writing its WAL exactly as on a clinician's full laptop.
"""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner
from support.sandbox import sandbox_env

from ambientnote.cli import main
from ambientnote.paths import assets_dir

ADMIN = {"AMBIENTNOTE_USER": "boss", "AMBIENTNOTE_PASSWORD": "boss-pass-123"}
TRANSCRIPT = assets_dir() / "samples" / "consult1_hypertension.txt"
ROOMS_KIB = range(32, 257, 16)  # the room that lets the login in (key file, a login event) but not the save


def run(args, ok=True):
    result = CliRunner().invoke(main, args, env=ADMIN)
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit | None), result.exception
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    """A store on its own 2 MiB file system; yields a function that fills it up to ``kib`` free."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip()}); needs root")
    filler = disk / "filler"

    def leave(kib: int | None) -> None:
        filler.unlink(missing_ok=True)
        if kib is not None:
            free = subprocess.run(["df", "--output=avail", "-k", str(disk)], capture_output=True, text=True,
                                  check=True).stdout.split()[-1]
            filler.write_bytes(b"\0" * (int(free) - kib) * 1024)

    try:
        for key, value in sandbox_env(disk / "home").items():
            monkeypatch.setenv(key, value)
        run(["db", "init"])
        yield leave
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _draft_save_on_a_full_disk(leave, *args: str):
    """Run ``draft --save`` with less and less room taken away until the login fits and the save does not."""
    for kib in ROOMS_KIB:
        leave(kib)
        result = run(["draft", str(TRANSCRIPT), "--save", "--quiet", *args], ok=False)
        assert "Saved as encounter" not in result.output, f"{kib} KiB were enough to save; lower ROOMS_KIB"
        if "the drafted note itself is kept" in result.output:
            return result
        assert "disk is full" in result.output, result.output  # the login did not fit yet: nothing written
    pytest.fail("no room let the login in and kept the save out")


def test_a_full_disk_during_save_keeps_the_note_and_says_one_sentence(small_disk, tmp_path):
    out = tmp_path / "note.md"
    result = _draft_save_on_a_full_disk(small_disk, "--format", "md", "--out", str(out))
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert result.exit_code == 5 and len(errors) == 1 and result.output.count("\n") == 1, result.output
    assert "disk is full" in errors[0] and f"kept in {out}" in errors[0]
    assert "## Subjective" in out.read_text()  # the drafted note is not lost

    printed = _draft_save_on_a_full_disk(small_disk)  # no --out: the note is on stdout before the error
    assert "HISTORY OF PRESENT ILLNESS" in printed.output and "kept printed above" in printed.output

    small_disk(None)  # space again: nothing half-saved, the store and its audit chain intact
    assert "consult1_hypertension" not in run(["encounter", "list"]).output
    assert "intact" in run(["db", "check"]).output
    run(["draft", str(TRANSCRIPT), "--save", "--quiet"])
    assert "consult1_hypertension" in run(["encounter", "list"]).output
