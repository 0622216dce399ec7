"""The hallucination guard: each statement is checked against the turns it cites.

Numbers, laterality, negation, medication and problem names in a statement must be
supported by its evidence (the cited turns, plus the turn just before each,
since "no" only means something next to its question). A statement that fails
is flagged with the reason, shown to the clinician, never silently kept or dropped.
"""

from __future__ import annotations

import re

from ambientnote.notes.schema import Note, Statement
from ambientnote.notes.terms import find_terms
from ambientnote.transcript import Segment, Transcript

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SIDES = ("left", "right", "bilateral")
_NEGATION = re.compile(r"\b(no|not|denies|denied|negative|without|never|none|nor)\b|n't\b", re.IGNORECASE)


def _numbers(text: str) -> set[str]:
    found = {n.lstrip("0") or "0" for n in _NUMBER.findall(text)}
    words = re.findall(r"[a-z]+", text.lower())
    found |= {str(_NUMBER_WORDS[w]) for w in words if w in _NUMBER_WORDS}
    # "twenty five" also says 25
    for a, b in zip(words, words[1:]):
        if a in _NUMBER_WORDS and b in _NUMBER_WORDS and _NUMBER_WORDS[a] >= 20 and _NUMBER_WORDS[b] < 10:
            found.add(str(_NUMBER_WORDS[a] + _NUMBER_WORDS[b]))
    return found


def _sides(text: str) -> set[str]:
    lowered = text.lower()
    found = {side for side in _SIDES if re.search(rf"\b{side}\b", lowered)}
    if re.search(r"\bboth (sides|legs|arms|knees|feet|hands|ears|eyes)\b", lowered):
        found.add("bilateral")
    return found


_NEG_SCOPE = re.compile(r"(?:\b(?:no|not|denies|denied|negative for|without|never|none)\b|n't)((?:\W+[a-z]+){1,3})", re.I)
_BARE_NO = re.compile(r"^\W*(no|nope|nah|not really|never|none)\b", re.I)
_SKIP = frozenset("any the a an and or of to for with have has had been that this it at all really".split())


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3 and w not in _SKIP}


def negated_words(text: str) -> set[str]:
    """Content words within three words after a negation ("no chest pain" → chest, pain)."""
    return {w for m in _NEG_SCOPE.finditer(text) for w in _words(m[1])}


def _negated_in(evidence: list[Segment]) -> set[str]:
    """What the conversation negates; a bare "no" answer negates the question before it."""
    found: set[str] = set()
    for n, seg in enumerate(evidence):
        found |= negated_words(seg.text)
        if n and _BARE_NO.match(seg.text):
            found |= _words(evidence[n - 1].text)
    return found


def _negation_mismatch(statement: str, evidence: list[Segment], source: str) -> str | None:
    said_negated = _negated_in(evidence)
    stated_negated = negated_words(statement)
    if stated_negated & _words(source) and not stated_negated & said_negated:
        return "negation not in the conversation"
    asserted = _words(statement) - stated_negated
    if not stated_negated and len(asserted & said_negated) >= 2:
        return "the conversation negates this"
    return None


def facts(text: str) -> set[str]:
    """The checkable facts a sentence states: its numbers, sides, drug and problem names."""
    return ({f"number {n}" for n in _numbers(text)} | {f"side {s}" for s in _sides(text)}
            | {f"medication {m}" for m in find_terms(text, "medications")}
            | {f"problem {p}" for p in find_terms(text, "problems")})


def check_statement(statement: Statement, evidence: list[Segment]) -> list[str]:
    """Reasons the statement is not supported by ``evidence`` (empty when it is)."""
    source = " ".join(s.text for s in evidence)
    flags = []
    missing = facts(statement.text) - facts(source)
    for kind, shown in (("number", "{}"), ("side", "'{}'"), ("medication", "{}"), ("problem", "{}")):
        values = sorted(fact.split(" ", 1)[1] for fact in missing if fact.startswith(f"{kind} "))
        if values:
            flags.append(f"{kind} {shown.format(', '.join(values))} not in the conversation")
    if _NEGATION.search(statement.text) and not _NEGATION.search(source):
        flags.append("negation not in the conversation")
    elif reason := _negation_mismatch(statement.text, evidence, source):
        flags.append(reason)
    return flags


def context_segments(transcript: Transcript, ids: list[str]) -> list[Segment]:
    """The cited segments plus the one before each (the question a short answer replies to)."""
    index = {s.id: n for n, s in enumerate(transcript.segments)}
    keep = sorted({i for sid in ids if sid in index for i in (index[sid] - 1, index[sid]) if i >= 0})
    return [transcript.segments[i] for i in keep]


def guard_note(note: Note, transcript: Transcript) -> int:
    """Flag every unsupported statement in place; returns how many were flagged."""
    flagged = 0
    for _, _, statement in note.statements():
        statement.flags = check_statement(statement, context_segments(transcript, statement.evidence))
        flagged += bool(statement.flags)
    return flagged
