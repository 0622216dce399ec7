"""``ambientnote bench``: the speed and memory figures the README reports, measured, not asserted.

Parts: asr (load, real-time factor, streaming lag on a looped 10-minute
consultation), draft (load and draft time on a 10-minute transcript), total (end
of recording to draft: the streaming tail plus drafting), store (unlock, lists at
100,000 encounters, audit verify at 1,000,000 events, tamper test) and gui.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from typing import Any

from ambientnote.bench.draft import longest_dialogue, run_draft_bench
from ambientnote.bench.gui import run_gui_bench
from ambientnote.bench.store import run_store_bench
from ambientnote.capture.samples import reference_path, sample_paths
from ambientnote.config import Settings, load_settings
from ambientnote.paths import resources_root
from ambientnote.transcript.formats import load_transcript

PARTS = ("asr", "draft", "store", "gui")


def peak_rss_mb() -> float | None:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux, bytes on macOS; None on Windows)."""
    try:
        import resource  # POSIX only: imported here so the command still runs (without this figure) on Windows
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def _asr(cfg: Settings, quick: bool) -> dict[str, Any]:
    from ambientnote.bench.asr import run_asr_bench  # a cycle: bench.asr takes peak_rss_mb from here

    return run_asr_bench(cfg.asr_model, 60.0 if quick else 600.0, cfg=cfg)


def _draft(cfg: Settings, quick: bool) -> dict[str, Any]:
    data = resources_root().parent / "shared" / "data" / "aci-bench" / "valid.csv"
    if not data.exists():
        return run_draft_bench(load_transcript(reference_path(sample_paths()[0])), template=cfg.note_template)
    return run_draft_bench(longest_dialogue(data), template=cfg.note_template)


def _store(cfg: Settings, quick: bool) -> dict[str, Any]:
    return run_store_bench("quick" if quick else "full")


def _gui(cfg: Settings, quick: bool) -> dict[str, Any]:
    return run_gui_bench()  # Qt loads in the benchmark's own child process, not here


_RUNNERS: dict[str, Callable[[Settings, bool], dict[str, Any]]] = {
    "asr": _asr, "draft": _draft, "store": _store, "gui": _gui,
}


def run_bench(
    parts: tuple[str, ...] = PARTS, *, quick: bool = False, on_part: Callable[[str], None] | None = None
) -> dict:
    cfg = load_settings()  # the benchmark is a face: it reads the settings once and measures by them
    results: dict[str, Any] = {
        "machine": {
            "platform": platform.platform(), "python": platform.python_version(), "threads": cfg.threads,
        },
    }
    for part in parts:
        if on_part:
            on_part(part)
        results[part] = _RUNNERS[part](cfg, quick)
    if "asr" in results and "draft" in results:
        tail = results["asr"]["stream_final_lag_s"]
        results["total"] = {
            "audio_end_to_draft_s": round(tail + results["draft"]["draft_s"], 2),
            "note": "streaming ASR tail after the last audio block + drafting (models already loaded while recording)",
            "target_s": 30,
        }
    results["peak_rss_mb"] = peak_rss_mb()
    return results


def summary_table(results: dict) -> str:
    """A plain table of the headline figures, for the terminal and the README."""
    rows = []
    if asr := results.get("asr"):
        rows += [("ASR model", asr["model"]), ("ASR load (s)", asr["load_s"]),
                 ("ASR real-time factor", asr["rtf_batch"]),
                 ("streaming lag mean / max (s)", f"{asr['stream_mean_lag_s']} / {asr['stream_max_lag_s']}")]
    if draft := results.get("draft"):
        rows += [("first draft, 10-min visit (s)", draft["first_draft_s"]),
                 ("draft time, 10-min visit (s)", draft["draft_s"])]
    if total := results.get("total"):
        rows.append(("end of audio → draft (s)", total["audio_end_to_draft_s"]))
    if store := results.get("store"):
        rows += [(f"store: {k}", v) for k, v in store.items() if isinstance(v, (int, float))]
    if gui := results.get("gui"):
        rows += [(f"gui: {k}", v) for k, v in gui.items()]
    rows.append(("peak RSS (MB)", results["peak_rss_mb"]))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


