"""The clinical lexicons of ``models/lexicons/`` (and the term lists of ``models/terms/``), and one phrase finder.

Facts are found by phrase, longest first, on whole words: "chest x-ray" before
"x-ray", "lower back pain" before "back pain". Keeping the phrases in data files
lets a site add a symptom or a specialty without a release.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ambientnote.language.terms import load_terms
from ambientnote.paths import models_dir


@lru_cache(maxsize=16)
def lexicon(name: str) -> dict[str, Any]:
    """``models/lexicons/NAME.toml`` as a dictionary, read once (callers only read it)."""
    return tomllib.loads((models_dir() / "lexicons" / f"{name}.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _generics() -> dict[str, str]:
    return {brand: generic for generic, brands in lexicon("drug_classes")["same"].items() for brand in brands}


def generic_of(drug: str) -> str:
    """The drug whatever name it was said by ("lipitor" → "atorvastatin"), so one drug is listed once."""
    return _generics().get(drug.lower(), drug.lower())


def class_beside_member(name: str, names: set[str]) -> bool:
    """Whether ``name`` is a drug class ("nsaids") one of whose drugs ``names`` holds ("ibuprofen"): the class said
    beside its drug adds no line to a medication list or a plan."""
    return bool(set(lexicon("drug_classes")["classes"].get(name.lower(), ())) & names)


@lru_cache(maxsize=1)
def body_parts() -> str:
    """The body parts of ``anatomy.toml``, paired or not, as one regex alternation ("knee|…|lower back|…")."""
    anatomy = lexicon("anatomy")
    return "|".join(anatomy["parts"] + anatomy["single"])


@lru_cache(maxsize=1)
def all_lexicon_words() -> frozenset[str]:
    """Every word any shipped lexicon holds (exam findings, symptoms, orders…): the project's medical words."""
    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        return [s for key, v in items for s in [*([key] if isinstance(key, str) else []), *strings(v)]]

    names = [p.stem for p in (models_dir() / "lexicons").glob("*.toml")]
    return frozenset(w for name in names for s in strings(lexicon(name)) for w in re.findall(r"[a-z]+", s.lower()))


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    said: str
    term: str   # the note's word for it
    group: str  # the table it came from: a body system, "tests", "referrals" …


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)


