"""A development audio set for the recogniser, built on demand from ACI-Bench and MTS-Dialog train/valid.

    python -m ambientnote.evaluation.asr_devset [--out DIR] [--visits 8]

The four bundled samples were written for this project and their drugs head the
vocabulary list, so figures measured on them flatter the pipeline. This set is
spoken from dialogues nobody here wrote: the opening whole turns (about a
minute) of ACI-Bench train/valid visits and MTS-Dialog train/valid dialogues,
two espeak-ng voices per visit (doctor and patient differ; the pair changes
from visit to visit, same-sex pairs included), then turned into the recordings a
clinic actually produces (``VARIANTS``): telephone band, background noise at
10 dB SNR, room reverb, MP3, M4A, 48 kHz stereo and 8 s of trailing silence.

The audio is generated, never committed: it lands in the user cache folder (or
``--out``) with a ``manifest.json`` and is reused while the build parameters
are unchanged. The reference of each visit is its tagged dialogue text
(``<visit>.txt``, one ``[doctor]``/``[patient]`` turn a line). Test splits are
never read. Speaking reuses ``assets/samples/make_samples.py`` (espeak-ng +
sox); the variants need sox and ffmpeg.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import numpy as np
import platformdirs
import soundfile as sf

from ambientnote.asr.vocabulary import load_vocabulary
from ambientnote.errors import InputError
from ambientnote.paths import resources_root

BUILD_VERSION = 3  # bump when the speaking or a variant changes, so cached sets are rebuilt (3: repeatable sox)
TARGET_WORDS = 150  # whole turns until at least this many words: about a minute of espeak-ng speech
MAX_WORDS = 230  # ...but never past this (about 90 s)
MIN_WORDS = 70  # a shorter dialogue (MTS-Dialog has many) is not used
NOISE_SNR_DB = 10.0
TRAILING_SILENCE_S = 8.0

# (doctor voice, patient voice): espeak-ng voice+variant, words per minute, pitch. Cycled over the visits.
VOICE_PAIRS: tuple[tuple[tuple[str, int, int], tuple[str, int, int]], ...] = (
    (("en-us+m3", 165, 45), ("en-us+f1", 155, 50)),
    (("en-gb+f2", 160, 55), ("en-us+m1", 150, 40)),
    (("en-us+m7", 170, 40), ("en-gb-x-rp+m2", 155, 50)),  # two men
    (("en-us+f3", 160, 60), ("en-gb+f4", 150, 45)),  # two women
    (("en-gb-scotland+m4", 160, 45), ("en-us+f5", 150, 55)),
    (("en-us+m6", 155, 35), ("en-029+f2", 150, 60)),
    (("en-gb-x-rp+f1", 165, 50), ("en-us+m5", 155, 45)),
    (("en-us+m2", 170, 50), ("en-gb+m3", 150, 40)),  # two men
)
GUEST_VOICE = ("en-us+linda", 150, 60)
# Which dialogues: (dataset file under the data folder, how many visits from it) for --visits 8.
SOURCES = (
    ("aci-bench/train.csv", 3),
    ("aci-bench/valid.csv", 2),
    ("mts-dialog/MTS-Dialog-TrainingSet.csv", 2),
    ("mts-dialog/MTS-Dialog-ValidationSet.csv", 1),
)
_MTS_LABEL = re.compile(r"^\s*(doctor|patient|guest_family)\s*:\s*(.*)$", re.IGNORECASE)
_MTS_TAGS = {"doctor": "doctor", "patient": "patient", "guest_family": "patient_guest"}
_NUMBER = re.compile(r"(?<![/\d.])\d{1,3}(?:\.\d+)?(?![/\d])")  # a dose or a count; not a date or a record number


@dataclass(frozen=True)
class DevVisit:
    """One spoken visit: where its dialogue came from, its voices and its reference turns."""

    name: str
    source: str
    turns: tuple[tuple[str, str], ...]  # (tag, text)
    doctor_voice: tuple[str, int, int]
    patient_voice: tuple[str, int, int]

    @property
    def reference(self) -> str:
        return "\n".join(f"[{tag}] {text}" for tag, text in self.turns) + "\n"


@dataclass(frozen=True)
class Variant:
    name: str
    suffix: str
    rate: int
    channels: int
    what: str


VARIANTS: tuple[Variant, ...] = (
    Variant("clean", "wav", 16000, 1, "16 kHz mono, as spoken"),
    Variant("telephone", "wav", 16000, 1, "300-3400 Hz, 8 kHz mu-law, resampled back to 16 kHz"),
    Variant("noise10db", "wav", 16000, 1, "pink noise at 10 dB SNR"),
    Variant("reverb", "wav", 16000, 1, "sox room reverb (reverberance 60 %, room scale 80 %)"),
    Variant("mp3", "mp3", 16000, 1, "MP3 64 kbit/s (ffmpeg/LAME)"),
    Variant("m4a", "m4a", 16000, 1, "AAC in M4A 64 kbit/s (ffmpeg)"),
    Variant("stereo48k", "wav", 48000, 2, "48 kHz stereo, one channel 3 dB quieter"),
    Variant("silence8s", "wav", 16000, 1, "8 s of silence after the last word"),
)
VARIANT_NAMES = tuple(v.name for v in VARIANTS)


@lru_cache(maxsize=1)
def _speaker() -> ModuleType:
    """``assets/samples/make_samples.py``, the script that speaks the bundled samples, imported from its file."""
    path = resources_root() / "assets" / "samples" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("ambientnote_make_samples", path)
    if spec is None or spec.loader is None or not path.exists():
        raise InputError(f"The sample speaker {path} is missing; the development set is spoken with it.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def default_data_dir() -> Path:
    return resources_root().parent / "shared" / "data"


def default_out_dir() -> Path:
    return Path(platformdirs.user_cache_dir("ambientnote")) / "asr-devset"


def aci_turns(dialogue: str) -> list[tuple[str, str]]:
    """``[doctor] …`` lines → (tag, text); ACI-Bench's tags are kept as they are (they are the reference)."""
    speaker = _speaker()
    turns = []
    for line in dialogue.splitlines():
        match = speaker._TAG.match(line.strip())
        if match and match["tag"] in speaker.VOICES:
            turns.append((match["tag"], match["text"].strip()))
    return turns


