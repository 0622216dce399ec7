"""Which drafted statements go into which subsection of the layout."""

from __future__ import annotations

import re

from ambientnote.notes.layout import Select
from ambientnote.notes.guard import negated_words
from ambientnote.notes.phases import sentences
from ambientnote.notes.rephrase import Candidate
from ambientnote.notes.terms import find_terms
from ambientnote.transcript import Segment

_PLAN = re.compile(
    r"\b(order|prescri\w+|start|continue|increase|decrease|stop|refer\w*|schedule|follow[- ]?up|come back|"
    r"recommend\w*|advise\w*|want (the patient|you) to|going to|will (get|send|see|call|check)|"
    r"call me|return|physical therapy|surgery|injection|check|please|keep|cut down|avoid|make sure|see (you|the patient) in|\d+ (mg|milligrams))\b",
    re.I,
)


# "my blood pressure readings have been high" names a problem without its diagnosis word
_ELEVATED = re.compile(
    r"\b(?P<what>blood pressure|blood sugars?|sugars|cholesterol|a1c)\b[^.?!]{0,40}?\b(high|elevated|up)\b", re.I
)


def named_problems(segments: list[Segment]) -> list[Candidate]:
    """One statement per problem of the shipped term list named in the visit, citing where it was first said.

    The assessment falls back to these when the clinician stated no diagnosis in a sentence of its own.
    Problems only asked about ("any chest pain?") or denied ("no chest pain") are not problems.
    """
    found: dict[str, str] = {}
    for seg in segments:
        for sentence in sentences(seg.text):
            if sentence.rstrip().endswith("?"):
                continue  # asked about is not found
            denied = negated_words(sentence)
            elevated = _ELEVATED.search(sentence)
            if elevated and not set(elevated["what"].split()) <= denied:
                found.setdefault(f"elevated {elevated['what'].lower()}", seg.id)
            for term in sorted(find_terms(sentence, "problems"), key=len, reverse=True):
                if set(term.split()) <= denied or any(term in longer for longer in found):
                    continue
                found.setdefault(term, seg.id)
    return [Candidate(text=f"{term[0].upper()}{term[1:]}.", evidence=[sid], kind="problem") for term, sid in found.items()]


def select(candidates: list[Candidate], how: Select) -> list[Candidate]:
    if how == "narrative":
        return [c for c in candidates if c.kind == "narrative"]
    if how == "review":
        return [c for c in candidates if c.kind == "review"]
    if how == "findings":
        return list(candidates)
    if how == "plan":
        return [c for c in candidates if c.kind == "narrative" and _PLAN.search(c.text)]
    if how == "assessment":
        return [c for c in candidates if c.kind == "narrative" and not _PLAN.search(c.text)]
    return []  # chief_complaint is asked of the model (ambientnote/notes/tasks.py)