@lru_cache(maxsize=32)
def _table(name: str, groups: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    data = lexicon(name)
    table = {said.lower(): (str(term), group) for group in groups for said, term in data[group].items()}
    if name == "symptoms":  # "chest pains", "headaches": said in the plural, the same symptom
        table = {f"{said}s": found for said, found in table.items() if not said.endswith("s")} | table
    return _pattern(list(table)), table


def find(text: str, name: str, groups: tuple[str, ...]) -> list[Hit]:
    """Non-overlapping phrases of tables ``groups`` of lexicon ``name`` in ``text``, longest first, in order."""
    pattern, table = _table(name, groups)
    return [Hit(m.start(), m.end(), m[0], *table[m[0].lower()]) for m in pattern.finditer(text)]


def symptom_systems() -> tuple[str, ...]:
    return tuple(lexicon("symptoms"))


_PART = (r"(?P<side>left |right )?(?P<part>lower back|upper back|back|neck|shoulder|hip|knee|ankle|foot|heel|wrist|"
         r"elbow|hand|finger|thumb|toe|leg|arm|calf|thigh|jaw|ear|throat|eye|chest|stomach|belly|abdomen)s?")
_PART_PAIN = [
    re.compile(rf"\b(?:my|the|your|his|her|their) {_PART} "
               rf"(?:has been |have been |is |are |was |were |feels? |gets? |started )?"
               rf"(?:really |very |a little |kind of |so |getting )?"
               rf"(?P<what>painful|sore|swollen|hurting|hurts?|aching|stiff)\b", re.I),
    re.compile(rf"\b(?P<what>pain|swelling|soreness|stiffness) (?:in|on|at|of|across|along|down) "
               rf"(?:the (?:lower |upper |left |right )?(?:end|back|front|side|part|bottom|top) of )?"
               rf"(?:my|the|your|his|her|their) {_PART}\b", re.I),
]
_PART_WHAT = {"swollen": "swelling", "swelling": "swelling", "stiff": "stiffness", "stiffness": "stiffness"}
_PART_SYSTEM = {"ear": "heent", "throat": "heent", "eye": "heent", "chest": "cardiovascular",
                "stomach": "gastrointestinal", "belly": "gastrointestinal", "abdomen": "gastrointestinal"}


# "a dull pain in the back of my head", "swelling in the back of the eye": the back of a part, not the back
_BACK_OF = re.compile(r"\s+of\b", re.I)


def _back_of(text: str, end: int, said: str) -> bool:
    return said.lower().endswith("back") and bool(_BACK_OF.match(text, end))


def _body_part_symptoms(text: str, taken: list[Hit]) -> list[Hit]:
    """ "my right knee has been painful and swollen", "pain in my lower back": a part and what it does."""
    out: list[Hit] = []
    for rx in _PART_PAIN:
        for m in rx.finditer(text):
            if any(h.start < m.end() and m.start() < h.end for h in taken + out) or _back_of(text, m.end(), m[0]):
                continue
            part = {"belly": "abdominal", "stomach": "abdominal", "abdomen": "abdominal"}.get(m["part"].lower(),
                                                                                              m["part"].lower())
            what = _PART_WHAT.get(m["what"].lower(), "pain")
            side = (m["side"] or "").lower()
            extra = re.match(r"\s+and (swollen|stiff)\b", text[m.end():], re.I) if rx is _PART_PAIN[0] else None
            if extra:  # "painful and swollen": one complaint, "right knee pain and swelling"
                what = f"{what} and {_PART_WHAT[extra[1].lower()]}"
            out.append(Hit(m.start(), m.end() + (extra.end() if extra else 0), m[0], f"{side}{part} {what}",
                           _PART_SYSTEM.get(m["part"].lower(), "musculoskeletal")))
    return out


def find_symptoms(text: str) -> list[Hit]:
    """Symptom phrases of the lexicon, and pain or swelling of a body part however it is said."""
    hits = [h for h in find(text, "symptoms", symptom_systems()) if not _back_of(text, h.end, h.said)]
    return sorted(hits + _body_part_symptoms(text, hits), key=lambda h: h.start)


@lru_cache(maxsize=4)
def _term_pattern(name: str) -> re.Pattern[str]:
    return _pattern(list(load_terms(name)))


def find_named(text: str, name: str) -> list[re.Match[str]]:
    """Whole-word occurrences of the terms of ``models/terms/NAME.txt`` (medications, problems), longest first."""
    return list(_term_pattern(name).finditer(text))


def exam_system(text: str) -> str:
    """The body system an exam finding belongs to: the system whose word the text says first, a generic finding
    word ("edema") only when no site is named."""
    lowered = f" {text.lower()} "
    generic = set(lexicon("exam")["generic"]["words"])
    best: tuple[bool, int, str] | None = None
    for system, words in lexicon("exam")["systems"].items():
        for word in words:
            match = next((m for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", lowered)
                          if not _back_of(lowered, m.end(), m[0])), None)
            if match and (best is None or (word in generic, match.start()) < best[:2]):
                best = (word in generic, match.start(), system)
    return best[2] if best else "general"


def system_title(system: str) -> str:
    return lexicon("exam")["titles"].get(system, system.title())


def topics(text: str) -> set[str]:
    """The clinical topics (``models/lexicons/topics.toml``) whose words ``text`` contains."""
    return {topic for topic, pattern in _topic_patterns() if pattern.search(text)}


@lru_cache(maxsize=1)
def _topic_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((topic, _pattern(words)) for topic, words in lexicon("topics")["topics"].items())
