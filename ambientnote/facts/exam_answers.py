"""Tenderness found by asking: "when i press on the inside of your knee does that hurt?" — "yes" → "Tenderness to
palpation of the inside of the knee."

Much of a musculoskeletal or abdominal exam is said as questions, each answered yes or no, and the clinician never
states the finding; the reference notes do ("Pain to palpation of the medial knee"). Only a question that names
where the clinician pressed, answered with a bare yes or no (or "a little"), is read: "does that hurt?" alone says
not where, and "it hurts more on the outside" is the patient's own account.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ambientnote.facts.lexicon import body_parts, exam_system
from ambientnote.facts.schema import ExamFinding
from ambientnote.facts.text import spoken_clean, statements
from ambientnote.transcript import Role, Segment

_PRESS = r"(?:press|push|touch|palpate|squeeze|feel)(?:es|ing)?"
_HURT = r"(?:hurt|bother you|painful|tender|sore)"
# "when i press on the inside of your knee does that hurt", "does it hurt when i push on your leg like that"
_ASKED = re.compile(rf"\b(?:(?:when i|if i|i'm gon na|i'm going to|let me|i'll) {_PRESS}"
                    r"(?: here| there| right here)?(?: (?:on|over|along|into))?"
                    rf"(?: here on)? (?P<where>[a-z' ]{{3,40}}?)(?: here| there| like that| like this)?,?"
                    rf" (?:does|is|did) (?:that|it|this)(?: \w+)? {_HURT}|"
                    rf"(?:does|is|did) (?:that|it|this) {_HURT} when i {_PRESS}(?: here| there)?(?: (?:on|over))?"
                    rf"(?: you on)? (?P<where2>[a-z' ]{{3,40}}?)(?: here| there| like that| like this)?)"
                    r"(?: at all| a little bit)?\W*$", re.I)
_YES = re.compile(r"^(?:(?:yes|yeah|yep|uh-huh|mm-hmm|very much(?: so)?|a little(?: bit)?|a bit|some|it does|that "
                  r"hurts|that does|ouch|ow)\b[\s,.]*)+(?:(?:it does|that hurts|yeah|that's tender|yes)\W*)*$", re.I)
_NO = re.compile(r"^(?:(?:no|nope|not really|uh-uh|not at all)\b[\s,.]*)+(?:(?:that's fine|it doesn't|it does n't|"
                 r"it doesn't bother me|it does n't bother me|not no|uh uh)\W*)*$", re.I)


def _where(said: str) -> str | None:
    """The place pressed, as the note names it ("your knee" → "the knee"); None when no body part is named."""
    said = re.sub(r"^(?:on|over|along)\s+", "", said.strip(), flags=re.I)
    if not re.search(rf"\b(?:{body_parts()}|belly|abdomen|tummy|kneecap|sinuses|face|ribs?|spine|calf|shin|"
                     r"heel|toe|toes|wrist|elbow|ankle|finger|thumb)s?\b", said, re.I):
        return None
    said = re.sub(r"\b(?:your|his|her|that|this)\b", "the", said, flags=re.I)
    said = re.sub(r"\b(?:belly|tummy)\b", "abdomen", said, flags=re.I)
    return said if said.lower().startswith("the ") else f"the {said}"


def tenderness_asked(segments: list[Segment], stated: list[ExamFinding]) -> list[ExamFinding]:
    """Tenderness to palpation, or its absence, from the clinician's question and the patient's bare answer; not
    where the clinician also stated it (``stated``)."""
    out: list[ExamFinding] = []
    for asked, reply in pairwise(segments):
        if asked.role != Role.clinician or reply.role != Role.patient:
            continue
        said = statements(asked.text)  # "let me press here on your abdomen. does that hurt?": punctuated apart
        if not said or not (match := _ASKED.search(spoken_clean(" ".join(s.rstrip(".") for s in said[-2:])))):
            continue
        answer = spoken_clean(reply.text).lower().strip()
        yes, no = bool(_YES.match(answer)), bool(_NO.match(answer))
        where = _where(match["where"] or match["where2"])
        if where is None or yes == no:
            continue
        text = f"{'T' if yes else 'No t'}enderness to palpation of {where}."
        part = where.split()[-1].lower()
        if text not in {f.text for f in out} and not any(
                part in f.text.lower() and re.search(r"\b(?:tender\w*|palpation)\b", f.text, re.I)
                for f in stated):
            system = exam_system(where)
            out.append(ExamFinding(system="musculoskeletal" if system == "general" else system, text=text,
                                   normal=not yes, evidence=[asked.id, reply.id]))
    return out
