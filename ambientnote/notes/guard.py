"""The hallucination guard: each statement is checked against the turns it cites.

Numbers, laterality, negation and medication names in a statement must be
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


def check_statement(statement: Statement, evidence: list[Segment]) -> list[str]:
    """Reasons the statement is not supported by ``evidence`` (empty when it is)."""
    source = " ".join(s.text for s in evidence)
    flags = []
    missing_numbers = _numbers(statement.text) - _numbers(source)
    if missing_numbers:
        flags.append(f"number {', '.join(sorted(missing_numbers))} not in the conversation")
    missing_sides = _sides(statement.text) - _sides(source)
    if missing_sides:
        flags.append(f"side '{', '.join(sorted(missing_sides))}' not in the conversation")
    missing_drugs = find_terms(statement.text, "medications") - find_terms(source, "medications")
    if missing_drugs:
        flags.append(f"medication {', '.join(sorted(missing_drugs))} not in the conversation")
    if _NEGATION.search(statement.text) and not _NEGATION.search(source):
        flags.append("negation not in the conversation")
    return flags


def _context(transcript: Transcript, ids: list[str]) -> list[Segment]:
    """The cited segments plus the one before each (the question a short answer replies to)."""
    index = {s.id: n for n, s in enumerate(transcript.segments)}
    keep = sorted({i for sid in ids if sid in index for i in (index[sid] - 1, index[sid]) if i >= 0})
    return [transcript.segments[i] for i in keep]


def guard_note(note: Note, transcript: Transcript) -> int:
    """Flag every unsupported statement in place; returns how many were flagged."""
    flagged = 0
    for _, _, statement in note.statements():
        statement.flags = check_statement(statement, _context(transcript, statement.evidence))
        flagged += bool(statement.flags)
    return flagged
