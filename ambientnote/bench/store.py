"""Store and audit figures for ``ambientnote bench``: unlock, list/open at scale, verify, size, tamper.

Everything runs in throw-away stores under a temporary folder (ciphertext only).
Unlocking uses the real KDF settings; the bulk stores use a cheap KDF because
only their unlocks would be slower, not what is measured. The 100,000
encounters are inserted in one bulk transaction with the real schema and
indexes (saving them one by one would only measure fsync); list and open go
through the real, audited services.

The machine is shared, so each timed figure comes with the one-minute load average when it was taken
(``*_load``) and, beside the wall time, the process's CPU time (``*_cpu_*``): CPU time shows whether the code got
slower, wall time what a user waited. Opening an encounter writes its audit event (a commit and the anchor, each
fsynced), so its wall time also follows the disk.

    python -m ambientnote.bench.store --out FILE [--scale quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ambientnote.audit.log import record
from ambientnote.audit.verify import verify_store
from ambientnote.bench.sandbox import sandbox, synthetic_note, synthetic_transcript
from ambientnote.bench.tamper import fill_log, run_tamper_trials
from ambientnote.store.accounts import init_store
from ambientnote.store.encounters import list_encounters, save_draft, show_encounter
from ambientnote.store.legacy_content import encrypt_in_place
from ambientnote.store.session import Session, login

SCALES = {
    "full": {"encounters": 100_000, "events": 1_000_000, "tamper": 1000, "tamper_log": 2000, "sample": 50},
    "quick": {"encounters": 5_000, "events": 50_000, "tamper": 100, "tamper_log": 500, "sample": 10},
}
PASSWORD = "bench-password-1"


def _log(message: str) -> None:
    sys.stderr.write(f"[store bench] {message}\n")
    sys.stderr.flush()


def _timed(fn: Callable[[], Any], repeat: int = 1) -> list[float]:
    return [wall for wall, _ in _clocked(fn, repeat)]


def _clocked(fn: Callable[[], Any], repeat: int = 1) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return times


def _load() -> float:
    """The one-minute load average (other people's work on the same cores), beside each figure."""
    return round(os.getloadavg()[0], 2)


def _db_bytes(session: Session) -> int:
    session.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return session.store.paths.db.stat().st_size


def bench_unlock(home: Path) -> dict[str, Any]:
    """Login with the shipped Argon2id cost: unwrap the data key and open the store."""
    with sandbox(home, fast_kdf=False) as s:
        init_store("bench", PASSWORD, cfg=s)[0].close()
        load = _load()
        times = _clocked(lambda: login("bench", PASSWORD, cfg=s).close(), repeat=5)
    return {"unlock_s": round(statistics.median(w for w, _ in times), 3),
            "unlock_cpu_s": round(statistics.median(c for _, c in times), 3), "unlock_load": load,
            "kdf": f"argon2id m={s.kdf_memory_kib // 1024}MiB t={s.kdf_time_cost} p=1"}


def bench_size(home: Path, sample: int) -> dict[str, Any]:
    """Bytes on disk per realistic encounter (a ~7 min, 105-segment transcript and its note), and audio overhead."""
    with sandbox(home) as cfg:
        session, _ = init_store("bench", PASSWORD, cfg=cfg)
        with session:
            transcript, note = synthetic_transcript(repeat=15), synthetic_note()
            before = _db_bytes(session)
            for i in range(sample):
                save_draft(session, patient_label=f"Patient {i}", transcript=transcript, note_json=note,
                           audio_path=None, model="bench")
            per_encounter = (_db_bytes(session) - before) / sample
            audio = home / "audio.bin"
            audio.write_bytes(bytes(range(256)) * 40_960)  # 10 MiB stands in for ~5 min of 16 kHz PCM
            before = _db_bytes(session)
            save_draft(session, patient_label="A", transcript=transcript, note_json=note, audio_path=audio,
                       model="bench")
            overhead = (_db_bytes(session) - before - per_encounter) / audio.stat().st_size - 1
    return {"store_kb_per_encounter": round(per_encounter / 1024, 1),
            "audio_overhead_pct": round(100 * overhead, 1)}


def _bulk_encounters(session: Session, count: int) -> None:
    transcript = synthetic_transcript(repeat=3).model_dump_json()
    note = json.dumps(synthetic_note())
    with session.store.transaction() as tx:
        for start in range(0, count, 10_000):
            n = min(10_000, count - start)
            first = tx.execute("SELECT coalesce(max(id), 0) + 1 FROM encounters").fetchone()[0]
            ids = range(first, first + n)
            now = "2026-01-01T09:00:00.000000+00:00"
            tx.executemany("INSERT INTO encounters(id, author_id, patient_label, started_at, ended_at, created_at,"
                           " status) VALUES (?, ?, ?, ?, ?, ?, 'draft')",
                           [(i, session.account_id, f"Patient {i}", now, now, now) for i in ids])
            tx.executemany("INSERT INTO transcripts(encounter_id, body, model, created_at) VALUES (?, ?, 'm', ?)",
                           [(i, transcript, now) for i in ids])
            tx.executemany("INSERT INTO note_versions(encounter_id, version, status, body, model, author_id,"
                           " created_at) VALUES (?, 1, 'draft', ?, 'm', ?, ?)",
                           [(i, note, session.account_id, now) for i in ids])
            for i in ids:
                encrypt_in_place(tx, session.store.store_id, session.account_key(), i)  # as save_draft stores them
                record(tx, session.actor, "encounter.create", entity_type="encounter", entity_id=i)


def bench_encounters(home: Path, count: int) -> dict[str, Any]:
    """List (first page and all) and open with ``count`` encounters of one clinician."""
    with sandbox(home) as cfg:
        session, _ = init_store("bench", PASSWORD, cfg=cfg)
        with session:
            _log(f"inserting {count:,} encounters")
            _bulk_encounters(session, count)
            first_page = _timed(lambda: list_encounters(session, limit=50), repeat=5)
            everything = _timed(lambda: list_encounters(session, limit=None), repeat=3)
            step = max(1, count // 20)
            load = _load()
            opens = [t for i in range(1, count + 1, step) for t in _clocked(partial(show_encounter, session, i))]
            size = _db_bytes(session)
    walls = sorted(w for w, _ in opens)
    return {"encounters": count, "list_first_page_ms": round(1000 * statistics.median(first_page), 1),
            "list_all_ms": round(1000 * statistics.median(everything), 1),
            "open_ms_median": round(1000 * statistics.median(walls), 1), "open_ms_max": round(1000 * walls[-1], 1),
            "open_cpu_ms_median": round(1000 * statistics.median(c for _, c in opens), 1), "open_load": load,
            "bulk_store_mb": round(size / 1e6, 1)}


def bench_verify(home: Path, events: int) -> dict[str, Any]:
    with sandbox(home) as cfg:
        session, _ = init_store("bench", PASSWORD, cfg=cfg)
        with session:
            _log(f"writing {events:,} audit events")
            fill_log(session.store, events)
            result: list = []
            load = _load()
            [(seconds, cpu)] = _clocked(lambda: result.append(verify_store(session.store)))
    assert result[0].ok, result[0].reason
    return {"audit_events": result[0].events, "audit_verify_s": round(seconds, 2),
            "audit_verify_cpu_s": round(cpu, 2), "audit_verify_load": load,
            "audit_verify_events_per_s": round(result[0].events / seconds)}


def bench_tamper(home: Path, trials: int, log_size: int) -> dict[str, Any]:
    with sandbox(home) as cfg:
        session, _ = init_store("bench", PASSWORD, cfg=cfg)
        with session:
            fill_log(session.store, log_size)
            _log(f"{trials} tamper trials on a {log_size:,}-event log")
            report = run_tamper_trials(session.store, trials)
    return {"tamper_trials": report.trials, "tamper_detected_share": report.share_detected,
            "tamper_located_share": report.located / report.trials,
            "tamper_by_kind": {k: {"trials": t, "detected": d} for k, (t, d) in report.by_kind.items()}}


def run_store_bench(scale: str = "full") -> dict[str, Any]:
    """All store figures at ``scale`` ("full" as in the issue, "quick" for a smoke run)."""
    plan = SCALES[scale]
    results: dict[str, Any] = {"scale": scale}
    with tempfile.TemporaryDirectory(prefix="ambientnote-bench-") as tmp:
        root = Path(tmp)
        _log("unlock")
        results |= bench_unlock(root / "unlock")
        _log("size per encounter")
        results |= bench_size(root / "size", plan["sample"])
        results |= bench_encounters(root / "encounters", plan["encounters"])
        results |= bench_verify(root / "verify", plan["events"])
        results |= bench_tamper(root / "tamper", plan["tamper"], plan["tamper_log"])
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="Write the figures here as JSON.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    args = parser.parse_args(argv)
    results = run_store_bench(args.scale)
    text = json.dumps(results, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
