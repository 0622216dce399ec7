"""The patient's agreement to the plan and their questions answered, which a signed note records at its close.

"The patient understands and agrees with the recommended medical treatment plan." ends the plan of most
ACI-Bench reference notes (41 of 87 train and valid). It is a fact of the visit only when the patient said so
once the plan was put to them ("okay, sounds good", "I can do that", a bare "all right.") and did not turn it
down afterwards, so it is read from the patient's own turns after that and cites them. "All questions were
answered." is recorded only when the patient asked something about the plan and the clinician replied.
"""

from __future__ import annotations

import re

from ambientnote.facts.schema import Agreement
from ambientnote.language.phases import sentences
from ambientnote.transcript import Role, Segment

_ASSENT = re.compile(r"\b(?:sounds? (?:good|great|fine|perfect|reasonable|like a (?:good )?plan)|that works|"
                     r"works for me|i agree|let's do (?:it|that)|(?:i'm|i am) (?:okay|ok|fine|good) with that|"
                     r"(?:that )?makes sense|i understand|will do|i can do that|i'll do that|that's fine|perfect)\b",
                     re.I)
# "okay.", "all right.", "you got it.": a turn that is nothing but assent, once the plan was put (not "yes", which
# may answer "do you have any questions?")
_SHORT_ASSENT = re.compile(r"\W*(?:(?:okay|ok|alright|all right|sure|got it|you got it|great|good)\W*)+", re.I)
# "i don't want surgery", "i'd rather not": the plan put to the patient and turned down
_DECLINE = re.compile(r"\bi (?:don't|do n't|do not) (?:want|think i want|like)\b|\bi(?:'d| would) rather not\b", re.I)
# "pardon?", "you know?", "right?": a question that asks for nothing about the plan
_NO_QUESTION = re.compile(r"^\W*(?:\w+\W*){0,3}\?$|\b(?:you know|right|okay|really)\W*\?$", re.I)


# "so when will all this take place": a question unpunctuated speech left without its question mark
_ASKED = re.compile(r"^(?:(?:so|and|but|okay|um|uh|well)\W+)*(?:(?:when|how|what|why|where|which)\s+(?:will|would|can|"
                    r"could|should|do|does|did|is|are|long|much|many|often|soon)|(?:can|could|should|do|does|will|"
                    r"would|is|are)\s+(?:i|you|it|we|that|this|they|there))\b", re.I)


def _question(text: str) -> bool:
    return any((s.endswith("?") or _ASKED.match(s)) and not _NO_QUESTION.search(s) for s in sentences(text))


def find_agreement(segments: list[Segment], planned: set[str]) -> list[Agreement]:
    """What the turns after the clinician put a plan to the patient show of the patient's agreement and questions.

    ``planned``: the ids of the turns that carry the plan (its items' evidence and the plan phase), for a plan is
    often talked through before the visit's last phase begins.
    """
    assent: Segment | None = None
    answered: list[str] = []
    heard = False  # the clinician has put a plan to the patient
    for n, seg in enumerate(segments):
        if seg.role == Role.clinician:
            heard = heard or seg.id in planned
            continue
        if seg.role != Role.patient or not heard:
            continue
        if _DECLINE.search(seg.text):
            assent = None
        elif _ASSENT.search(seg.text) or _SHORT_ASSENT.fullmatch(seg.text):
            assent = seg
        if not answered and _question(seg.text) and (
                reply := next((s for s in segments[n + 1:] if s.role == Role.clinician), None)):
            answered = [seg.id, reply.id]
    out = [Agreement(kind="agrees", evidence=[assent.id], speaker="patient")] if assent else []
    if answered:
        out.append(Agreement(kind="questions_answered", evidence=answered, speaker="patient"))
    return out
