"""Doubtful words carried into the note: a statement that uses a word Whisper was unsure of says so.

The guard checks a statement against the turns it cites, so a dose misheard in the
transcript ("I'm uprofen for 100 milligrams") passes it: the note agrees with what
was *heard*. What the guard cannot see, the recogniser can: every word of a transcript
segment carries the probability Whisper gave it. A statement that uses a heard word
below a threshold gets the flag ``heard with low confidence: '100 milligrams'``
(the words quoted as heard), so the clinician checks it against the recording before
signing; a heard word that sounds like a known drug it is not gets the offer from
``ambientnote.asr.drug_names``.

"Uses" means the statement states it: a number the statement writes ("100 mg" reads
"one hundred milligrams" through ``facts.numbers.digits``) with its unit, a side, a
drug name, or another content word of the statement. Numbers, units, sides and drug
names are held to a stricter threshold than other words: a wrong dose harms, a wrong
adjective rarely does. The thresholds were measured on the bundled consultations and
their telephone and noisy variants (``ambientnote/evaluation/confidence_eval.py``,
figures in ``docs/eval/confidence-flags.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ambientnote.asr.drug_names import near_misses
from ambientnote.facts.numbers import TENS, UNITS, digits
from ambientnote.language.terms import find_terms, load_terms
from ambientnote.notes.schema import Note, Statement
from ambientnote.transcript import Segment, Transcript

CRITICAL_BELOW = 0.60
"""A number, unit, side or drug name heard below this probability flags the statement that states it."""
DRUG_BELOW = 0.05
"""A known drug name heard below this probability flags the statement that names it. Lower than the rest:
Whisper gives the drug names of the vocabulary prompt low probabilities even when it hears them right
(lisinopril 0.03-0.2 on the clean samples); a misheard drug is caught by the near-miss offer instead."""
WORD_BELOW = 0.10
"""Any other content word of the statement heard below this probability flags it."""

LOW_CONFIDENCE = "heard with low confidence: '{}'"
_NUMBER_WORDS = {*UNITS, *TENS, "hundred", "thousand", "point"}
_UNITS = {  # what is heard → how a note may write it
    "mg": "mg", "milligram": "mg", "milligrams": "mg", "mcg": "mcg", "microgram": "mcg", "micrograms": "mcg",
    "g": "g", "gram": "g", "grams": "g", "ml": "ml", "milliliter": "ml", "milliliters": "ml", "cc": "ml",
    "unit": "unit", "units": "unit", "percent": "%", "%": "%", "kg": "kg", "kilogram": "kg", "kilograms": "kg",
    "pound": "lb", "pounds": "lb", "lbs": "lb", "degrees": "degrees", "tablet": "tablet", "tablets": "tablet",
    "pill": "tablet", "pills": "tablet", "puff": "puff", "puffs": "puff",
}
_SIDES = {"left", "right", "bilateral"}
_STOP = frozenset(
    "the a an and or of to for with have has had been that this it at all really your you are was were will would "
    "about some then than they them their there what when which who how also just like very much okay yeah yes "
    "well from into over once each every daily".split())
_STATEMENT_NUMBER = re.compile(r"(?<![A-Za-z])\d+(?:\.\d+)?")


@dataclass
class _Heard:
    """One word as heard: its text (for the quote), its plain form, probability and kind."""

    raw: str
    plain: str
    probability: float
    kind: str  # number, unit, side, drug, word


def _plain(word: str) -> str:
    return word.strip().strip(".,?!;:\"()").lstrip("-").lower()


def _kind(plain: str) -> str:
    if re.fullmatch(r"\d+(?:[.,/]\d+)*%?", plain) or plain in _NUMBER_WORDS:
        return "number"
    if plain in _UNITS:
        return "unit"
    if plain in _SIDES:
        return "side"
    if plain in load_terms("medications"):
        return "drug"
    return "word"


def _heard(segment: Segment) -> list[_Heard]:
    """The segment's words; "20mg" is heard as the number and its unit."""
    out = []
    for w in segment.words:
        plain = _plain(w.word)
        split = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z%]+)", plain)
        parts = [split[1], split[2]] if split and split[2] in _UNITS else [plain]
        # the raw word is quoted once: its unit part, split off, quotes nothing of its own
        out += [_Heard(w.word.strip() if n == 0 else "", p, w.probability, _kind(p)) for n, p in enumerate(parts) if p]
    return out


def _stated(statement: str) -> tuple[set[str], set[str], set[str], set[str], set[str]]:
    """What the statement says: numbers (digits), units, sides, drugs, other content words."""
    spelled = digits(statement.lower())
    numbers = {n.lstrip("0") or "0" for n in _STATEMENT_NUMBER.findall(spelled)}
    words = re.findall(r"[a-z%]+", spelled)
    units = {_UNITS[w] for w in words if w in _UNITS} | ({"%"} if "%" in statement else set())
    sides = {w for w in words if w in _SIDES}
    drugs = find_terms(statement, "medications")
    content = {w for w in words if len(w) > 3 and w not in _STOP}
    return numbers, units, sides, drugs, content


def _numbers_heard(run: list[_Heard]) -> set[str]:
    """The numbers a run of heard number words says, whole and word by word ("one fifty" is 150, 1 and 50)."""
    text = " ".join(h.plain for h in run)
    whole = {n.lstrip("0") or "0" for n in _STATEMENT_NUMBER.findall(digits(text))}
    return whole | {n.lstrip("0") or "0" for h in run for n in _STATEMENT_NUMBER.findall(digits(h.plain))}


