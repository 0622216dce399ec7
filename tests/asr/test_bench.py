"""The ASR benchmark that ``ambientnote bench`` reports, on a short looped consultation."""

from __future__ import annotations

from ambientnote.asr.bench import run_asr_bench


def test_bench_reports_load_rtf_lag_and_memory(asr_model) -> None:
    result = run_asr_bench("tiny.en", 45.0)
    assert result["audio_s"] == 45.0
    assert 0 < result["rtf_batch"] < 1.0  # faster than real time on two threads
    assert 0 <= result["stream_mean_lag_s"] <= result["stream_max_lag_s"]
    assert result["stream_final_lag_s"] >= 0 and result["load_s"] > 0
    assert result["peak_rss_mb"] > 50 and result["turns_batch"] >= 4
