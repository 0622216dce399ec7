"""Spoken words into note words: the small rewrites every extractor needs.

Conversation text carries fillers, hedges, spoken numbers and second-person
address ("on your heart exam, i do appreciate a three out of six murmur");
notes carry none of these ("3/6 systolic ejection murmur"). These functions
only remove or normalise words, never add a fact.
"""

from __future__ import annotations

import re

from ambientnote.facts.lexicon import lexicon
from ambientnote.facts.numbers import digits
from ambientnote.notes.phases import clean_text, sentences

_FILLERS = re.compile(
    r"\b(you know|i mean|kind of|kinda|sort of|like|basically|actually|just|really|pretty much|obviously|"
    r"certainly|definitely|you see|um+|uh+|uhm|mm-?hmm)\b[\s,]*",
    re.I,
)
_LEAD = re.compile(r"^(?:(?:so|and|but|now|well|also|then|yeah|yes|oh|hey|because|cause|um|uh)\b[\s,.]*)+", re.I)
_UNITS = [
    (r"\bmilligrams?\b", "mg"), (r"\bmicrograms?\b", "mcg"), (r"\bmilliliters?\b", "mL"),
    (r"\bcentimeters?\b", "cm"), (r"\bmillimeters?\b", "mm"), (r"\bpercent\b", "%"),
    (r"\bkilograms?\b", "kg"), (r"\bpounds?\b", "lb"), (r"\bunits?\b", "units"),
]


_STUTTER = re.compile(r"\b((?:\w+'?\w*\s+){1,3}?\w+'?\w*),?\s+\1\b", re.I)


def spoken_clean(text: str) -> str:
    """Fillers, stutters ("i was i was") and ASR spacing removed ("you 're" → "you're"); numbers as digits."""
    text = re.sub(r"\s+'(re|ve|ll|d|m)\b", r"'\1", text)
    return _STUTTER.sub(r"\1", clean_text(digits(text)))


def plain(text: str) -> str:
    """Hedges and fillers removed as well ("you know", "kind of", "just"), for facts written into a note."""
    text = _FILLERS.sub("", spoken_clean(text))
    return re.sub(r"\s{2,}", " ", _LEAD.sub("", text.strip())).strip(" ,")


def units(text: str) -> str:
    """Units as notes write them: "80 milligrams" → "80 mg", "98 percent" → "98%"."""
    for pattern, unit in _UNITS:
        text = re.sub(pattern, unit, text, flags=re.I)
    return re.sub(r"(\d) %", r"\1%", text)


_TAG_QUESTION = re.compile(r"[,\s]*\b(okay|ok|right|all right|alright|yeah|you know|correct|does that make sense|"
                           r"sound good|how does that sound|is that okay)\s*\?$", re.I)
_DICTATION = re.compile(r"\b(?:hey\s*,?\s*)?(?:dragon|dax)\b\s*[,?.]?", re.I)


# Unpunctuated speech (ASR without sentence ends) runs many sentences together; these words start a new one.
_RUN_ON = re.compile(r"\s+(?=(?:okay|alright|all right|so (?:for|i|we|your|the|let's)|and (?:so )?for (?:your|the)|"
                     r"now (?:for|on|your)|for (?:your|the) (?:first|second|third|next|last|other) problem)\b)", re.I)


def statements(text: str) -> list[str]:
    """Sentences of a turn, cleaned, without dictation cues ("hey dragon") and with tag questions
    ("…, okay?") read as the statements they are."""
    out = []
    for said in sentences(spoken_clean(_DICTATION.sub("", text))):
        parts = _RUN_ON.split(said) if len(said.split()) > 40 else [said]
        for part in parts:
            part = _TAG_QUESTION.sub(".", part.strip(" ,")).strip()
            if part.strip(" ,.?!"):
                out.append(part)
    return out


def clauses(text: str) -> list[str]:
    """Statements of a turn, each split further at "; " and at ", and " before a new finding."""
    out = []
    for sentence in statements(text):
        for part in re.split(r";\s+|,\s+(?:and\s+)?(?=(?:on (?:your|the|his|her)|your|there's|there is|i do)\b)",
                             sentence):
            if part.strip(" ,.?!"):
                out.append(part.strip())
    return out


def spelled(text: str) -> str:
    """Acronyms and brand names as notes write them ("gerd" → "GERD", "lasix" → "Lasix")."""
    data = lexicon("spelling")
    words = {**data["acronyms"], **{b: b.capitalize() for b in data["brands"]["names"]}}
    return re.sub(r"\b[a-z][a-z0-9]*\b", lambda m: words.get(m[0], m[0]), text)


def capitalised(text: str) -> str:
    text = text.strip(" ,;")
    return text[:1].upper() + text[1:] if text else text


def sentence(text: str) -> str:
    """``text`` as a note sentence: capitalised, one full stop, spacing tidied."""
    text = re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split())).strip(" ,;")
    text = capitalised(spelled(text.rstrip(".!?")))
    return f"{text}." if text else ""


def is_question(text: str) -> bool:
    return text.rstrip().endswith("?")


def joined(items: list[str], conjunction: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


MODALS = ("can", "could", "will", "would", "should", "might", "may", "must", "had", "was", "did")
_PAST = frozenset(
    "thought heard took felt got went came saw fell hurt put said told made began woke broke ran ate drank slept left "
    "kept found knew gave wore bought brought caught lost sat stood threw wrote drove rode hit quit set cut let read "
    "became spent sent lay laid paid meant tried".split())
_IRREGULAR = {"have": "has", "do": "does", "go": "goes", "am": "is", "be": "is"}

def third_person_verb(word: str) -> str:
    """The third-person form of a present-tense verb ("feel" → "feels", "try" → "tries")."""
    lowered = word.lower()
    if lowered in _IRREGULAR:
        return _IRREGULAR[lowered]
    if (lowered in MODALS or lowered in _PAST or lowered.endswith(("ed", "ing", "ly"))
            or lowered in ("is", "has", "does")):
        return word
    if re.search(r"(s|sh|ch|x|z|o)$", lowered):
        return word + "es"
    if re.search(r"[^aeiou]y$", lowered):
        return word[:-1] + "ies"
    return word + "s"
