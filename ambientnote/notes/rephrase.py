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

from ambientnote.language.phases import clean_text, sentences
from ambientnote.transcript import Role, Segment

LEAD = re.compile(r"^(?:(?:so|well|and|but|okay|ok|oh|yeah|yes|alright|all right|now|um|uh|like|actually|just)\b"
                  r"[\s,.]*)+", re.I)
_TAIL = re.compile(r"[\s,]*\b(okay|ok|right|alright|you know|too)\s*[?.]*$", re.I)
_ASSISTANT = re.compile(r"\b(hey,? )?(dragon|dax|siri|alexa)\b|^show me\b", re.I)
SMALL_TALK = re.compile(
    r"\b(good (morning|afternoon|evening)|good to see|nice to (see|meet)|how are you|how's it going|thank you|thanks|"
    r"have a (good|great|nice)|"
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
    source: str = ""  # the words it was drawn from, speaker-labelled: what a note-writing model rewrites


def spoken(segment: Segment, text: str) -> str:
    """``Doctor: …`` / ``Patient: …``: how a source sentence is shown to the note-writing model."""
    return f"{segment.role.label}: {text}"


def _apply(text: str, rules: list[tuple[str, str]]) -> str:
    for pattern, repl in rules:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text


def patient_voice(text: str) -> str:
    text = _apply(text, _PATIENT_PRONOUNS)
    text = re.sub(r"\bi (\w+)", lambda m: f"the patient {_THIRD_PERSON.get(m[1].lower(), m[1])}", text, flags=re.I)
    text = re.sub(r"\bwe\b", "they", text, flags=re.I)
    return _apply(text, [(r"\bwan na\b", "want to"), (r"\bgon na\b", "going to")])


def _finish(sentence: str) -> str | None:
    sentence = _TAIL.sub("", LEAD.sub("", sentence.strip())).strip(" ,")
    sentence = " ".join(sentence.split())
    if len(_CONTENT.findall(sentence.lower())) < 2:
        return None
    sentence = sentence[0].upper() + sentence[1:]
    return sentence if sentence[-1] in ".!" else sentence.rstrip("?,;:") + "."


def _polarity(reply: str) -> tuple[str | None, str]:
    """("no" | "yes" | None, what follows the yes/no word) for the first words of an answer."""
    for polarity, rx in (("no", _NO), ("yes", _YES)):
        match = rx.match(reply)
        if match:
            return polarity, reply[match.end():].lstrip(" ,.")
    return None, reply


def _declarative(question: str, polarity: str) -> str | None:
    """"are you still taking the lisinopril?" + yes → "the patient is still taking the lisinopril"."""
    q = LEAD.sub("", question).strip().rstrip("?").strip()
    q = re.sub(r"\byour\b", "their", q, flags=re.I)
    neg = " not" if polarity == "no" else ""
    for pattern, subject in ((r"^are you\b", "the patient is"), (r"^have you\b", "the patient has"),
                             (r"^were you\b", "the patient was"), (r"^did you\b", "the patient did")):
        if re.match(pattern, q, re.I):
            return re.sub(pattern, subject + neg, q, flags=re.I)
    match = re.match(r"^do you (\w+)(.*)$", q, re.I)
    if match:
        verb = match[1] if neg else _THIRD_PERSON.get(match[1].lower(), match[1] + "s")
        return f"the patient{' does not' if neg else ''} {verb}{match[2]}"
    return None


def _exchange(question: Segment, answer: Segment) -> list[Candidate]:
    """A yes/no question and its answer as statements.

    A bare answer to "any fever?" gives "Denies fever." (review of systems); an
    answer to "are you taking the metformin?" gives "The patient is taking the
    metformin.", followed by whatever else the answer said.
    """
    asked = sentences(clean_text(question.text))[-1]
    if not asked.endswith("?"):
        return []
    reply = clean_text(answer.text)
    polarity, rest = _polarity(reply)
    if polarity is None:
        return []
    ids = [question.id, answer.id]
    source = f"{spoken(question, asked)}\n{spoken(answer, reply)}"
    match = _QUESTION_OBJECT.match(LEAD.sub("", asked).strip())
    if match and len(rest.split()) <= 3:
        obj = re.sub(r"\b(your|you)\b", "", match["obj"], flags=re.I)
        obj = re.sub(r"\s*,?\s*(or )?anything like that$", "", " ".join(obj.split())).strip(" ,")
        if _CONTENT.search(obj.lower()) and obj.lower() not in {"that", "this", "it", "those"}:
            verb = "Denies" if polarity == "no" else "Endorses"
            return [Candidate(text=f"{verb} {obj}.", evidence=ids, kind="review", source=source)]
    statement = _declarative(asked, polarity)
    out = []
    if statement and (finished := _finish(statement)):
        out.append(Candidate(text=finished, evidence=ids, kind="narrative", source=source))
    for sentence in sentences(rest) if out else []:
        if (finished := _finish(patient_voice(sentence))) is not None:
            out.append(Candidate(text=finished, evidence=[answer.id], kind="narrative",
                                 source=spoken(answer, sentence)))
    return out


def rephrase(segments: list[Segment]) -> list[Candidate]:
    """Statements for consecutive substantive segments of one phase, in order."""
    out: list[Candidate] = []
    answered: set[str] = set()
    for n, seg in enumerate(segments):
        if seg.id in answered:
            continue  # the answer is already in the statement drawn from its question
        nxt = segments[n + 1] if n + 1 < len(segments) else None
        voice = patient_voice if seg.role != Role.clinician else (lambda t: _apply(t, _CLINICIAN_PRONOUNS))
        for sentence in sentences(clean_text(seg.text)):
            if sentence.endswith("?") or _ASSISTANT.search(sentence) or SMALL_TALK.search(sentence):
                continue
            finished = _finish(voice(sentence))
            if finished:
                out.append(Candidate(text=finished, evidence=[seg.id], kind="narrative", source=spoken(seg, sentence)))
        if seg.role == Role.clinician and nxt is not None and nxt.role != Role.clinician:
            exchange = _exchange(seg, nxt)
            if exchange:
                out.extend(exchange)
                answered.add(nxt.id)
    first: dict[str, Candidate] = {}  # a sentence said twice is kept where it was first said
    for c in out:
        first.setdefault(c.text.lower(), c)
    return list(first.values())
