"""Measure the recogniser on the sample consultations: which model, with or without vocabulary.

    python -m ambientnote.evaluation.asr [--models tiny.en,base] [--out asr_eval.json]

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
from pathlib import Path

from ambientnote.asr.batch import transcribe_audio
from ambientnote.asr.engine import load_asr_model
from ambientnote.asr.vocabulary import load_vocabulary
from ambientnote.capture.audio import SAMPLE_RATE, load_audio
from ambientnote.capture.samples import reference_path, sample_paths
from ambientnote.config import settings
from ambientnote.evaluation.asr_metrics import plain_text, role_accuracy, term_recall, word_error_rate
from ambientnote.transcript.formats import load_transcript


def evaluate(models: list[str]) -> list[dict]:
    drugs = load_vocabulary().drugs
    samples = [(p, load_audio(p), load_transcript(reference_path(p))) for p in sample_paths()]
    rows = []
    for model in models:
        load_asr_model(model)  # load time is not part of the RTF
        for vocabulary in (False, True):
            totals = {"errors": 0.0, "ref_words": 0, "seconds": 0.0, "audio": 0.0, "found": 0, "expected": 0, "agree": 0, "aligned": 0}
            per_sample = []
            for path, audio, reference in samples:
                start = time.perf_counter()
                hypothesis = transcribe_audio(audio, model=model, vocabulary=vocabulary)
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
                per_sample.append({"sample": path.stem, "wer": round(wer, 3), "rtf": round(elapsed * SAMPLE_RATE / audio.size, 3),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="tiny.en,base")
    parser.add_argument("--out", type=Path, default=Path("asr_eval.json"))
    args = parser.parse_args()
    rows = evaluate([m.strip() for m in args.models.split(",") if m.strip()])
    print(f"{len(sample_paths())} samples, {settings().threads} threads, beam {settings().asr_beam_size}, int8\n")
    print(table(rows))
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
