"""Faithful third-person statements from conversation turns, without a model.

The small local model invents facts when asked to write freely, so the note's
backbone is built by rule from what was said: fillers and stutters dropped,
"I"/"my" of the patient turned into "the patient"/"their", "you"/"your" of the
clinician turned into "the patient"/"the patient's", and a yes/no question with
its answer turned into "Denies chest pain." / "Endorses cough.". Every statement
keeps the ids of the turns it came from; nothing is added that was not said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ambientnote.notes.phases import clean_text
from ambientnote.transcript import Role, Segment

_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_LEAD = re.compile(r"^(?:(?:so|well|and|but|okay|ok|oh|yeah|yes|alright|all right|now|um|uh|like|actually|just)\b[\s,.]*)+", re.I)
_TAIL = re.compile(r"[\s,]*\b(okay|ok|right|alright|you know|too)\s*[?.]*$", re.I)
_ASSISTANT = re.compile(r"\b(hey,? )?(dragon|dax|siri|alexa)\b|^show me\b", re.I)
_SMALL_TALK = re.compile(
    r"\b(good to see|nice to (see|meet)|how are you|how's it going|thank you|thanks|have a (good|great|nice)|"
    r"take care|see you (later|soon|then)|sounds (good|fine|great)|any questions)\b",
    re.I,
)
_QUESTION_OBJECT = re.compile(
    r"^(?:and |so |any other |also )*(?:do you have|have you (?:had|noticed|experienced|been having|had any)|"
    r"are you having|did you have|any(?:thing like)?|have you been)\s+(?:any\s+)?(?P<obj>[^?]{3,80})\?$",
    re.I,
)
_NO = re.compile(r"^(no|nope|nah|not really|never|none|i do n't|i don't|i haven't)\b", re.I)
_YES = re.compile(r"^(yes|yeah|yep|yup|a little|sometimes|i do|i have|uh-huh|mm-hmm|definitely)\b", re.I)
_CONTENT = re.compile(r"[a-z]{3,}")

_PATIENT_PRONOUNS = [
    (r"\bi'm\b|\bi am\b", "the patient is"),
    (r"\bi've\b|\bi have\b", "the patient has"),
    (r"\bi'd\b", "the patient would"),
    (r"\bi'll\b", "the patient will"),
    (r"\bi was\b", "the patient was"),
    (r"\bi don't\b|\bi do not\b", "the patient does not"),
    (r"\bi didn't\b", "the patient did not"),
    (r"\bi can't\b|\bi cannot\b", "the patient cannot"),
    (r"\bi haven't\b", "the patient has not"),
    (r"\bi'm not\b", "the patient is not"),
    (r"\bmyself\b", "themselves"),
    (r"\bmy\b", "their"),
    (r"\bme\b", "them"),
]
_CLINICIAN_PRONOUNS = [
    (r"\byou're\b|\byou are\b", "the patient is"),
    (r"\byou've\b|\byou have\b", "the patient has"),
    (r"\byou were\b", "the patient was"),
    (r"\byou don't\b|\byou do not\b", "the patient does not"),
    (r"\byourself\b", "themselves"),
    (r"\byour\b", "the patient's"),
    (r"\byou\b", "the patient"),
    (r"\bi\b", "I"),
    (r"\bi'm\b", "I'm"),
    (r"\bi'll\b", "I'll"),
    (r"\bi've\b", "I've"),
    (r"\bi'd\b", "I'd"),
    (r"\bwan na\b", "want to"),
    (r"\bgon na\b", "going to"),
]
_THIRD_PERSON = {"feel": "feels", "get": "gets", "go": "goes", "take": "takes", "think": "thinks", "want": "wants",
                 "need": "needs", "use": "uses", "try": "tries", "notice": "notices", "know": "knows",
                 "like": "likes", "live": "lives", "work": "works", "eat": "eats", "drink": "drinks",
                 "smoke": "smokes", "sleep": "sleeps", "walk": "walks", "run": "runs", "wake": "wakes",
                 "do": "does", "play": "plays", "check": "checks", "see": "sees", "hear": "hears", "say": "says"}


@dataclass
class Candidate:
    """A statement drafted by rule, before it is placed in a subsection."""

    text: str
    evidence: list[str]
    kind: str  # "narrative" or "review" (a yes/no symptom question and its answer)


def _apply(text: str, rules: list[tuple[str, str]]) -> str:
    for pattern, repl in rules:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text


def _patient_voice(text: str) -> str:
    text = _apply(text, _PATIENT_PRONOUNS)
    text = re.sub(r"\bi (\w+)", lambda m: f"the patient {_THIRD_PERSON.get(m[1].lower(), m[1])}", text, flags=re.I)
    text = re.sub(r"\bwe\b", "they", text, flags=re.I)
    return _apply(text, [(r"\bwan na\b", "want to"), (r"\bgon na\b", "going to")])


def _finish(sentence: str) -> str | None:
    sentence = _TAIL.sub("", _LEAD.sub("", sentence.strip())).strip(" ,")
    if len(_CONTENT.findall(sentence.lower())) < 3:
        return None
    sentence = sentence[0].upper() + sentence[1:]
    return sentence if sentence[-1] in ".!" else sentence.rstrip("?,;:") + "."


def _review(question: Segment, answer: Segment) -> Candidate | None:
    """"any fever?" + "no" → "Denies fever.": the review-of-systems form of a yes/no exchange."""
    asked = _SENTENCE.split(clean_text(question.text))[-1]
    match = _QUESTION_OBJECT.match(_LEAD.sub("", asked).strip())
    reply = clean_text(answer.text)
    if not match or len(reply.split()) > 12:
        return None
    obj = re.sub(r"\b(your|you)\b", "", match["obj"], flags=re.I).strip(" ,")
    obj = re.sub(r"\s*,?\s*(or )?anything like that$", "", obj).strip()
    if len(_CONTENT.findall(obj.lower())) < 1 or obj.lower() in {"that", "this", "it", "those"}:
        return None
    if _NO.match(reply):
        verb = "Denies"
    elif _YES.match(reply):
        verb = "Endorses"
    else:
        return None
    return Candidate(text=f"{verb} {obj}.", evidence=[question.id, answer.id], kind="review")


def rephrase(segments: list[Segment]) -> list[Candidate]:
    """Statements for consecutive substantive segments of one phase, in order."""
    out: list[Candidate] = []
    for n, seg in enumerate(segments):
        nxt = segments[n + 1] if n + 1 < len(segments) else None
        if seg.role == Role.clinician and nxt is not None and nxt.role != Role.clinician:
            review = _review(seg, nxt)
            if review:
                out.append(review)
        prev = segments[n - 1] if n else None
        if prev is not None and out and out[-1].evidence[-1] == seg.id and out[-1].kind == "review":
            continue  # the answer is already in the review statement
        voice = _patient_voice if seg.role != Role.clinician else (lambda t: _apply(t, _CLINICIAN_PRONOUNS))
        for sentence in _SENTENCE.split(clean_text(seg.text)):
            if sentence.endswith("?") or _ASSISTANT.search(sentence) or _SMALL_TALK.search(sentence):
                continue
            finished = _finish(voice(sentence))
            if finished:
                out.append(Candidate(text=finished, evidence=[seg.id], kind="narrative"))
    return out
