"""Measure the recogniser: on the sample consultations, or per recording variant on the development set.

    python -m ambientnote.evaluation.asr [--models tiny.en,base] [--out asr_eval.json]
    python -m ambientnote.evaluation.asr --devset [--systems stock:tiny.en,stock:base,pipeline:base]
        [--policy drop_floor=0.3,...] [--label after] [--out docs/eval/asr-devset.json]

``--devset`` builds (or reuses) the development audio set of
``ambientnote.evaluation.asr_devset`` and scores, per variant (clean,
telephone, noise, reverb, MP3, M4A, 48 kHz stereo, trailing silence), the stock
models (plain ``WhisperModel.transcribe`` with faster-whisper's defaults, on the
same loaded model) and the AmbientNote pipeline (VAD windows, vocabulary
prompt, decode policy, roles): WER, drug-name recall, number recall, role
accuracy (per word and per turn), turns merged across speakers, inserted
words, invented sentences and real-time factor. Rows are
merged into the ``--out`` JSON by (label, system, variant), so a "before" and an
"after" run end up in one file, and the Markdown table is rewritten next to it.

For every model × vocabulary on/off it transcribes each sample (batch, the same
path as ``ambientnote transcribe``) and reports WER, real-time factor,
drug-name recall (drug names of the shipped vocabulary that occur in the
references) and role accuracy (word-aligned, against the reference tags).
Prints a Markdown table and writes everything, per sample too, as JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ambientnote.asr.batch import transcribe_audio
from ambientnote.asr.engine import DEFAULT_POLICY, DecodePolicy, LoadedModel, load_asr_model, to_segments
from ambientnote.asr.vocabulary import load_vocabulary
from ambientnote.capture.audio import SAMPLE_RATE, load_audio
from ambientnote.capture.samples import reference_path, sample_paths
from ambientnote.config import Settings, load_settings
from ambientnote.errors import InputError, NoSpeechError
from ambientnote.evaluation.asr_devset import VARIANT_NAMES, ensure_devset
from ambientnote.evaluation.asr_metrics import (
    invented_sentences,
    number_recall,
    plain_text,
    role_accuracy,
    term_recall,
    turn_scores,
    word_error_rate,
)
from ambientnote.transcript import Transcript
from ambientnote.transcript.formats import load_transcript


def evaluate(models: list[str], *, cfg: Settings) -> list[dict]:
    drugs = load_vocabulary().drugs
    samples = [(p, load_audio(p), load_transcript(reference_path(p))) for p in sample_paths()]
    rows = []
    for model in models:
        load_asr_model(model, cfg=cfg)  # load time is not part of the RTF
        for vocabulary in (False, True):
            totals = {"errors": 0.0, "ref_words": 0, "seconds": 0.0, "cpu": 0.0, "audio": 0.0,
                      "found": 0, "expected": 0, "agree": 0, "aligned": 0}
            per_sample = []
            for path, audio, reference in samples:
                start = time.perf_counter()
                hypothesis = transcribe_audio(audio, cfg=cfg, model=model, vocabulary=vocabulary)
                elapsed = time.perf_counter() - start
                ref_text, hyp_text = plain_text(reference), plain_text(hypothesis)
                wer = word_error_rate(ref_text, hyp_text)
                n_ref = len(ref_text.split())
                found, expected = term_recall(ref_text, hyp_text, drugs)
                agree, aligned = role_accuracy(reference, hypothesis)
                for key, value in (("errors", wer * n_ref), ("ref_words", n_ref), ("seconds", elapsed),
                                   ("audio", audio.size / SAMPLE_RATE), ("found", found), ("expected", expected),
                                   ("agree", agree), ("aligned", aligned)):
                    totals[key] += value
                per_sample.append({"sample": path.stem, "wer": round(wer, 3),
                                   "rtf": round(elapsed * SAMPLE_RATE / audio.size, 3),
                                   "drugs": f"{found}/{expected}", "role_acc": round(agree / max(aligned, 1), 3)})
            rows.append({
                "model": model,
                "vocabulary": vocabulary,
                "wer": round(totals["errors"] / totals["ref_words"], 3),
                "rtf": round(totals["seconds"] / totals["audio"], 3),
                "drug_recall": round(totals["found"] / max(totals["expected"], 1), 3),
                "drugs_found": f"{int(totals['found'])}/{int(totals['expected'])}",
                "role_accuracy": round(totals["agree"] / max(totals["aligned"], 1), 3),
                "samples": per_sample,
            })
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| model | vocabulary | WER | RTF | drug-name recall | role accuracy |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['model']} | {'on' if r['vocabulary'] else 'off'} | {r['wer']:.3f} | {r['rtf']:.3f} | "
                     f"{r['drug_recall']:.2f} ({r['drugs_found']}) | {r['role_accuracy']:.3f} |")
    return "\n".join(lines)


def stock_transcript(loaded: LoadedModel, audio: np.ndarray) -> Transcript:
    """The stock model: faster-whisper's ``transcribe`` with its own defaults, nothing of the pipeline around it."""
    segments, info = loaded.whisper.transcribe(audio)
    parts = to_segments(segments)
    for n, seg in enumerate(parts, start=1):
        seg.id = f"s{n}"
    return Transcript(
        segments=parts, language=info.language, duration=round(audio.size / SAMPLE_RATE, 3), model=loaded.name
    )


