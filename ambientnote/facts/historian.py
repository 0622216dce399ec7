"""What a parent or carer tells of a patient who does not speak for themselves: "she is in feeding therapy,
occupational therapy, and also physical therapy" → "She is in feeding therapy, occupational therapy, and also
physical therapy."

A toddler's visit has no patient turns: the mother gives the whole history, already in the third person. Her
sentences about the patient (subject "she"/"he" or the patient's first name) go to the HPI as said, with the same
tests the patient's own account passes; her sentences about herself ("i took her off dairy milk"), the family or
the other children stay out. Only a visit in which the patient never speaks is read this way: where the patient
speaks too, a companion's "she" may be anyone.
"""

from __future__ import annotations

import re

from ambientnote.facts.narrative import MAX_WORDS, anchored, run_on_clauses
from ambientnote.facts.plan import Person
from ambientnote.facts.schema import Patient, Reported
from ambientnote.facts.text import plain, sentence, statements
from ambientnote.language.statement_style import statement_faults
from ambientnote.transcript import Role, Segment

MAX_SENTENCES = 12

# the companion's own part, someone else's, a guess, or a thing the sentence does not name
_NOT_OF_PATIENT = re.compile(r"\b(?:i|i'm|i've|me|my|we|we're|we've|us|our|you|your|they|them|their|twins?|son|"
                             r"brother|sister|daddy|dad|husband|"
                             r"think|guess|maybe|might|probably|not sure|don't know|it|this|that|those|these)\b", re.I)
# what a child's history is made of besides symptoms: her doctors and therapies, feeding, milestones
_CHILD = re.compile(r"\b(?:therap\w*|doctors?|\w+ologists?|dieticians?|dietitians?|pediatrician|temperature|crawl\w*|"
                    r"walk\w*|steps|talk\w*|words|milk|formula|bottles?|diapers?|pee\w*|drinks?|drinking|feed\w*|"
                    r"nurs\w*|sleeps?|sleeping|naps?|grow\w*|weigh\w*|pounds)\b", re.I)
_LEAD = re.compile(r"^(?:(?:and|but|so|yeah|yes|well|um|uh|oh|now|just|also)\W+)+", re.I)


# "is her twin a boy or a girl?" — "she's a girl." — "and how's she doing?" — "she's doing really good": the twin's
_RELATIVE = re.compile(r"\b(?:twins?|brothers?|sisters?|siblings?|sons?|daughters?|babies|husband|wife|mom|mother|dad|"
                       r"father|yourself|you)\b", re.I)


def _about_others(asked: str, name: str | None, before: bool) -> bool:
    """Whether the clinician's last words ask about someone other than the patient: a relative named, or a "she"
    that carries on from a question that named one."""
    if _RELATIVE.search(asked):
        return True
    if name and re.search(rf"\b{name}\b", asked, re.I):
        return False
    return before and bool(re.search(r"\b(?:she|he|her|him)\b", asked, re.I))


def told_by_historian(segments: list[Segment], patient: Patient, person: Person) -> list[Reported]:
    """The companion's account of a patient who has no turns of their own, sentence by sentence."""
    if person.subject == "the patient" or any(seg.role == Role.patient for seg in segments):
        return []
    name = re.escape(patient.name.split()[-1].lower()) if patient.name else None
    called = f"{person.subject}|{name}" if name else person.subject  # how the companion names the patient
    opening = re.compile(rf"^(?:{called})(?:'s|\s+(?:is|was|has|had|does|did|still|just|also|now|"
                         r"seems|gets|got|can|sees|saw|takes|took|eats|drinks|sleeps|sleep|goes|went|started|"
                         r"[a-z]+ed|[a-z]+s))\b", re.I)
    out: list[Reported] = []
    seen: set[str] = set()
    asked = ""  # what the clinician said since the companion last spoke
    others = False  # whether the companion is answering about someone else
    for seg in segments:
        if seg.role != Role.other:
            asked += f" {seg.text}"
            continue
        others = _about_others(asked, name, others)
        asked = ""
        if others:
            continue
        for said in (c for whole in statements(seg.text) for c in run_on_clauses(whole)):
            said = _LEAD.sub("", plain(said)).strip(" ,")
            said = re.sub(rf"^({called})'s\b", lambda m: f"{m[1]} is", said, flags=re.I)
            if name:  # "katherine, she just had problems with eating"
                said = re.sub(rf"^{name},\s+(?={person.subject}\b)", "", said, flags=re.I)
            if (said.endswith("?") or not opening.match(said) or _NOT_OF_PATIENT.search(said)
                    or re.search(r"\bhas \w+ (?:bad|good)\W*$", said, re.I)  # "has reflux (really) bad": how much lost
                    or not 4 <= len(said.split()) <= MAX_WORDS or not (anchored(said) or _CHILD.search(said))):
                continue
            text = sentence(re.sub(rf"^(?:{called})\b", person.subject, said, flags=re.I))
            if text.lower() in seen or statement_faults(text):
                continue
            seen.add(text.lower())
            out.append(Reported(text=text, evidence=[seg.id], speaker="other"))
    words = [set(re.findall(r"[a-z]+", fact.text.lower())) for fact in out]
    # "She is in therapy." said before "She is in feeding therapy, occupational therapy, and …": told once
    return [fact for fact, said in zip(out, words, strict=True)
            if not any(said < other for other in words)][:MAX_SENTENCES]
