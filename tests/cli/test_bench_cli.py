"""``ambientnote bench`` writes its figures as JSON and prints the table (a smoke run of the drafting part)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ambientnote.cli import main

pytestmark = pytest.mark.slow  # a benchmark run


def test_bench_draft_part_writes_figures(tmp_path):
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(main, ["bench", "--quick", "--part", "draft", "--out", str(out)])
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert figures["draft"]["draft_s"] > 0 and figures["draft"]["transcript_words"] > 100
    assert figures["peak_rss_mb"] > 0
    assert "draft time" in result.output
