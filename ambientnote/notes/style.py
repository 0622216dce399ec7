"""The style audit of a whole note: its statements' faults, mixed pronouns, repeats, sections left empty.

One statement's checks (person, fillers, questions, loops, fragments) are ``ambientnote.language.
statement_style``, shared with the visit record; what needs the whole note is here, where the note is.
``ambientnote eval`` counts these faults per note.
"""

from __future__ import annotations

import re
from collections import Counter

from ambientnote.language.statement_style import STATEMENT_FAULTS, _has_verb, _sentences, _words, statement_faults
from ambientnote.notes.schema import Note

NOTE_FAULTS = (*STATEMENT_FAULTS, "mixed_pronouns", "repeated_sentence")

_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
# A sentence about someone else ("His mother had a hip replacement; she…") says nothing of the patient's sex.
_OTHER_PERSON = re.compile(
    r"\b(mother|father|mom|dad|wife|husband|daughter|son|sister|brother|grandmother|grandfather|grandma|grandpa|"
    r"aunt|uncle|niece|nephew|cousin|girlfriend|boyfriend|partner|spouse|friend|twin|baby|child|caregiver|"
    r"nurse|doctor|dr|physician|surgeon|provider|therapist)\b",
    re.IGNORECASE,
)


def _note_sentences(note: Note) -> list[str]:
    return [line for _, _, st in note.statements() for line in _sentences(st.text)]


def _mixed_pronouns(lines: list[str]) -> bool:
    words = {w for line in lines if not _OTHER_PERSON.search(line) for w in _words(line)}
    return bool(words & _MALE and words & _FEMALE)


def _repeats(lines: list[str]) -> int:
    """Sentences said again; a problem name repeated as a heading ("Abnormal liver enzymes.") has no verb and is
    layout, not repetition. ACI-Bench's references repeat their opening sentence in the assessment (19 of 87
    notes): that counts here too, since a clinician reading the draft reads it twice."""
    keys = [" ".join(_words(line)) for line in lines if _has_verb(_words(line))]
    return sum(n - 1 for n in Counter(keys).values())


def note_faults(note: Note) -> dict[str, int]:
    """Per fault code, how many statements have it; a note mixing he and she counts once, each repeat once."""
    counts = dict.fromkeys(NOTE_FAULTS, 0)
    for _, _, statement in note.statements():
        for code in statement_faults(statement.text):
            counts[code] += 1
    lines = _note_sentences(note)
    counts["mixed_pronouns"] = int(_mixed_pronouns(lines))
    counts["repeated_sentence"] = _repeats(lines)
    return counts


# --- sections a reference fills and the draft leaves empty --------------------------------------
_HEADING = re.compile(r"^[A-Z][A-Z &/()-]{1,50}:?$")
_CANONICAL = {
    "CHIEF COMPLAINT": "chief_complaint", "CC": "chief_complaint", "REASON FOR VISIT": "chief_complaint",
    "HISTORY OF PRESENT ILLNESS": "hpi", "HPI": "hpi",
    "REVIEW OF SYSTEMS": "ros", "ROS": "ros",
    "PHYSICAL EXAM": "exam", "PHYSICAL EXAMINATION": "exam", "EXAM": "exam", "EXAMINATION": "exam",
    "VITALS": "vitals", "VITALS REVIEWED": "vitals", "VITAL SIGNS": "vitals",
    "RESULTS": "results", "LABS": "results", "IMAGING": "results",
    "ASSESSMENT AND PLAN": "assessment_and_plan", "ASSESSMENT": "assessment", "IMPRESSION": "assessment",
    "PLAN": "plan", "INSTRUCTIONS": "instructions", "PATIENT INSTRUCTIONS": "instructions",
}


def text_sections(text: str) -> dict[str, str]:
    """A free-text note's sections by canonical key (ACI-Bench writes headings in capitals on their own line).

    Unknown headings ("SOCIAL HISTORY") keep their own key so their text does not run into the section before.
    Text before the first heading is under "".
    """
    out: dict[str, list[str]] = {}
    key = ""
    for line in text.splitlines():
        stripped = line.strip()
        if _HEADING.match(stripped) and len(re.findall(r"[A-Z]", stripped)) >= 2:
            name = stripped.rstrip(":").strip()
            key = _CANONICAL.get(name, name.lower().replace(" ", "_"))
            out.setdefault(key, [])
        elif stripped:
            out.setdefault(key, []).append(stripped)
    return {k: "\n".join(lines) for k, lines in out.items()}


_VITAL_WORDS = re.compile(r"\b(blood pressure|bp|heart rate|pulse|temperature|respiratory rate|oxygen saturation|"
                          r"spo2|vital signs?|vitals)\b", re.IGNORECASE)


_SOURCES = {
    "assessment": ("assessment", "assessment_and_plan"),
    "plan": ("plan", "assessment_and_plan"),
    "assessment_plan": ("assessment_and_plan", "assessment", "plan"),
    "assessment_and_plan": ("assessment_and_plan", "assessment", "plan"),
    "medications": ("medications", "current_medications"),
    "history": ("medical_history", "past_history", "past_medical_history", "surgical_history",
                "past_surgical_history", "allergies"),
}


def _reference_text(key: str, sections: dict[str, str], keys: set[str]) -> str:
    """The reference's text for one subsection of our layout (vitals: the VITALS section, or an exam naming one)."""
    if key == "vitals":
        exam = sections.get("exam", "")
        return sections.get("vitals") or (exam if _VITAL_WORDS.search(exam) else "")
    if key == "exam" and "vitals" not in keys:
        return "\n".join(filter(None, (sections.get("exam"), sections.get("vitals"))))
    return "\n".join(filter(None, (sections.get(k) for k in _SOURCES.get(key, (key,)))))


def empty_sections(note: Note, reference_text: str) -> list[str]:
    """Keys of the draft's subsections left empty where the reference note has content."""
    sections = text_sections(reference_text)
    keys = {sub.key for section in note.sections for sub in section.subsections}
    return [sub.key for section in note.sections for sub in section.subsections
            if not sub.statements and _reference_text(sub.key, sections, keys).strip()
            and not (sub.style == "heading" and any(s.statements for s in section.subsections))]
