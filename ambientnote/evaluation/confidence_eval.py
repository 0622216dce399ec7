"""How many wrong doses, drugs and numbers does the low-confidence flag catch, and how many correct statements
does it flag?

    python -m ambientnote.evaluation.confidence_eval [--models base,tiny.en] [--variants clean,tel8k,noise10]
        [--cache DIR] [--out docs/eval/confidence-flags.json]

Truth: each bundled sample consultation (``assets/samples``) has its reference transcript; the note drafted
from the reference is the note a perfect recogniser would give. Each recording is transcribed as it is and as
a clinic may deliver it (``tel8k``: 8 kHz telephone band, made with sox; ``noise10`` and ``noise5``: white
noise at 10 and 5 dB SNR; ``telnoise``: the telephone band with noise at 15 dB), and the note drafted from
each transcript is compared, subsection by subsection, with the reference's:

- a statement is **wrong** when it states a number, drug name, side or dose unit that the reference note's
  same section does not (a misheard dose: "150/90" where 150/95 was said);
- it is **correct** when it states nothing the reference lacks and reads like one of the reference's
  statements there (rapidfuzz ratio at least 90);
- anything else (reworded, or a new statement without such facts) is counted apart.

Recall is the share of wrong statements flagged ``heard with low confidence`` (or offered a drug
correction); false alarms the share of correct statements so flagged. Both are swept over the two thresholds
of ``ambientnote.notes.confidence`` so the chosen ones can be seen against their neighbours. The guard's own
flags are reported beside them (a wrong statement caught by either is caught). Drug near-miss offers are
counted as right when the drug offered was said in the reference consultation.

``--cache DIR`` keeps each transcript as JSON in DIR (synthetic samples only: never point it at real visits)
so a rerun of the scoring does not transcribe again.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
from collections.abc import Callable
from difflib import SequenceMatcher
from functools import partial
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from ambientnote.asr.batch import transcribe_audio
from ambientnote.asr.drug_names import near_misses
from ambientnote.capture.audio import load_audio
from ambientnote.capture.quality import audio_warnings, source_rate
from ambientnote.capture.samples import reference_path, sample_paths
from ambientnote.config import Settings, load_settings
from ambientnote.evaluation.asr_devset import ensure_devset
from ambientnote.language.terms import find_terms
from ambientnote.notes import confidence
from ambientnote.notes.draft import draft_note
from ambientnote.notes.guard import facts
from ambientnote.notes.schema import Note, Statement
from ambientnote.transcript import Transcript
from ambientnote.transcript.formats import parse_tagged_text

AudioFor = Callable[[str], tuple[np.ndarray, "int | None"]]  # variant → 16 kHz audio and the rate it was made at
VARIANTS = ("clean", "tel8k", "noise10", "noise5", "telnoise")
CRITICAL_GRID = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
WORD_GRID = (0.0, 0.1, 0.15, 0.2, 0.3)
DRUG_GRID = (0.0, 0.05, 0.1, 0.2, 0.4)
_UNIT = re.compile(r"\b(mg|mcg|ml|units?|puffs?|tablets?|%)(?=\W|$)", re.I)
_CHECKED = ("number ", "medication ", "side ")


def variant_audio(path: Path, variant: str, workdir: Path) -> tuple[np.ndarray, int]:
    """The recording as ``variant`` delivers it (16 kHz mono) and the rate it was made at."""
    clean = load_audio(path)
    if variant == "clean":
        return clean, 16000
    if variant == "tel8k":
        out = workdir / f"{path.stem}.tel8k.wav"
        subprocess.run(["sox", str(path), "-r", "8000", "-c", "1", str(out), "sinc", "300-3400"], check=True)
        return load_audio(out), 8000
    if variant in ("noise10", "noise5"):
        return with_noise(clean, snr_db=float(variant[5:])), 16000
    if variant == "telnoise":  # a telephone line in a noisy room
        telephone, rate = variant_audio(path, "tel8k", workdir)
        return with_noise(telephone, snr_db=15.0), rate
    raise SystemExit(f"Unknown variant {variant!r}; use {', '.join(VARIANTS)}.")


def with_noise(audio: np.ndarray, *, snr_db: float) -> np.ndarray:
    """``audio`` with white noise ``snr_db`` below it (seeded: every run hears the same noise)."""
    noise = np.random.default_rng(0).normal(size=audio.size).astype(np.float32)
    noise *= np.sqrt(np.mean(audio**2) / np.mean(noise**2) / 10 ** (snr_db / 10))
    return audio + noise


def transcript_for(name: str, variant: str, model: str, audio: AudioFor, cache: Path | None, *,
                   cfg: Settings) -> Transcript:
    """``name``'s recording as ``variant`` delivers it, transcribed by the pipeline with ``model`` (and ``cfg``'s
    threads, beam size and vocabulary)."""
    cached = cache / f"{name}.{variant}.{model}.json" if cache else None
    if cached and cached.exists():
        return Transcript.model_validate_json(cached.read_text())
    samples, rate = audio(variant)
    transcript = transcribe_audio(samples, cfg=cfg, model=model, what=name)
    transcript.warnings = audio_warnings(samples, rate)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(transcript.model_dump_json())
    return transcript


def sample_cases(workdir: Path) -> list[tuple[str, str, AudioFor]]:
    """(name, reference transcript, audio per variant) for each bundled sample consultation."""
    return [(path.stem, reference_path(path).read_text(encoding="utf-8"),
             partial(variant_audio, path, workdir=workdir)) for path in sample_paths()]


def devset_cases() -> list[tuple[str, str, AudioFor]]:
    """The same for each visit of the ASR development set (``evaluation.asr_devset``; built if missing)."""
    folder, manifest = ensure_devset()

    def audio_of(visit: dict) -> AudioFor:
        def audio(variant: str) -> tuple[np.ndarray, int | None]:
            path = folder / visit["audio"][variant]
            return load_audio(path), source_rate(path)
        return audio

    return [(v["name"], (folder / v["reference"]).read_text(encoding="utf-8"), audio_of(v))
            for v in manifest["visits"]]


def _checked_facts(text: str) -> set[str]:
    """Numbers, drug names, sides and dose units ("400 ml" where 400 mg was said is wrong)."""
    return {f for f in facts(text) if f.startswith(_CHECKED)} | {f"unit {u.lower()}" for u in _UNIT.findall(text)}


def label_statements(note: Note, reference: Note) -> list[tuple[str, Statement]]:
    """(wrong | correct | other, statement) for each statement of ``note``, judged against ``reference``."""
    by_key: dict[str, list[str]] = {}  # by section: a problem heard differently is another A&P subsection
    for section, _, st in reference.statements():
        by_key.setdefault(section.key, []).append(st.text)
    anywhere = {f for _, _, st in reference.statements() for f in _checked_facts(st.text)
                if f.startswith(("medication ", "side "))}  # a drug the reference files under another heading
    out: list[tuple[str, Statement]] = []
    for section, _, st in note.statements():
        said = by_key.get(section.key, [])
        known = set().union(*(_checked_facts(t) for t in said)) if said else set()
        if _checked_facts(st.text) - known - anywhere:
            out.append(("wrong", st))
        elif any(fuzz.ratio(st.text.lower(), t.lower()) >= 90 for t in said):
            out.append(("correct", st))
        else:
            out.append(("other", st))
    return out


def _confidence_flags(statement: Statement, transcript: Transcript, critical: float, word: float, drug: float) -> bool:
    segments = transcript.by_id()
    evidence = [segments[e] for e in statement.evidence if e in segments]
    return bool(confidence.low_confidence_flags(statement, evidence, critical_below=critical, word_below=word,
                                                drug_below=drug)
                or any(f.startswith("heard '") for f in statement.flags))


def score(runs: list[dict], critical: float, word: float, drug: float) -> dict:
    wrong = [r for run in runs for r in run["labels"] if r[0] == "wrong"]
    right = [r for run in runs for r in run["labels"] if r[0] == "correct"]
    hit = sum(_confidence_flags(st, t, critical, word, drug) for _, st, t in wrong)
    alarm = sum(_confidence_flags(st, t, critical, word, drug) for _, st, t in right)
    either = sum(_confidence_flags(st, t, critical, word, drug) or any(not f.startswith("heard") for f in st.flags)
                 for _, st, t in wrong)
    return {"critical_below": critical, "word_below": word, "drug_below": drug,
            "wrong": len(wrong), "flagged_wrong": hit, "recall": round(hit / len(wrong), 3) if wrong else None,
            "correct": len(right), "flagged_correct": alarm,
            "false_alarm_rate": round(alarm / len(right), 3) if right else None,
            "recall_with_guard": round(either / len(wrong), 3) if wrong else None}


def heard_tokens(transcript: Transcript) -> list[tuple[str, float, str]]:
    """(token, probability, kind) for each word heard; a run of number words is one number ("one fifty" → 150)
    at the run's lowest probability, so it compares with a reference that writes digits."""
    out: list[tuple[str, float, str]] = []
    for segment in transcript.segments:
        heard = confidence._heard(segment)
        i = 0
        while i < len(heard):
            j = i + 1
            if heard[i].kind == "number":
                while j < len(heard) and heard[j].kind == "number":
                    j += 1
            run = heard[i:j]
            for token in confidence.digits(" ".join(h.plain for h in run)).split():
                out.append((_same_unit(token), min(h.probability for h in run), run[0].kind))
            i = j
    return out


