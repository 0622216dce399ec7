"""The ASR benchmark that ``ambientnote bench`` reports, on a short looped consultation.

The test checks that every figure is measured and written, and that the figures agree with each other; it never
asserts a speed (a busy machine is slower, not broken). The speeds themselves are what ``ambientnote bench``
reports.
"""

from __future__ import annotations

import json
import math

import pytest

from ambientnote.bench.asr import run_asr_bench
from ambientnote.bench.run import summary_table
from ambientnote.config import load_settings

FIGURES = ("load_s", "batch_s", "rtf_batch", "stream_max_lag_s", "stream_mean_lag_s", "stream_final_lag_s",
           "peak_rss_mb")


def test_bench_reports_load_rtf_lag_and_memory(asr_model) -> None:
    result = run_asr_bench("tiny.en", 45.0, cfg=load_settings())
    assert result["model"] == "tiny.en" and result["audio_s"] == 45.0 and result["threads"] >= 1
    for name in FIGURES:
        assert isinstance(result[name], (int, float)) and math.isfinite(result[name]) and result[name] >= 0, name
    assert result["rtf_batch"] == pytest.approx(result["batch_s"] / result["audio_s"], abs=1e-3)
    assert result["stream_mean_lag_s"] <= result["stream_max_lag_s"]
    assert result["peak_rss_mb"] > 50  # the model is in memory
    assert result["turns_batch"] >= 4 and result["turns_stream"] >= 1  # the looped visit was transcribed

    # What `ambientnote bench --out` writes and prints: the figures as JSON and the headline rows of the table.
    assert json.loads(json.dumps(result)) == result
    table = summary_table({"asr": result, "peak_rss_mb": result["peak_rss_mb"]})
    assert "ASR real-time factor" in table and str(result["rtf_batch"]) in table
