"""Files AmbientNote writes: owner-only, never through a planted link, never half, and a bad name is one sentence."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from ambientnote.cli import main
from ambientnote.files import atomic_writer, write_atomic
from ambientnote.paths import assets_dir

ADMIN = {"AMBIENTNOTE_USER": "boss", "AMBIENTNOTE_PASSWORD": "boss-pass-123"}
TRANSCRIPT = assets_dir() / "samples" / "consult1_hypertension.txt"
LONG = "n" * 300  # over the 255 bytes any common file system allows in one name


def run(args, env=None, ok=True):
    result = CliRunner().invoke(main, args, env=env or {})
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit | None), result.exception
    if ok:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, result.output
    return result


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _plant_links(out: Path, victim: Path) -> list[Path]:
    """Symlinks at every temporary name the old writers used or an attacker would guess."""
    names = [f"{out.name}.tmp", f".{out.name}.tmp", f"{out.name}.partial", f".{out.name}.partial",
             f"{out.name}.part", f"{out.name}.db-partial", f"{out.name}~"]
    links = [out.with_name(n) for n in names]
    for link in links:
        link.symlink_to(victim)
    return links


@pytest.fixture
def site(home):
    run(["db", "init"], ADMIN)
    return home


def test_draft_out_is_owner_only_and_never_follows_a_planted_link(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("the attacker wants this replaced")
    out = tmp_path / "note.md"
    links = _plant_links(out, victim)
    run(["draft", str(TRANSCRIPT), "--format", "md", "--out", str(out), "--quiet"])
    assert "## Subjective" in out.read_text()
    assert _mode(out) == 0o600 and not out.is_symlink()
    assert victim.read_text() == "the attacker wants this replaced"
    assert all(link.is_symlink() for link in links)  # untouched, not reused
    leftovers = {p.name for p in tmp_path.iterdir()} - {p.name for p in links} - {"victim.txt", "note.md"}
    assert not leftovers


def test_backup_out_is_owner_only_and_never_follows_a_planted_link(site, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "store.bak"
    _plant_links(out, victim)
    run(["db", "backup", "--out", str(out)], ADMIN)
    assert _mode(out) == 0o600 and victim.read_text() == "precious"
    assert {p.name for p in site.iterdir() if p.name.endswith(".tmp")} == set()  # the staging copy is gone


def test_a_replaced_target_that_is_a_link_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    out = tmp_path / "settings.toml"
    out.symlink_to(victim)
    write_atomic(out, "x = 1\n")
    assert out.read_text() == "x = 1\n" and not out.is_symlink() and victim.read_text() == "keep"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "keys.json"
    out.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(out) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("crash in the middle")
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["keys.json"]


def test_a_name_over_255_bytes_is_one_sentence(site, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    result = run(["draft", str(TRANSCRIPT), "--out", str(tmp_path / f"{LONG}.md"), "--quiet"], ok=False)
    assert "shorter name" in result.output
    result = run(["draft", str(tmp_path / f"{LONG}.txt"), "--quiet"], ok=False)
    assert "shorter name" in result.output
    result = run(["db", "backup", "--out", str(tmp_path / f"{LONG}.bak")], ADMIN, ok=False)
    assert "shorter name" in result.output
    assert list(tmp_path.iterdir()) == []