def reference_tokens(text: str) -> list[str]:
    words = re.sub(r"\[[a-z_]+\]", " ", text.lower())
    words = confidence.digits(re.sub(r"(\d)(mg|ml)\b", r"\1 \2", words))
    return [_same_unit(w) for w in (confidence._plain(t) for t in words.split()) if w]


def _same_unit(token: str) -> str:
    """'milligram', 'milligrams' and 'mg' are one unit: a plural is no mishearing."""
    return confidence._UNITS.get(token, token)


def word_labels(transcript: Transcript, reference_text: str) -> list[tuple[str, float, bool]]:
    """(kind, probability, heard right) for each heard token, aligned to the reference transcript's words."""
    heard = heard_tokens(transcript)
    matcher = SequenceMatcher(None, reference_tokens(reference_text), [t for t, _, _ in heard], autojunk=False)
    right = {j for a, b, size in matcher.get_matching_blocks() for j in range(b, b + size)}
    return [(kind, p, j in right) for j, (_, p, kind) in enumerate(heard)]


def word_sweep(labels: list[tuple[str, float, bool]]) -> dict:
    """Per kind of word: how many were heard wrong, and for each threshold the share of wrong and of right
    words below it (what a flag at that threshold would catch, and would raise for nothing)."""
    out = {}
    for kind in ("number", "unit", "side", "drug", "word"):
        wrong = [p for k, p, ok in labels if k == kind and not ok]
        right = [p for k, p, ok in labels if k == kind and ok]
        out[kind] = {"wrong": len(wrong), "right": len(right), "by_threshold": [
            {"below": t, "wrong_caught": round(sum(p < t for p in wrong) / len(wrong), 3) if wrong else None,
             "right_flagged": round(sum(p < t for p in right) / len(right), 3) if right else None}
            for t in (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)]}
    return out