def mts_turns(dialogue: str) -> list[tuple[str, str]]:
    """``Doctor: …`` / ``Patient: …`` lines → (tag, text); a line without a label continues the turn."""
    turns: list[tuple[str, str]] = []
    for line in dialogue.splitlines():
        match = _MTS_LABEL.match(line)
        if match:
            turns.append((_MTS_TAGS[match[1].lower()], match[2].strip()))
        elif line.strip() and turns:
            turns[-1] = (turns[-1][0], f"{turns[-1][1]} {line.strip()}")
    return [(tag, text) for tag, text in turns if text]


def opening(turns: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The opening whole turns (``TARGET_WORDS``..``MAX_WORDS`` words), or None if the dialogue has no such opening."""
    kept: list[tuple[str, str]] = []
    words = 0
    for tag, text in turns:
        n = len(text.split())
        if words + n > MAX_WORDS:
            break
        kept.append((tag, text))
        words += n
        if words >= TARGET_WORDS:
            break
    tags = {tag for tag, _ in kept}
    if words < MIN_WORDS or len(kept) < 4 or not {"doctor", "patient"} <= tags:
        return None
    return kept


def _interest(turns: list[tuple[str, str]], drugs: tuple[str, ...]) -> int:
    """How much a visit tests what matters in a note: drug names first, then doses and counts, turn changes."""
    text = " ".join(t for _, t in turns).lower()
    drug_mentions = sum(len(re.findall(rf"\b{re.escape(d.lower())}\b", text)) for d in drugs)
    return 10 * drug_mentions + len(_NUMBER.findall(text)) + len(turns) // 3  # turns: a conversation, not a dictation


def select_visits(data_dir: Path, visits: int = 8) -> list[DevVisit]:
    """The visits of the set: per source, the openings richest in drug names and numbers (ties: file order)."""
    drugs = load_vocabulary().drugs
    scale = visits / sum(n for _, n in SOURCES)
    chosen: list[DevVisit] = []
    for rel, count in SOURCES:
        path = data_dir / rel
        if "test" in path.name.lower():
            raise InputError(f"{path} is a test split; the development set is built from train and valid only.")
        if not path.exists():
            raise InputError(f"{path} is missing; point --data at the folder that holds aci-bench/ and mts-dialog/.")
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        reader = aci_turns if rel.startswith("aci-bench") else mts_turns
        candidates = []
        for index, row in enumerate(rows):
            turns = opening(reader(row["dialogue"]))
            if turns:
                candidates.append((-_interest(turns, drugs), index, turns, row))
        candidates.sort(key=lambda c: (c[0], c[1]))
        for _, index, turns, row in candidates[: max(1, round(count * scale))]:
            n = len(chosen)
            doctor, patient = VOICE_PAIRS[n % len(VOICE_PAIRS)]
            ident = row.get("encounter_id") or row.get("ID") or str(index)
            stem = Path(rel).stem.lower().replace("mts-dialog-", "mts-")
            chosen.append(DevVisit(f"v{n + 1:02d}_{stem}_{ident}", f"{rel}#{ident}", tuple(turns), doctor, patient))
    return chosen[:visits]


def speak_visit(visit: DevVisit, out: Path) -> list[tuple[float, float]]:
    """Speak ``visit`` (whole turns, short varied pauses) into a clean 16 kHz mono WAV at ``out``.

    Returns when each turn is spoken (start, end in seconds): text recognised
    outside them was said by nobody.
    """
    speaker = _speaker()
    spans: list[tuple[float, float]] = []
    clock = speaker.LEAD_S
    voices = {"doctor": visit.doctor_voice, "patient": visit.patient_voice, "patient_guest": GUEST_VOICE}
    with tempfile.TemporaryDirectory() as tmp:
        lead = Path(tmp) / "lead.wav"
        speaker._silence(lead, speaker.LEAD_S)
        parts = [lead]
        for n, (tag, text) in enumerate(visit.turns):
            turn, gap = Path(tmp) / f"turn{n:03d}.wav", Path(tmp) / f"gap{n:03d}.wav"
            speaker._speak(tag, text, turn, voices[tag])
            speaker._silence(gap, speaker.TURN_GAP_S[n % len(speaker.TURN_GAP_S)])
            parts += [turn, gap]
            spoken = sf.info(turn).frames / 16000
            spans.append((round(clock, 3), round(clock + spoken, 3)))
            clock += spoken + sf.info(gap).frames / 16000
        _run(["sox", *map(str, parts), "-r", "16000", "-c", "1", "-b", "16", str(out)])
    return spans


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True)
    except FileNotFoundError as exc:
        raise InputError(
            f"'{command[0]}' is not installed; the development set needs espeak-ng, sox and ffmpeg."
        ) from exc
    except subprocess.CalledProcessError as exc:
        raise InputError(
            f"'{command[0]}' failed while building the development set: {exc.stderr.decode()[-200:]}"
        ) from exc


def _pink_noise(n: int, seed: int) -> np.ndarray:
    """Pink (1/f) noise, unit RMS: fan and traffic noise in a room is closer to it than white noise."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    spectrum[1:] /= np.sqrt(np.arange(1, spectrum.size))
    noise = np.fft.irfft(spectrum, n)
    return noise / (np.sqrt(np.mean(noise**2)) + 1e-12)


def add_noise(clean: Path, out: Path, snr_db: float = NOISE_SNR_DB, seed: int = 0) -> None:
    """``clean`` plus pink noise at ``snr_db`` (speech power measured where someone speaks, not over the pauses)."""
    audio, rate = sf.read(clean, dtype="float32")
    frame = rate // 50
    frames = audio[: audio.size // frame * frame].reshape(-1, frame)
    power = np.mean(frames**2, axis=1)
    speech_power = float(np.mean(power[power > 0.05 * power.max()]))
    noise = _pink_noise(audio.size, seed) * np.sqrt(speech_power / 10 ** (snr_db / 10))
    mixed = audio + noise
    mixed /= max(1.0, float(np.abs(mixed).max()) / 0.99)
    sf.write(out, mixed.astype(np.float32), rate, subtype="PCM_16")


def make_variant(variant: Variant, clean: Path, out: Path, seed: int = 0) -> None:
    """Derive ``variant`` of the clean recording at ``out``."""
    makers: dict[str, Callable[[], object]] = {  # object: copyfile returns the path, the others nothing
        "clean": lambda: shutil.copyfile(clean, out),
        "telephone": lambda: _telephone(clean, out),
        "noise10db": lambda: add_noise(clean, out, seed=seed),
        "reverb": lambda: _run(["sox", str(clean), str(out), "reverb", "60", "50", "80", "gain", "-n", "-1"]),
        "mp3": lambda: _run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(clean),
                             "-c:a", "libmp3lame", "-b:a", "64k", str(out)]),
        "m4a": lambda: _run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(clean),
                             "-c:a", "aac", "-b:a", "64k", str(out)]),
        "stereo48k": lambda: _run(["sox", str(clean), "-r", "48000", "-c", "2", str(out), "remix", "1", "1v0.7"]),
        "silence8s": lambda: _run(["sox", str(clean), str(out), "pad", "0", f"{TRAILING_SILENCE_S}"]),
    }
    makers[variant.name]()