def parse_policy(text: str) -> DecodePolicy:
    """``key=value,...`` over the default decode policy ("none" turns a threshold off)."""
    changes: dict[str, Any] = {}  # bool, float or None, per field
    for item in filter(None, (p.strip() for p in text.split(","))):
        key, _, raw = item.partition("=")
        if key not in DecodePolicy.__dataclass_fields__:
            fields = ", ".join(DecodePolicy.__dataclass_fields__)
            raise InputError(f"Unknown policy field {key!r}; use one of {fields}.")
        value = raw.strip().lower()
        if value == "none":
            changes[key] = None
        elif key == "vocabulary" or isinstance(getattr(DEFAULT_POLICY, key), bool):
            changes[key] = value in ("true", "on", "1")
        else:
            changes[key] = float(value)
    return replace(DEFAULT_POLICY, **changes)


@dataclass
class _Score:
    """One visit's counts against its reference; the pairs are (hits, out of)."""

    errors: float
    ref_words: int
    drugs: tuple[int, int]
    numbers: tuple[int, int]
    roles: tuple[int, int]
    turn_roles: tuple[int, int]
    merged: tuple[int, int]
    inserted: int
    invented: list[str]


def _plus(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


@dataclass
class _Totals:
    """The counts of one system × variant summed over the visits, plus the time it took."""

    errors: float = 0.0
    ref_words: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    audio: float = 0.0
    drugs: tuple[int, int] = (0, 0)
    numbers: tuple[int, int] = (0, 0)
    roles: tuple[int, int] = (0, 0)
    turn_roles: tuple[int, int] = (0, 0)
    merged: tuple[int, int] = (0, 0)
    inserted: int = 0
    invented: list[str] = field(default_factory=list)

    def add(self, score: _Score, visit: str) -> None:
        self.errors += score.errors
        self.ref_words += score.ref_words
        self.inserted += score.inserted
        self.invented += [f"{visit}: {s}" for s in score.invented]
        self.drugs = _plus(self.drugs, score.drugs)
        self.numbers = _plus(self.numbers, score.numbers)
        self.roles = _plus(self.roles, score.roles)
        self.turn_roles = _plus(self.turn_roles, score.turn_roles)
        self.merged = _plus(self.merged, score.merged)


def _score(
    reference: Transcript, ref_text: str, hypothesis: Transcript | None, drugs: tuple[str, ...], with_roles: bool
) -> _Score:
    hyp_text = plain_text(hypothesis) if hypothesis else ""
    invented, inserted, ref_words = invented_sentences(ref_text, hypothesis or Transcript(segments=[]))
    agree, aligned = role_accuracy(reference, hypothesis) if hypothesis and with_roles else (0, 0)
    turns = turn_scores(reference, hypothesis) if hypothesis and with_roles else {}
    return _Score(
        errors=word_error_rate(ref_text, hyp_text) * ref_words if ref_words else 0.0,
        ref_words=ref_words,
        drugs=term_recall(ref_text, hyp_text, drugs),
        numbers=number_recall(ref_text, hyp_text),
        roles=(agree, aligned),
        turn_roles=(turns.get("roles_right", 0), turns.get("ref_turns", 0)),
        merged=(turns.get("merged", 0), turns.get("turns", 0)),
        inserted=inserted,
        invented=invented,
    )


def evaluate_devset(systems: list[str], policy: DecodePolicy, variants: tuple[str, ...], out_dir: Path | None,
                    visits: int, limit: int | None, label: str, save_dir: Path | None = None,
                    rescore: bool = False, *, cfg: Settings) -> list[dict]:
    """One row per system × variant, summed over the visits of the development set.

    ``save_dir`` keeps every hypothesis (JSON, word probabilities included) so
    that filters on recognised text can be tried without decoding again; the
    set is public synthetic speech, not patient data. ``rescore`` reads those
    hypotheses back instead of decoding (after a change to the scoring).
    """
    folder, manifest = ensure_devset(out_dir, visits=visits, log=lambda _: None)  # all variants: one cached set
    drugs = load_vocabulary().drugs
    entries = manifest["visits"][:limit] if limit else manifest["visits"]
    references = {v["name"]: load_transcript(folder / v["reference"]) for v in entries}
    rows = []
    for system in systems:
        kind, _, model = system.partition(":")
        if not rescore:
            load_asr_model(model, cfg=cfg)  # load time is not part of the RTF (the loaded model is cached)
        for variant in variants:
            totals = _Totals()
            for visit in entries:
                reference = references[visit["name"]]
                run_dir = save_dir / label / system.replace(":", "_") / variant if save_dir else None
                saved = run_dir / f"{visit['name']}.json" if run_dir else None
                if rescore and saved:
                    hypothesis = Transcript.model_validate_json(saved.read_text()) if saved.exists() else None
                    score = _score(reference, plain_text(reference), hypothesis, drugs, kind != "stock")
                    totals.add(score, visit["name"])
                    continue
                audio = load_audio(folder / visit["audio"][variant])
                start, cpu_start = time.perf_counter(), time.process_time()
                if kind == "stock":
                    hypothesis = stock_transcript(load_asr_model(model, cfg=cfg), audio)
                else:
                    try:
                        hypothesis = transcribe_audio(audio, cfg=cfg, model=model, policy=policy)
                    except NoSpeechError:
                        hypothesis = None
                totals.seconds += time.perf_counter() - start
                totals.cpu += time.process_time() - cpu_start
                totals.audio += audio.size / SAMPLE_RATE
                score = _score(reference, plain_text(reference), hypothesis, drugs, kind != "stock")
                if saved and hypothesis:
                    saved.parent.mkdir(parents=True, exist_ok=True)
                    saved.write_text(hypothesis.model_dump_json(), encoding="utf-8")
                totals.add(score, visit["name"])
            rows.append({
                "label": label,
                "system": system,
                "policy": policy.describe() if kind != "stock" else None,
                "variant": variant,
                "visits": len(entries),
                "wer": round(totals.errors / max(totals.ref_words, 1), 3),
                "drug_recall": f"{totals.drugs[0]}/{totals.drugs[1]}",
                "number_recall": f"{totals.numbers[0]}/{totals.numbers[1]}",
                "role_accuracy": round(totals.roles[0] / totals.roles[1], 3) if totals.roles[1] else None,
                "turn_role_accuracy": (
                    round(totals.turn_roles[0] / totals.turn_roles[1], 3) if totals.turn_roles[1] else None
                ),
                "merged_turns": f"{totals.merged[0]}/{totals.merged[1]}" if kind != "stock" else None,
                "inserted_pct": round(100 * totals.inserted / max(totals.ref_words, 1), 1),
                "invented_turns": len(totals.invented),
                "invented": totals.invented,
                "rtf": round(totals.seconds / totals.audio, 3) if totals.audio else None,
                # CPU seconds (all threads) per audio second: unlike wall time, not inflated by other loads
                "cpu_per_s": round(totals.cpu / totals.audio, 3) if totals.audio else None,
            })
            print(devset_table(rows[-1:], header=not rows[:-1]), flush=True)
    return rows


def merge_rows(path: Path, rows: list[dict]) -> list[dict]:
    """Earlier rows of ``path`` with these replacing the ones of the same label, system and variant."""
    old = json.loads(path.read_text(encoding="utf-8"))["rows"] if path.exists() else []
    key = lambda r: (r["label"], r["system"], r["variant"])  # noqa: E731
    earlier = {key(r): r for r in old}
    for row in rows:  # a rescored row keeps the speed it was measured with
        if row["rtf"] is None and key(row) in earlier:
            row["rtf"] = earlier[key(row)]["rtf"]
            row["cpu_per_s"] = earlier[key(row)].get("cpu_per_s")
    new_keys = {key(r) for r in rows}
    return [r for r in old if key(r) not in new_keys] + rows


def devset_table(rows: list[dict], header: bool = True) -> str:
    lines = ["| variant | run | system | WER | drug names | numbers | role acc. (words) | role acc. (turns) "
             "| merged turns | inserted % | invented turns | RTF | CPU s/s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"] if header else []
    for r in rows:
        role = f"{r['role_accuracy']:.3f}" if r["role_accuracy"] is not None else "–"
        turn_role = f"{r['turn_role_accuracy']:.3f}" if r.get("turn_role_accuracy") is not None else "–"
        rtf = f"{r['rtf']:.3f}" if r["rtf"] is not None else "–"
        cpu = f"{r['cpu_per_s']:.2f}" if r.get("cpu_per_s") is not None else "–"
        lines.append(f"| {r['variant']} | {r['label']} | {r['system']} | {r['wer']:.3f} | {r['drug_recall']} | "
                     f"{r['number_recall']} | {role} | {turn_role} | {r.get('merged_turns') or '–'} | "
                     f"{r['inserted_pct']:.1f} | {r['invented_turns']} | {rtf} | {cpu} |")
    return "\n".join(lines)


READING = "## Reading"  # the hand-written part of the Markdown beside the JSON: kept when the table is rewritten


def devset_markdown(rows: list[dict]) -> str:
    """The per-variant table (every run and system of a variant together) with what the columns mean."""
    order = {v: n for n, v in enumerate(VARIANT_NAMES)}
    ordered = sorted(rows, key=lambda r: (order.get(r["variant"], 99), r["system"].startswith("pipeline"), r["label"]))
    policies = {r["label"]: r["policy"] for r in rows if r["policy"]}
    lines = [
        "# Recogniser on the development audio set",
        "",
        "`python -m ambientnote.evaluation.asr --devset` (set: `python -m ambientnote.evaluation.asr_devset`; "
        "8 visits, the opening whole turns (~65 s) of ACI-Bench train/valid and MTS-Dialog train/valid dialogues, "
        "two espeak-ng voices a visit; 2 CPU threads, int8, beam 5).",
        "",
        "- stock: `WhisperModel.transcribe(audio)` with faster-whisper's defaults (no VAD, no prompt, no roles).",
        "- pipeline: AmbientNote's batch path (Silero VAD windows, vocabulary prompt, decode policy, roles).",
        "- drug names / numbers: occurrences in the reference (drug names of the shipped vocabulary; numbers "
        "as digits) that the transcript also holds. Role acc. (words): share of aligned words whose turn has the right "
        "role; (turns): share of reference turns most of whose words landed in turns of their role. Merged turns: "
        "recognised turns holding words of two reference speakers, out of all recognised turns.",
        "- inserted %: transcript words aligned to no reference word, per 100 reference words. Invented turns: "
        "recognised sentences with no word aligned to the same reference word and not even close in spelling "
        "to the words they stand against (e.g. 'Thank you.' after the last word).",
        "- RTF: wall seconds per second of audio on a shared 2-core machine (other work ran too); CPU s/s: "
        "CPU seconds of the process (all threads) per second of audio, which other loads do not inflate.",
        "",
    ]
    for label, policy in policies.items():
        changed = {k: v for k, v in policy.items() if k in DecodePolicy.__dataclass_fields__}
        lines.append(f"Policy of run '{label}': " + ", ".join(f"{k}={v}" for k, v in changed.items()))
        lines.append("")
    return "\n".join(lines) + "\n" + devset_table(ordered) + "\n"


def _main_devset(args: argparse.Namespace, cfg: Settings) -> None:
    policy = parse_policy(args.policy)
    variants = tuple(v.strip() for v in args.variants.split(",") if v.strip())
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    print(f"{cfg.threads} threads, beam {cfg.asr_beam_size}, int8; policy {policy.describe()}\n")
    rows = evaluate_devset(systems, policy, variants, args.devset_dir, args.visits, args.limit, args.label, args.save,
                           rescore=args.rescore, cfg=cfg)
    out = args.out if args.out != Path("asr_eval.json") else Path("docs/eval/asr-devset.json")
    write_report(out, rows)
    print(f"\nwritten to {out} and {out.with_suffix('.md')}")


def write_report(out: Path, rows: list[dict]) -> None:
    """Merge ``rows`` into the JSON at ``out`` and rewrite the Markdown table beside it.

    What follows a "## Reading" heading in that Markdown (the hand-written
    reading of the figures) is kept, so a new run does not erase it.
    """
    merged = merge_rows(out, rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = "python -m ambientnote.evaluation.asr --devset"
    out.write_text(json.dumps({"command": command, "rows": merged}, indent=2) + "\n", encoding="utf-8")
    markdown = out.with_suffix(".md")
    kept = markdown.read_text(encoding="utf-8").partition(READING)[2] if markdown.exists() else ""
    markdown.write_text(devset_markdown(merged) + (f"\n{READING}{kept}" if kept else ""), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="tiny.en,base")
    parser.add_argument("--out", type=Path, default=Path("asr_eval.json"))
    parser.add_argument("--devset", action="store_true", help="score per variant on the development audio set")
    parser.add_argument("--devset-dir", type=Path, default=None, help="where the set is built (default: user cache)")
    parser.add_argument("--systems", default="stock:tiny.en,stock:base,pipeline:base")
    parser.add_argument("--policy", default="", help="decode policy changes, e.g. drop_floor=0.3,vocabulary=off")
    parser.add_argument("--variants", default=",".join(VARIANT_NAMES))
    parser.add_argument("--visits", type=int, default=8)
    parser.add_argument("--limit", type=int, default=None, help="score only the first N visits (quick runs)")
    parser.add_argument("--label", default="current")
    parser.add_argument("--save", type=Path, default=None, help="keep each hypothesis as JSON under this folder")
    parser.add_argument("--rescore", action="store_true", help="score the hypotheses kept under --save again")
    args = parser.parse_args()
    cfg = load_settings()  # an evaluation is a face: it reads the settings once and goes by them
    if args.devset:
        _main_devset(args, cfg)
        return
    rows = evaluate([m.strip() for m in args.models.split(",") if m.strip()], cfg=cfg)
    print(f"{len(sample_paths())} samples, {cfg.threads} threads, beam {cfg.asr_beam_size}, int8\n")
    print(table(rows))
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
