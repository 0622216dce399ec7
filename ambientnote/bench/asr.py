"""ASR benchmark: load time, batch real-time factor, streaming lag, peak memory.

``ambientnote bench`` calls ``run_asr_bench``. Streaming lag answers the
clinician's question "is the live transcript keeping up?": blocks are fed as
a microphone would deliver them (0.5 s each) on a simulated clock, without
sleeping, and the lag is how long after a block *arrived* the transcriber was
done with it (the backlog). That is not yet how far the text is behind the
speaker: a word is shown only once its speech window has closed and been
recognised, so ``stream_word_lag_*`` measures, per word, how long after it
was spoken (its end) it was returned. ``final_lag_s`` is how long after the
end of the visit the full transcript is ready.
"""

from __future__ import annotations

import os
import sys
import time

from ambientnote.asr import engine
from ambientnote.asr.batch import transcribe_audio
from ambientnote.asr.streaming import StreamingTranscriber
from ambientnote.bench.run import peak_rss_mb
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.capture.samples import long_consultation
from ambientnote.config import settings

BLOCK_S = 0.5


def run_asr_bench(model: str, audio_seconds: float) -> dict:
    """Benchmark ``model`` on ``audio_seconds`` of looped sample consultations; a flat dict of numbers."""
    audio = long_consultation(audio_seconds)
    engine._cache.pop((model, settings().threads), None)  # measure a cold load
    start = time.perf_counter()
    engine.load_asr_model(model)
    load_s = time.perf_counter() - start

    start = time.perf_counter()
    batch = transcribe_audio(audio, model=model)
    batch_s = time.perf_counter() - start

    streamer = StreamingTranscriber(model=model)
    block = int(BLOCK_S * SAMPLE_RATE)
    done_at = 0.0  # simulated clock: when the transcriber became free
    lags: list[float] = []
    word_lags: list[float] = []
    shown: set[tuple[float, str]] = set()
    for offset in range(0, audio.size, block):
        chunk = audio[offset : offset + block]
        arrived = (offset + chunk.size) / SAMPLE_RATE
        began = max(arrived, done_at)
        tick = time.perf_counter()
        stable = streamer.feed(chunk)
        done_at = began + (time.perf_counter() - tick)
        lags.append(done_at - arrived)
        for word in (w for seg in stable for w in seg.words):
            word_lags.append(done_at - word.end)
            shown.add((word.start, word.word))
    tick = time.perf_counter()
    streamed = streamer.finish()
    final_at = max(done_at, audio_seconds) + (time.perf_counter() - tick)
    final_lag = final_at - audio_seconds
    word_lags += [final_at - w.end for seg in streamed.segments for w in seg.words if (w.start, w.word) not in shown]
    return {
        "model": model,
        "threads": settings().threads,
        "audio_s": round(audio_seconds, 1),
        "load_s": round(load_s, 2),
        "batch_s": round(batch_s, 2),
        "rtf_batch": round(batch_s / audio_seconds, 3),
        "stream_max_lag_s": round(max(lags), 2),
        "stream_mean_lag_s": round(sum(lags) / len(lags), 3),
        "stream_final_lag_s": round(final_lag, 2),
        "stream_word_lag_mean_s": round(sum(word_lags) / max(len(word_lags), 1), 2),
        "stream_word_lag_max_s": round(max(word_lags, default=0.0), 2),
        "turns_batch": len(batch.segments),
        "turns_stream": len(streamed.segments),
        "peak_rss_mb": peak_rss_mb(),
        # other work on the machine slows every wall-clock figure above; this says how busy it was
        "load_avg_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


if __name__ == "__main__":
    import json

    name = sys.argv[1] if len(sys.argv) > 1 else settings().asr_model
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    print(json.dumps(run_asr_bench(name, seconds), indent=2))