def _same_word(heard: str, content: set[str]) -> bool:
    """Heard "swelling" is the statement's "swelling"; "headaches" its "headache" (a shared stem of 5+ letters)."""
    return heard in content or (len(heard) >= 5 and any(len(c) >= 5 and c[:5] == heard[:5] for c in content))


def _used_phrases(statement: str, heard: list[_Heard], critical_below: float, word_below: float,
                  drug_below: float) -> list[tuple[list[_Heard], float]]:
    """Runs of heard words the statement states, each with the threshold it is held to."""
    numbers, units, sides, drugs, content = _stated(statement)
    phrases: list[tuple[list[_Heard], float]] = []
    i = 0
    while i < len(heard):
        h = heard[i]
        if h.kind == "number":
            j = i
            while j < len(heard) and heard[j].kind == "number":
                j += 1
            run = heard[i:j]
            if _numbers_heard(run) & numbers:
                if j < len(heard) and heard[j].kind == "unit" and _UNITS[heard[j].plain] in units:
                    run = heard[i:j + 1]
                    j += 1
                phrases.append((run, critical_below))
            i = j
            continue
        if h.kind == "side" and h.plain in sides:
            phrases.append(([h], critical_below))
        elif h.kind == "drug" and h.plain in drugs:
            phrases.append(([h], drug_below))
        elif h.kind == "word" and len(h.plain) > 3 and h.plain not in _STOP and _same_word(h.plain, content):
            phrases.append(([h], word_below))
        i += 1
    return phrases


def low_confidence_flags(statement: Statement, evidence: list[Segment], *, critical_below: float = CRITICAL_BELOW,
                         word_below: float = WORD_BELOW, drug_below: float = DRUG_BELOW) -> list[str]:
    """``heard with low confidence: '…'`` for each phrase the statement uses that was heard below its threshold
    every time the evidence has it."""
    best: dict[str, tuple[float, float, str]] = {}  # what was said → (best hearing, threshold, quote)
    for segment in evidence:
        for run, below in _used_phrases(statement.text, _heard(segment), critical_below, word_below, drug_below):
            key = " ".join(digits(h.plain) for h in run if h.kind != "unit")  # '400' and '400 milligrams' alike
            sure = min(h.probability for h in run)
            if key not in best or sure > best[key][0]:
                best[key] = (sure, below, " ".join(h.raw for h in run if h.raw).strip(".,?!;: "))
    # a word heard clearly once is not doubted for another, doubtful hearing of it (an invented repeat)
    return [LOW_CONFIDENCE.format(quote) for sure, below, quote in best.values() if sure < below]


NEAR_MISS_REACH = 6
"""A statement citing a turn with a near-miss is asked about it when it states one of the content words or
numbers within this many words of it: a long turn holds more than one fact, and a dose question belongs on
the dose, not on every statement the turn supports."""


def _near_miss_offers(transcript: Transcript) -> dict[str, list[tuple[str, set[str]]]]:
    """Segment id → the drug near-misses heard in it: the offer the clinician reads, and the words around it."""
    offers: dict[str, list[tuple[str, set[str]]]] = {}
    for segment in transcript.segments:
        for miss in near_misses(segment.text):
            before = segment.text[:miss.start].split()[-NEAR_MISS_REACH:]
            after = segment.text[miss.end:].split()[:NEAR_MISS_REACH]
            offers.setdefault(segment.id, []).append((miss.offer, _said(" ".join(before + after))))
    return offers


def _said(text: str) -> set[str]:
    """The numbers and content words of ``text``, as ``_stated`` reads them."""
    numbers, _, _, drugs, content = _stated(text)
    return numbers | drugs | content


def _states_any(statement: str, words: set[str]) -> bool:
    stated = _said(statement)
    return any(w in stated or _same_word(w, stated) for w in words)


def flag_doubtful_words(note: Note, transcript: Transcript) -> int:
    """Add low-confidence and drug near-miss flags to the note's statements and instructions; returns how many
    statements gained one. A near-miss goes on the statements that cite its turn and state something said
    near it; one no statement took becomes a warning on the note, so it is not lost."""
    segments = transcript.by_id()
    offers = _near_miss_offers(transcript)
    offered: set[str] = set()
    gained = 0
    for statement in [st for _, _, st in note.statements()] + note.instructions:
        evidence = [segments[e] for e in statement.evidence if e in segments]
        new = low_confidence_flags(statement, evidence)
        for segment in evidence:
            for offer, around in offers.get(segment.id, []):
                if _states_any(statement.text, around):
                    new.append(offer)
                    offered.add(offer)
        new = [f for f in dict.fromkeys(new) if f not in statement.flags]
        statement.flags += new
        gained += bool(new)
    for sid, found in offers.items():
        missed = [f"The transcript may name a drug the note leaves out ({sid}): {t}" for t, _ in found
                  if t not in offered]
        note.warnings += [w for w in missed if w not in note.warnings]
    return gained


_QUOTED = (re.compile(r"^heard with low confidence: '(.+)'$"), re.compile(r"^heard '(.+)'; did they say '.+'\?$"))


def doubt_start(flags: list[str], evidence: list[Segment], lead: float = 1.0) -> float | None:
    """Where to play a flagged statement's recording from: ``lead`` seconds before the first word a flag quotes,
    in the statement's evidence; ``None`` when no flag quotes a heard word (play from the evidence instead)."""
    quoted = [m[1] for f in flags for rx in _QUOTED if (m := rx.match(f))]
    for quote in quoted:
        first = _plain(quote.split()[0])
        for segment in evidence:
            for word in segment.words:
                if _plain(word.word) == first:
                    return max(segment.start, word.start - lead)
    return None
