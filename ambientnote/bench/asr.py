"""ASR benchmark: load time, batch real-time factor, how far the live text is behind the speaker, peak memory.

``ambientnote bench`` calls ``run_asr_bench``. The live figures answer the
clinician's question "is the live transcript keeping up?". The recording is
fed as the recorder delivers it, 0.25 s blocks at real-time pace (the
transcriber works on a background thread as well as in ``feed``, so a
simulated clock would not count what the two take from each other):

- ``stream_mean_lag_s`` / ``stream_max_lag_s``: the backlog, how long after a
  block arrived ``feed`` was done with it;
- ``stream_word_lag_*``: per live word, from when it was spoken (its end) to
  when ``feed`` returned it; ``stream_words_never_live`` counts the words of
  the final transcript that no live line covered (the clinician saw them only
  after Stop), so a live pass that skips speech cannot look fast unnoticed;
- ``stream_final_lag_s``: from the end of the visit (Stop) to the final
  transcript.

Wall-clock figures depend on what else runs on the machine, so the 1-minute
load average is recorded beside them.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from ambientnote.asr import engine
from ambientnote.asr.batch import transcribe_audio
from ambientnote.asr.streaming import StreamingTranscriber
from ambientnote.bench.run import peak_rss_mb
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.capture.samples import long_consultation
from ambientnote.config import Settings, load_settings
from ambientnote.transcript import Segment

BLOCK_S = 0.25  # what the recorder hands the transcriber


def run_asr_bench(model: str, audio_seconds: float, *, cfg: Settings) -> dict:
    """Benchmark ``model`` on ``audio_seconds`` of looped sample consultations; a flat dict of numbers.

    ``cfg``: the settings it runs and reports by (threads, beam size, vocabulary)."""
    audio = long_consultation(audio_seconds)
    engine._cache.clear()  # measure a cold load
    start = time.perf_counter()
    engine.load_asr_model(model, cfg=cfg)
    load_s = time.perf_counter() - start

    start = time.perf_counter()
    batch = transcribe_audio(audio, cfg=cfg, model=model)
    batch_s = time.perf_counter() - start
    return {
        "model": model,
        "threads": cfg.threads,
        "audio_s": round(audio_seconds, 1),
        "load_s": round(load_s, 2),
        "batch_s": round(batch_s, 2),
        "rtf_batch": round(batch_s / audio_seconds, 3),
        **live_lag(audio, model, cfg=cfg),
        "turns_batch": len(batch.segments),
        "peak_rss_mb": peak_rss_mb(),
    }


def live_lag(audio: np.ndarray, model: str | None = None, *, cfg: Settings) -> dict:
    """Feed ``audio`` at real-time pace; backlog, per-word lag and the wait for the final transcript after Stop."""
    streamer = StreamingTranscriber(cfg=cfg, model=model)
    block = int(BLOCK_S * SAMPLE_RATE)
    audio_seconds = audio.size / SAMPLE_RATE
    lags: list[float] = []
    word_lags: list[float] = []
    live: list[Segment] = []
    begin = time.perf_counter()
    for offset in range(0, audio.size, block):
        chunk = audio[offset : offset + block]
        arrived = (offset + chunk.size) / SAMPLE_RATE
        time.sleep(max(0.0, begin + arrived - time.perf_counter()))
        stable = streamer.feed(chunk)
        now = time.perf_counter() - begin
        lags.append(now - arrived)
        word_lags += [now - w.end for seg in stable for w in seg.words]
        live += stable
    streamed = streamer.finish()
    final_at = time.perf_counter() - begin
    final_words = [w for seg in streamed.segments for w in seg.words]
    unshown = [w for w in final_words if not any(s.start <= (w.start + w.end) / 2 <= s.end for s in live)]
    return {
        "stream_max_lag_s": round(max(lags), 2),
        "stream_mean_lag_s": round(sum(lags) / len(lags), 3),
        "stream_final_lag_s": round(final_at - audio_seconds, 2),
        "stream_word_lag_mean_s": round(sum(word_lags) / max(len(word_lags), 1), 2),
        "stream_word_lag_max_s": round(max(word_lags, default=0.0), 2),
        "stream_words_live": sum(len(s.words) for s in live),
        "stream_words_final": len(final_words),
        "stream_words_never_live": len(unshown),
        "turns_stream": len(streamed.segments),
        # other work on the machine slows every wall-clock figure above; this says how busy it was
        "load_avg_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


if __name__ == "__main__":
    import json

    cfg = load_settings()  # the benchmark is a face: it reads the settings once
    name = sys.argv[1] if len(sys.argv) > 1 else cfg.asr_model
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    live_only = "--live" in sys.argv
    result = live_lag(long_consultation(seconds), name, cfg=cfg) if live_only else run_asr_bench(name, seconds, cfg=cfg)
    print(json.dumps(result, indent=2))
