"""ASR benchmark: load time, batch real-time factor, streaming lag, peak memory.

``ambientnote bench`` calls ``run_asr_bench``. Streaming lag answers the
clinician's question "is the live transcript keeping up?": blocks are fed as
a microphone would deliver them (0.5 s each) on a simulated clock, without
sleeping, and the lag is how long after a block *arrived* the transcriber was
done with it. ``final_lag_s`` is how long after the end of the visit the full
transcript is ready.
"""

from __future__ import annotations

import sys
import time

from ambientnote.asr import engine
from ambientnote.asr.batch import transcribe_audio
from ambientnote.asr.streaming import StreamingTranscriber
from ambientnote.capture.audio import SAMPLE_RATE
from ambientnote.capture.samples import long_consultation
from ambientnote.bench.run import peak_rss_mb
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
    for n, offset in enumerate(range(0, audio.size, block)):
        chunk = audio[offset : offset + block]
        arrived = (offset + chunk.size) / SAMPLE_RATE
        began = max(arrived, done_at)
        tick = time.perf_counter()
        streamer.feed(chunk)
        done_at = began + (time.perf_counter() - tick)
        lags.append(done_at - arrived)
    tick = time.perf_counter()
    streamed = streamer.finish()
    final_lag = max(done_at, audio_seconds) + (time.perf_counter() - tick) - audio_seconds
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
        "turns_batch": len(batch.segments),
        "turns_stream": len(streamed.segments),
        "peak_rss_mb": peak_rss_mb(),
    }


if __name__ == "__main__":
    import json

    name = sys.argv[1] if len(sys.argv) > 1 else settings().asr_model
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    print(json.dumps(run_asr_bench(name, seconds), indent=2))