def _telephone(clean: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        narrow = Path(tmp) / "narrow.wav"
        _run(["sox", str(clean), "-r", "8000", "-e", "u-law", str(narrow), "sinc", "300-3400"])
        _run(["sox", str(narrow), "-r", "16000", "-e", "signed", "-b", "16", str(out)])


def _build_key(visits: list[DevVisit], variants: tuple[str, ...]) -> str:
    spec = {"version": BUILD_VERSION, "visits": [asdict(v) for v in visits], "variants": variants,
            "snr": NOISE_SNR_DB, "silence": TRAILING_SILENCE_S}
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def build_devset(
    visits: list[DevVisit],
    out_dir: Path,
    variants: tuple[str, ...] = VARIANT_NAMES,
    *,
    log: Callable[[str], None] = print,
) -> dict:
    """Speak ``visits`` and derive ``variants`` under ``out_dir``; reuse what a build with the same parameters left.

    Returns the manifest: per visit its source, voices, reference file and one
    audio file per variant (paths relative to ``out_dir``).
    """
    unknown = set(variants) - set(VARIANT_NAMES)
    if unknown:
        raise InputError(f"Unknown variant {sorted(unknown)[0]!r}; choose from {', '.join(VARIANT_NAMES)}.")
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / "manifest.json"
    key = _build_key(visits, variants)
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("key") == key and all(
            (out_dir / f).exists() for v in manifest["visits"] for f in v["audio"].values()
        ):
            return manifest
    with _repeatable_sox():
        entries = _build_entries(visits, out_dir, variants, log)
    manifest = {"key": key, "variants": {v.name: v.what for v in VARIANTS if v.name in variants}, "visits": entries}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return json.loads(manifest_path.read_text(encoding="utf-8"))  # the same shape as a reused one


@contextmanager
def _repeatable_sox() -> Iterator[None]:
    """sox (here and in the sample speaker) seeds its dither with a fixed number: the same build, the same audio.

    Without ``-R`` sox dithers with a random seed, so two builds of one visit
    differed, and stock base's telephone WER moved 0.290 -> 0.306 between builds.
    """
    before = os.environ.get("SOX_OPTS")
    os.environ["SOX_OPTS"] = f"{before} -R" if before else "-R"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOX_OPTS", None)
        else:
            os.environ["SOX_OPTS"] = before


def _build_entries(visits: list[DevVisit], out_dir: Path, variants: tuple[str, ...],
                   log: Callable[[str], None]) -> list[dict]:
    """Speak each visit and derive its variants; the manifest entries."""
    entries = []
    for n, visit in enumerate(visits):
        (out_dir / f"{visit.name}.txt").write_text(visit.reference, encoding="utf-8")
        clean = out_dir / f"{visit.name}.clean.wav"
        spans = speak_visit(visit, clean)
        audio = {}
        for variant in VARIANTS:
            if variant.name not in variants:
                continue
            target = out_dir / f"{visit.name}.{variant.name}.{variant.suffix}"
            if variant.name != "clean":
                make_variant(variant, clean, target, seed=n)
            audio[variant.name] = target.name
        if "clean" not in variants:
            clean.unlink()
        entries.append({"name": visit.name, "source": visit.source, "reference": f"{visit.name}.txt",
                        "doctor_voice": visit.doctor_voice, "patient_voice": visit.patient_voice,
                        "words": sum(len(t.split()) for _, t in visit.turns), "spoken": spans, "audio": audio})
        log(f"{visit.name}: {len(audio)} variants")
    return entries


def ensure_devset(out_dir: Path | None = None, data_dir: Path | None = None, visits: int = 8,
                  variants: tuple[str, ...] = VARIANT_NAMES, log: Callable[[str], None] = print) -> tuple[Path, dict]:
    """The development set (built if missing or stale): its folder and manifest."""
    out_dir = out_dir or default_out_dir()
    return out_dir, build_devset(select_visits(data_dir or default_data_dir(), visits), out_dir, variants, log=log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help=f"where the audio goes (default {default_out_dir()})")
    parser.add_argument("--data", type=Path, default=None, help="folder with aci-bench/ and mts-dialog/")
    parser.add_argument("--visits", type=int, default=8)
    args = parser.parse_args()
    out_dir, manifest = ensure_devset(args.out, args.data, args.visits)
    seconds = 0.0
    for visit in manifest["visits"]:
        seconds += sf.info(out_dir / visit["audio"]["clean"]).duration if "clean" in visit["audio"] else 0.0
    print(f"{len(manifest['visits'])} visits × {len(manifest['variants'])} variants in {out_dir} "
          f"({seconds / 60:.1f} min of speech per variant)")


if __name__ == "__main__":
    main()
