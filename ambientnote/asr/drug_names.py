"""Near-misses of known drug names in a transcript, offered to the clinician, never replaced.

On telephone audio Whisper hears "ibuprofen 400 milligrams" as "I'm uprofen for 100
milligrams": the drug is gone, so the visit record never sees it and nothing in the note
says a drug was missed. This module finds words that *sound* like a known drug
(metaphone codes close, spelling close) and are not ordinary English, so that the draft
can ask "heard 'I'm uprofen'; did they say 'ibuprofen'?". It only proposes: the transcript
and the note keep what was heard, and the clinician decides.

What counts as close was set on real misses (``tests/asr/test_drug_names.py``): the
spelling's Jaro-Winkler similarity at least 0.85 and the metaphone codes' at least 0.85.
A word of the English dictionary ("leave", "evil", "lipid", "flexion") or of the shipped medical
lexicons ("fluctuance") is never offered on its own; a run of such words ("met forming") only when
a dose follows it, where a drug name is expected; no run crosses a full stop or a comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from ambientnote.asr.vocabulary import load_vocabulary
from ambientnote.facts.lexicon import all_lexicon_words, lexicon
from ambientnote.language.english import is_english, is_ordinary
from ambientnote.language.terms import load_terms

SPELLING_MIN = 0.85
SOUND_MIN = 0.85
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_PAUSE = re.compile(r"[.,;:?!]")
_DOSE_AFTER = re.compile(r"^\W*(?:(?:at|for|of|to)\s+)?(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                         r"twenty|thirty|forty|fifty|hundred)\b(?!\s+(?:of|more|things?|times?|days?|weeks?|months?|years?|or)\b))",
                         re.I)  # "but i need one of your neck", "back here in three months": a number, but no dose


@dataclass(frozen=True)
class NearMiss:
    """Words heard (as written in the transcript) that sound like ``drug``; offsets index the segment's text."""

    heard: str
    drug: str
    start: int
    end: int
    score: float

    @property
    def offer(self) -> str:
        """The one question the clinician reads."""
        return f"heard '{self.heard}'; did they say '{self.drug}'?"


@lru_cache(maxsize=1)
def known_drugs() -> tuple[str, ...]:
    """One-word drug names the project knows: the guard's list and the decoder vocabulary's drugs. Not the classes
    ("statins", "steroids"): a class heard is one the speaker said, and "started in" sounds like "statins"."""
    names = (set(load_terms("medications")) | {d.lower() for d in load_vocabulary().drugs}) - set(
        lexicon("drug_classes")["classes"])
    return tuple(sorted(n for n in names if " " not in n and len(n) >= 5 and n.isalpha()))


@lru_cache(maxsize=1)
def _medical_words() -> frozenset[str]:
    """The uncommon words of the shipped vocabulary, problem list and lexicons (exam findings, symptoms,
    orders): real terms, never a misheard drug."""
    terms = set(load_vocabulary().terms) | set(load_terms("problems"))
    words = {w for t in terms for w in re.findall(r"[a-z]+", t.lower())} | all_lexicon_words()
    return frozenset(w for w in words if not is_ordinary(w))  # "at" in "tender at the joint line" is no term


def _letters(words: list[str]) -> str:
    return re.sub(r"[^a-z]", "", "".join(words).lower())


def _best_drug(spoken: str) -> tuple[str, float] | None:
    """The known drug ``spoken`` sounds most like, when spelling and sound are both close enough."""
    drugs = known_drugs()
    best: tuple[str, float] | None = None
    for drug, spelling, _ in process.extract(spoken, drugs, scorer=JaroWinkler.normalized_similarity,
                                            score_cutoff=SPELLING_MIN, limit=5):
        if not 0.7 <= len(spoken) / len(drug) <= 1.4:
            continue
        sound = jellyfish.jaro_winkler_similarity(jellyfish.metaphone(spoken), jellyfish.metaphone(drug))
        if sound >= SOUND_MIN and (best is None or spelling + sound > best[1]):
            best = (drug, spelling + sound)
    return best


def near_misses(text: str) -> list[NearMiss]:
    """Runs of one to three words in ``text`` that sound like a known drug but are not one.

    Overlapping runs keep the closest; a word that is itself a drug, a medical term, or
    (alone) ordinary English is never offered.
    """
    drugs = set(known_drugs())
    medical = _medical_words()
    tokens = list(_WORD.finditer(text))
    found: list[NearMiss] = []
    for i in range(len(tokens)):
        for n in (1, 2, 3):
            run = tokens[i:i + n]
            if len(run) < n or n > 1 and _PAUSE.search(text[run[-2].end():run[-1].start()]):
                break  # a drug's name is not heard across a full stop or a comma
            words = [m.group(0) for m in run]
            lowered = [re.sub(r"'s$", "", w.lower()) for w in words]  # "testosterone's" is testosterone
            if any(w in drugs or w in medical for w in lowered):
                break  # a real drug or term: no longer run through it is a near-miss either
            spoken = _letters(words)
            if len(spoken) < 5 or spoken in drugs:
                continue
            if all(is_english(w) for w in words) and (n == 1 or not _DOSE_AFTER.match(text[run[-1].end():])):
                continue
            match = _best_drug(spoken)
            if match:
                found.append(NearMiss(text[run[0].start():run[-1].end()], match[0], run[0].start(), run[-1].end(),
                                      match[1]))
    return _closest(found)


def _closest(found: list[NearMiss]) -> list[NearMiss]:
    """Of overlapping near-misses, the closest (then the longest) one, in text order."""
    kept: list[NearMiss] = []
    for miss in sorted(found, key=lambda m: (-m.score, m.start - m.end)):
        if all(miss.end <= k.start or miss.start >= k.end for k in kept):
            kept.append(miss)
    return sorted(kept, key=lambda m: m.start)