def offers(transcript: Transcript, reference_text: str) -> list[dict]:
    said = find_terms(reference_text, "medications")
    return [{"heard": m.heard, "offered": m.drug, "said_in_reference": m.drug in said}
            for s in transcript.segments for m in near_misses(s.text)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="base,tiny.en")
    parser.add_argument("--variants", default=None,
                        help="samples: clean,tel8k,noise10 (also noise5, telnoise); --devset: clean,telephone,"
                             "noise10db,reverb (any of evaluation.asr_devset's)")
    parser.add_argument("--devset", action="store_true", help="the ASR development set instead of the samples")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("docs/eval/confidence-flags.json"))
    args = parser.parse_args(argv)
    args.variants = args.variants or ("clean,telephone,noise10db,reverb" if args.devset else "clean,tel8k,noise10")
    cfg = load_settings()  # an evaluation is a face: it reads the settings once
    runs, examples, near, words = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name, reference_text, audio in (devset_cases() if args.devset else sample_cases(Path(tmp))):
            reference, _ = draft_note(parse_tagged_text(reference_text))
            for model in args.models.split(","):
                for variant in args.variants.split(","):
                    transcript = transcript_for(name, variant, model, audio, args.cache, cfg=cfg)
                    note, _ = draft_note(transcript)
                    words += word_labels(transcript, reference_text)
                    labels = [(kind, st, transcript) for kind, st in label_statements(note, reference)]
                    runs.append({"sample": name, "model": model, "variant": variant, "labels": labels})
                    near += [{"sample": name, "model": model, "variant": variant, **o}
                             for o in offers(transcript, reference_text)]
                    examples += [{"sample": name, "model": model, "variant": variant, "kind": kind,
                                  "statement": st.text, "flags": st.flags}
                                 for kind, st, _ in labels if kind == "wrong" or (kind == "correct" and st.flags)]
    thresholds = (confidence.CRITICAL_BELOW, confidence.WORD_BELOW, confidence.DRUG_BELOW)
    chosen = score(runs, *thresholds)
    per_variant = {f"{m}/{v}": score([r for r in runs if r["model"] == m and r["variant"] == v],
                                     *thresholds)
                   for m in args.models.split(",") for v in args.variants.split(",")}
    sweep = [score(runs, c, w, d) for c in CRITICAL_GRID for w in WORD_GRID for d in DRUG_GRID]
    report = {"chosen": chosen, "per_model_variant": per_variant, "sweep": sweep, "words": word_sweep(words),
              "drug_offers": {"made": len(near), "right": sum(o["said_in_reference"] for o in near), "all": near},
              "statements": {k: sum(1 for r in runs for x in r["labels"] if x[0] == k)
                             for k in ("wrong", "correct", "other")},
              "examples": examples}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    args.out.with_suffix(".md").write_text(markdown(report, args))
    print(markdown(report, args))


