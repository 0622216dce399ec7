"""Training pairs for the note writer: a source sentence of the visit → the note sentence a clinician wrote.

The drafting pipeline turns each spoken sentence into a statement by rule; the
fine-tuned model rewrites that statement the way clinicians' notes phrase it.
So the pairs are made by running the pipeline's own phases and rephrasing over
the training dialogues (the model sees at training exactly what it sees in
use), then aligning each drafted statement's source to the reference sentence
whose content words it covers best (one-to-one, greedy). A pair is kept only
when the reference sentence passes the guard against the cited turns: the model
is never taught to write a number, side, drug or negation the words did not give.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rouge_score.tokenizers import DefaultTokenizer

from ambientnote.datasets import read_aci_bench, read_mts_dialog
from ambientnote.language.phases import segments_by_phase, sentences
from ambientnote.notes.grounding import content_words
from ambientnote.notes.guard import check_statement
from ambientnote.notes.rephrase import Candidate, rephrase
from ambientnote.notes.schema import Statement
from ambientnote.training.prompt import section_key
from ambientnote.transcript import Segment, Transcript
from ambientnote.transcript.formats import parse_tagged_text

_HEADING = re.compile(r"^[A-Z][A-Z /&,-]{3,}:?$")
_BULLET = re.compile(r"^[•*-]\s*(?:[A-Z][\w ,/&-]{2,40}:\s*)?")
# MTS-Dialog section headers by the visit phase they describe (the rest are history)
_MTS_PHASE = {"EXAM": "exam", "LABS": "results", "IMAGING": "results", "PROCEDURES": "results",
              "ASSESSMENT": "plan", "PLAN": "plan", "DIAGNOSIS": "plan", "DISPOSITION": "plan", "EDCOURSE": "plan"}
MIN_COVER = 0.5
MAX_TARGET_WORDS = 45


@dataclass(frozen=True)
class Pair:
    """One example: the statement's section key, its source words, and the clinician's sentence."""

    section: str  # "history", "review", "exam", "results" or "plan"
    source: str
    target: str
    origin: str  # dataset and encounter id, to keep encounters apart when sampling


_STEMMING = DefaultTokenizer(use_stemmer=True)  # ROUGE's own tokenizer: align on what ROUGE will count


def stems(text: str) -> set[str]:
    return set(_STEMMING.tokenize(" ".join(content_words(text))))


def reference_sentences(note: str) -> list[str]:
    """The note's sentences without headings and bullet labels ("• Medical Reasoning: …")."""
    out = []
    for line in note.splitlines():
        line = line.strip()
        if not line or _HEADING.match(line):
            continue
        for sentence in sentences(_BULLET.sub("", line)):
            if 3 <= len(sentence.split()) <= MAX_TARGET_WORDS:
                out.append(sentence)
    return out


def align(drafted: list[tuple[str, Candidate]], references: list[str], by_id: dict[str, Segment],
          origin: str) -> list[Pair]:
    """Greedy one-to-one matching of drafted statements to reference sentences by covered content."""
    ref_stems = [stems(r) for r in references]
    scored = []
    for i, (_section, cand) in enumerate(drafted):
        source = stems(cand.source)
        for j, ref in enumerate(ref_stems):
            shared = len(source & ref)
            if ref and shared >= 2 and shared / len(ref) >= MIN_COVER:
                scored.append((shared / len(ref), shared, i, j))
    used_c, used_r, pairs = set(), set(), []
    for _, _, i, j in sorted(scored, reverse=True):
        if i in used_c or j in used_r:
            continue
        section, cand = drafted[i]
        evidence = [by_id[e] for e in cand.evidence if e in by_id]
        if check_statement(Statement(text=references[j], evidence=cand.evidence), evidence):
            continue  # the clinician added what these words do not say: not something to learn
        used_c.add(i)
        used_r.add(j)
        pairs.append(Pair(section=section, source=cand.source, target=references[j], origin=origin))
    return pairs


def _drafted(transcript: Transcript, phase_of: str | None = None) -> list[tuple[str, Candidate]]:
    groups = segments_by_phase(transcript)
    out = []
    for phase, segments in groups.items():
        for cand in rephrase(segments):
            out.append((section_key(phase_of or phase, cand), cand))
    return out


def aci_pairs(path: Path) -> Iterator[Pair]:
    """Pairs from an ACI-Bench CSV (dialogue, note)."""
    for row in read_aci_bench(path):
        transcript = parse_tagged_text(row["dialogue"])
        by_id = {s.id: s for s in transcript.segments}
        origin = f"aci:{row.get('encounter_id', '')}"
        yield from align(_drafted(transcript), reference_sentences(row["note"]), by_id, origin)


def mts_pairs(path: Path) -> Iterator[Pair]:
    """Pairs from an MTS-Dialog CSV (section_header, section_text, dialogue): the header gives the phase."""
    for row in read_mts_dialog(path):
        try:
            transcript = parse_tagged_text(row["dialogue"])
        except ValueError:
            continue
        by_id = {s.id: s for s in transcript.segments}
        phase = _MTS_PHASE.get(row["section_header"].upper(), "history")
        origin = f"mts:{row.get('ID', '')}"
        yield from align(_drafted(transcript, phase), reference_sentences(row["section_text"]), by_id, origin)


def build_pairs(aci: list[Path], mts: list[Path], *, seed: int = 0) -> list[Pair]:
    """Every pair from the given files, shuffled reproducibly."""
    pairs = [p for path in aci for p in aci_pairs(path)] + [p for path in mts for p in mts_pairs(path)]
    random.Random(seed).shuffle(pairs)
    return pairs
