"""ASR benchmark: load time, batch real-time factor, how far the live text is behind the speaker, peak memory.

``ambientnote bench`` calls ``run_asr_bench``. The live figures answer the
clinician's question "is the live transcript keeping up?". The recording is
fed as the recorder delivers it, 0.25 s blocks at real-time pace (the
transcriber works on a background thread as well as in ``feed``, so a
simulated clock would not count what the two take from each other):

- ``stream_mean_lag_s`` / ``stream_max_lag_s``: the backlog, how long after a
  block arrived ``feed`` was done with it;
- ``stream_word_lag_*``: per live word, from when it was spoken (its end) to
  when the clinician could read it: when a provisional line first showed it
  (the same word, by its text and a time within ``MATCH_S``) or else when its
  live line came; ``stream_line_lag_*`` count the live lines alone (the figure
  before provisional lines), ``stream_words_provisional`` the words a
  provisional line showed first. ``stream_words_never_live`` counts the words
  of the final transcript that no live line covered (the clinician saw them
  only after Stop), so a live pass that skips speech cannot look fast
  unnoticed;
- ``stream_final_lag_s``: from the end of the visit (Stop) to the final
  transcript; ``stream_cpu_s`` the CPU time the transcriber used for it all
  (both passes, provisional lines and guesses ahead included).

Wall-clock figures depend on what else runs on the machine, so the 1-minute
load average is recorded beside them.
"""

from __future__ import annotations

import os
import re
import sys
import time

import numpy as np

from ambientnote.asr import engine
from ambientnote.asr.batch import transcribe_audio
from ambientnote.asr.streaming import Provisional, StreamingTranscriber
from ambientnote.bench.run import peak_rss_mb
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.capture.samples import long_consultation
from ambientnote.config import Settings, load_settings
from ambientnote.transcript import Segment, Word

BLOCK_S = 0.25  # what the recorder hands the transcriber
MATCH_S = 0.5  # a provisional word is a live line's word when their middles are this close and the text is the same


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
    line_lags: list[float] = []
    live: list[Segment] = []
    provisional: list[tuple[float, Word]] = []  # (when shown, word) of provisional lines since the last live line
    cpu = time.process_time()
    begin = time.perf_counter()
    for offset in range(0, audio.size, block):
        chunk = audio[offset : offset + block]
        arrived = (offset + chunk.size) / SAMPLE_RATE
        time.sleep(max(0.0, begin + arrived - time.perf_counter()))
        shown = streamer.feed(chunk)
        now = time.perf_counter() - begin
        lags.append(now - arrived)
        lines = [seg for seg in shown if not isinstance(seg, Provisional)]
        for word in (w for seg in lines for w in seg.words):
            line_lags.append(now - word.end)
            word_lags.append(min([at for at, p in provisional if _same(p, word)] + [now]) - word.end)
        if lines:
            provisional.clear()  # the live lines replace the provisional one
        provisional += [(now, w) for seg in shown if isinstance(seg, Provisional) for w in seg.words]
        live += lines
    streamed = streamer.finish()
    final_at = time.perf_counter() - begin
    final_words = [w for seg in streamed.segments for w in seg.words]
    unshown = [w for w in final_words if not any(s.start <= (w.start + w.end) / 2 <= s.end for s in live)]
    return {
        "stream_max_lag_s": round(max(lags), 2),
        "stream_mean_lag_s": round(sum(lags) / len(lags), 3),
        "stream_final_lag_s": round(final_at - audio_seconds, 2),
        "stream_cpu_s": round(time.process_time() - cpu, 1),
        "stream_word_lag_mean_s": _mean(word_lags),
        "stream_word_lag_max_s": round(max(word_lags, default=0.0), 2),
        "stream_line_lag_mean_s": _mean(line_lags),
        "stream_line_lag_max_s": round(max(line_lags, default=0.0), 2),
        "stream_words_live": len(line_lags),
        "stream_words_provisional": sum(a < b for a, b in zip(word_lags, line_lags, strict=True)),
        "stream_words_final": len(final_words),
        "stream_words_never_live": len(unshown),
        "turns_stream": len(streamed.segments),
        # other work on the machine slows every wall-clock figure above; this says how busy it was
        "load_avg_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def _same(shown: Word, word: Word) -> bool:
    """Whether a provisional line's word is this live line's word: the same text, said at the same time."""
    middle = (shown.start + shown.end - word.start - word.end) / 2
    return abs(middle) <= MATCH_S and _plain(shown.word) == _plain(word.word)


def _plain(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def _mean(values: list[float]) -> float:
    return round(sum(values) / max(len(values), 1), 2)


if __name__ == "__main__":
    import json

    cfg = load_settings()  # the benchmark is a face: it reads the settings once
    name = sys.argv[1] if len(sys.argv) > 1 else cfg.asr_model
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    live_only = "--live" in sys.argv
    result = live_lag(long_consultation(seconds), name, cfg=cfg) if live_only else run_asr_bench(name, seconds, cfg=cfg)
    print(json.dumps(result, indent=2))