def markdown(report: dict, args: argparse.Namespace) -> str:
    c = report["chosen"]
    lines = [
        "# Low-confidence flags: recall and false alarms",
        "",
        f"`python -m ambientnote.evaluation.confidence_eval {'--devset ' if args.devset else ''}--models {args.models} "
        f"--variants {args.variants}`",
        "",
        f"Thresholds: numbers, units and sides below {c['critical_below']}, drug names below {c['drug_below']}, "
        f"other content words below {c['word_below']} (`ambientnote/notes/confidence.py`).",
        "",
        f"- Wrong statements (a number, drug or side the reference note does not state): {c['wrong']}; "
        f"flagged {c['flagged_wrong']} (recall {c['recall']}; with the guard's own flags {c['recall_with_guard']}).",
        f"- Correct statements: {c['correct']}; flagged {c['flagged_correct']} (false-alarm rate "
        f"{c['false_alarm_rate']}).",
        f"- Drug near-miss offers: {report['drug_offers']['made']}, of which {report['drug_offers']['right']} offered "
        "a drug said in the reference.",
        "",
        "A statement is *wrong* when it states a number, drug name, side or dose unit that the note drafted from "
        "the reference transcript does not state in the same section; *correct* when it states nothing the "
        "reference lacks and reads like one of the reference's statements there (rapidfuzz ratio ≥ 90). "
        "Flagged: `heard with low confidence: '…'` or a drug near-miss offer on it.",
        "",
        "| model/variant | wrong | flagged | recall | correct | flagged | false alarms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in report["per_model_variant"].items():
        lines.append(f"| {name} | {s['wrong']} | {s['flagged_wrong']} | {s['recall']} | {s['correct']} | "
                     f"{s['flagged_correct']} | {s['false_alarm_rate']} |")
    wrong = [e for e in report["examples"] if e["kind"] == "wrong"]
    lines += ["", "Wrong statements and their flags:", "", "| model/variant | statement | flags |", "|---|---|---|"]
    lines += [f"| {e['model']}/{e['variant']} | {e['statement']} | {'; '.join(e['flags']) or '—'} |" for e in wrong]
    lines += ["", "Drug near-miss offers (right: the drug offered was said in the reference):", "",
              "| model/variant | heard | offered | right |", "|---|---|---|---|"]
    lines += [f"| {o['model']}/{o['variant']} | {o['heard']} | {o['offered']} | "
              f"{'yes' if o['said_in_reference'] else 'no'} |" for o in report["drug_offers"]["all"]]
    thresholds = report["words"]["word"]["by_threshold"]
    lines += ["", "Words heard, aligned to the reference transcript: share of the wrongly heard caught below each "
              "threshold / share of the rightly heard flagged:", "",
              "| kind | wrong | right | " + " | ".join(f"< {t['below']}" for t in thresholds) + " |",
              "|---|---|---|" + "---|" * len(thresholds)]
    for kind, w in report["words"].items():
        lines.append(f"| {kind} | {w['wrong']} | {w['right']} | " + " | ".join(
            f"{t['wrong_caught']} / {t['right_flagged']}" for t in w["by_threshold"]) + " |")
    lines += ["", "Sweep (all runs):", "", "| critical below | drug below | word below | recall | false alarms |",
              "|---|---|---|---|---|"]
    lines += [f"| {s['critical_below']} | {s['drug_below']} | {s['word_below']} | {s['recall']} | "
              f"{s['false_alarm_rate']} |" for s in report["sweep"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
