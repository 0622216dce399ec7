"""A patient whose sex the visit never said is "the patient", not a singular "they".

Reviewers read "The patient was playing tennis and they were trying to volley the ball" or "Advised to ice their
knee" in a note for a named patient as the wrong pronoun (round 20: nine lines in four of six notes). The note may
not guess he or she, so it words the sentence without a pronoun: the subject left out after "and", "the patient"
where it must be said, "the" before what belongs to the patient.
"""

from __future__ import annotations

import re

from ambientnote.facts.text import third_person_verb

_AGREES = {"were": "was", "are": "is", "have": "has", "do": "does", "don't": "doesn't"}
_ADVERB = r"(?:(?:also|still|just|usually|always|then|really|sometimes|often|never)\s+)*"


def _verb(word: str) -> str:
    return _AGREES.get(word.lower(), third_person_verb(word))


def without_singular_they(text: str) -> str:
    """``text`` with "they", "them" and "their" for the patient reworded (see the module's docstring)."""
    text = re.sub(rf"\b(and|but|so|or)\s+(?:so\s+)?they\s+({_ADVERB})([a-z']+)",
                  lambda m: f"{m[1]} {m[2]}{_verb(m[3])}", text, flags=re.I)  # "… and they put" → "… and put"
    text = re.sub(rf"\bthey\s+({_ADVERB})([a-z']+)", lambda m: f"the patient {m[1]}{_verb(m[2])}", text,
                  flags=re.I)
    text = re.sub(r"(^|[.!?]\s+)their\b", r"\1the patient's", text, flags=re.I)
    text = re.sub(r"\btheir\b", "the", text, flags=re.I)
    text = re.sub(r"\bthem\b", "the patient", text, flags=re.I)
    return re.sub(r"(^|[.!?]\s+)(the patient)", lambda m: m[1] + "The patient", text)
