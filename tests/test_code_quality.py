"""Lint and static types on the product code: ``ruff check ambientnote`` and ``mypy ambientnote`` are clean.

Both read their configuration from pyproject.toml (ruff: pycodestyle, pyflakes, isort, pyupgrade, bugbear,
annotations, blind except; mypy: checked untyped defs, the pydantic plugin, PySide6's own stubs). Running them
here puts them in every test run, ``.ci/run`` included; a finding fails with the tool's own report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("tool", [("ruff", "check", "ambientnote"), ("mypy", "ambientnote")], ids=["ruff", "mypy"])
def test_product_code_is_clean(tool: tuple[str, ...]) -> None:
    result = _run(*tool)
    assert result.returncode == 0, f"{' '.join(tool)} found problems:\n{result.stdout}{result.stderr}"
