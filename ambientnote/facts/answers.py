"""Pertinent positives and negatives from the clinician's yes/no questions: "did you hear or feel a pop?" —
"no" → "She did not hear or feel a pop."

Much of a history is asked, not volunteered, and a note records the answers ("She denies any trauma",
"He is taking metformin"). The symptom extractor already reads questions about symptoms; this one reads
the rest: injuries, habits, treatments tried, adherence. Only a question the patient answers with a bare
yes or no is taken, because an answer that goes on ("no, but…", "i think so") qualifies itself and the
narrative extractor reads it instead. Questions about the clinician's own plan or the visit ("do you have
any questions", "can you bend your knee") are not history and are left out.

"How often" and "how far" questions are read here too ("how far are you running?" — "like 4 to 5 miles a
day" → "He is running 4 to 5 miles a day."): the answer is a bare amount that means nothing without the
question's verb, so neither the narrative nor the yes/no reader can take it.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ambientnote.facts.lexicon import body_parts, find_symptoms
from ambientnote.facts.narrative import anchored, bare_drugs, third_person
from ambientnote.facts.plan import Person
from ambientnote.facts.schema import Reported, Symptom
from ambientnote.facts.text import PAST_OF, plain, sentence, spoken_clean, statements, third_person_verb, units
from ambientnote.language.statement_style import statement_faults
from ambientnote.transcript import Role, Segment

MAX_ANSWERS = 8

_ASKED = re.compile(r"^(?:(?:so|and|okay|alright|all right|now|well|um|uh|but|how about)\s+)*"
                    r"(?:(?P<aux>do|did|have|are|were)\s+you|(?P<any>(?:is there )?(?:any|no)))\s+(?P<rest>[^?]+?)\s*"
                    r"\?$",
                    re.I)
# requests, checks on understanding, the visit itself, and "it"/"that" whose referent the note cannot name
_NOT_HISTORY = re.compile(
    r"\b(want|wan na|need|mind|know|remember|think|understand|agree|like to|questions?|ready|okay|alright|"
    r"all right|sure|comfortable|prefer|hear me|see me|tell me|describe|show|point|bend|straighten|lie|lay|"
    r"sit|stand|breathe|squeeze|push|pull|follow|wiggle|move|look|come back|schedule|call|get that|"
    r"i|me|my|we|us|our|it|this|that|these|those|there|anything else|something|or not)\b", re.I)
_YES = re.compile(r"^(?:(?:yes|yeah|yep|yup|uh-huh|mm-hmm|correct|i do|i have|i am|i did|i was|definitely|"
                  r"absolutely|sure|that's right|right)(?:\s+|$))+(?:(?:sir|ma'am|doctor|doc|i do|i have)\s*)*$", re.I)
_NO = re.compile(r"^(?:(?:no|nope|nah|not really|never|none|i don't|i do n't|i haven't|i have n't|i'm not|"
                 r"i am not|i didn't|i did n't|i have not|i do not|i did not|i wasn't|i was not|not at all|"
                 r"not that i (?:can recall|know of|remember|recall|know|noticed))(?:\s+|$))+"
                 r"(?:(?:sir|ma'am|doctor|doc)\s*)*$", re.I)
_UNFINISHED = re.compile(r"\b(?:or|and|the|a|an|of|to|with|other|else)$|\bother\b", re.I)  # cut off, or vague
_HABIT = re.compile(r"\b(smoke|smoking|drink|drinking|alcohol|tobacco|vape|vaping|drugs|pop|trauma|allerg\w*)\b", re.I)
_ADVERB = re.compile(r"^(?:(?:still|ever|also|usually|currently|regularly|recently|now|often|ever been|always)\s+)+",
                     re.I)


def _addressed(rest: str, person: Person) -> str:
    """The question's words with the patient in the third person ("your knee" → "her knee")."""
    obj = {"his": "him", "her": "her"}.get(person.possessive, "them")
    reflexive = {"his": "himself", "her": "herself"}.get(person.possessive, "themselves")
    rest = re.sub(r"\byourself\b", reflexive, rest, flags=re.I)
    rest = re.sub(r"\byour\b", person.possessive, rest, flags=re.I)
    return re.sub(r"\byou\b", obj, rest, flags=re.I)


def _answer(text: str) -> bool | None:
    said = re.sub(r"[^\w\s']", " ", spoken_clean(text).lower())
    said = " ".join(said.split())
    if _NO.match(said):
        return False
    if _YES.match(said):
        return True
    return None


def _statement(aux: str, rest: str, yes: bool, person: Person) -> str | None:
    """The answered question as the note's sentence, or None where the wording would have to be guessed."""
    subject = person.Subject
    if aux == "any":  # "any blood in your stool?" — "no": a denial; a "yes" is told in the answer's own words
        return None if yes else f"{subject} denies {rest}"
    ever = bool(re.search(r"\bever\b", rest, re.I))
    rest = re.sub(r"\s+", " ", re.sub(r"\b(?:ever|at all)\b", "", rest, flags=re.I)).strip(" ,")
    if aux == "do":
        adverbs = (m[0] if (m := _ADVERB.match(rest)) else "")
        verb, _, tail = rest[len(adverbs):].partition(" ")
        if not verb:
            return None
        if not yes:
            return f"{subject} does not {adverbs}{verb} {tail}"
        return f"{subject} {adverbs}{third_person_verb(verb)} {re.sub(r'^any ', '', tail)}"
    if aux == "did":
        verb, _, tail = rest.partition(" ")
        if not yes:
            return f"{subject} did not {rest}"
        return f"{subject} {PAST_OF[verb.lower()]} {tail}" if verb.lower() in PAST_OF else None
    verb = {"have": "has", "are": "is", "were": "was"}[aux]
    if yes:
        return (f"{subject} {verb} {re.sub(r'^(?:been )?any ', '', rest)}"
                if not rest.startswith("any ") or aux == "have" else None)
    if aux == "have" and ever:
        return f"{subject} has never {rest}"
    return f"{subject} {verb} not {rest}"


# "okay, so you also have some shortness of breath with exertion." — "correct.": the clinician's summary, confirmed
_SUMMARY = re.compile(r"^(?:(?:so|okay|and|alright|all right|now|um|uh)\W+)*(?:it sounds like\s+)?you\s+"
                      r"(?P<adverbs>(?:(?:also|still|usually|mostly|sometimes|now|just)\s+)*)"
                      r"(?P<verb>have had|'ve had|have been|'ve been|have|are taking|'re taking|are|'re|take|had|were|"
                      r"feel|get|noticed|started)\s+(?P<rest>[^?]+?)\s*\.?$", re.I)
_CONFIRMED = re.compile(r"^(?:yes|yeah|yep|correct|right|exactly|that's right|that is right|mm-hmm|uh-huh)\b", re.I)
_THIRD = {"have had": "has had", "'ve had": "has had", "have been": "has been", "'ve been": "has been", "have": "has",
          "are taking": "is taking", "'re taking": "is taking", "are": "is", "'re": "is", "take": "takes", "had": "had",
          "were": "was", "feel": "feels", "get": "gets", "noticed": "noticed", "started": "started"}


def confirmed(segments: list[Segment], person: Person) -> list[Reported]:
    """The clinician's summaries of the history that the patient confirmed, as history sentences."""
    out: list[Reported] = []
    for said, reply in pairwise(segments):
        if said.role != Role.clinician or reply.role != Role.patient or not _CONFIRMED.match(spoken_clean(reply.text)):
            continue
        last = statements(said.text)[-1:] or [""]
        if not (match := _SUMMARY.match(last[0])) or last[0].endswith("?"):
            continue
        rest = match["rest"].strip(" ,.")
        if (_NOT_HISTORY.search(rest) or not 2 <= len(rest.split()) <= 14 or _UNFINISHED.search(rest)
                or not anchored(rest) or re.search(r"\b(?:if|when|or)\b", rest, re.I)):
            continue
        text = f"{person.Subject} {match['adverbs'].lower()}{_THIRD[match['verb'].lower()]} {_addressed(rest, person)}"
        text = sentence(units(bare_drugs(text)))
        if not statement_faults(text):
            out.append(Reported(text=text, evidence=[said.id, reply.id], speaker="clinician"))
    return out[:MAX_ANSWERS]


# "i know you had an episode of gout of your right big toe about two months ago", "i heard you went to the er for some
# chest discomfort": the history the clinician knows from the chart or the referral, told to the patient
_RECOUNTED = re.compile(r"\b(?:i know|i heard|i see|i saw|it looks like|it says|i,? was notified[^.?]{0,40}?)"
                        r"(?: here)?(?: in (?:your|the) (?:chart|notes?|records?))?,?\s+(?:that\s+)?you,?\s+"
                        r"(?P<verb>have had|'ve had|had|went|underwent|completed|enrolled)\s+(?P<rest>[^?]+?)\s*\.?$",
                        re.I)
# where the clinician's sentence goes on to something else: "… about two months ago, um, and we sent you …"
_GOES_ON = re.compile(r",?\s+(?:um|uh)\b.*$|,?\s+(?:and|but|so|which)\s+(?:i|we|you|let's|how|what|that's|it's)\b.*$|"
                      r",\s+(?:so|and|but)\b.*$|\s+and (?:that|it|this|they)\b.*$", re.I)
_RECOUNTED_VERB = {"have had": "has had", "'ve had": "has had"}


def recounted(segments: list[Segment], person: Person) -> list[Reported]:
    """What the clinician recounts of the patient's history ("i know you had a colonoscopy about three years ago"),
    as the HPI's sentence; only what happened (had, went, underwent), never what the clinician expects or asks."""
    out: list[Reported] = []
    for seg in segments:
        if seg.role != Role.clinician:
            continue
        for said in statements(seg.text):
            # "… that you had a really high blood sugar …, what was going on?": the history, then the question
            said = re.sub(r",\s*(?:what|how|why|when|can|could|do|did|is|are)\b[^,]*\?$", ".", plain(said), flags=re.I)
            if said.endswith("?") or not (match := _RECOUNTED.search(said)):
                continue
            rest = _GOES_ON.sub("", match["rest"]).strip(" ,.")
            rest = re.sub(r"\s+(?:that|which) (?:we|you|i)(?:'ve|'re| have| are)?\b.*$", "", rest, flags=re.I)  # "…
            # back pain that we've been dealing with"
            rest = re.sub(r"\b(?:this|that)\s+(?=[a-z]{3,}\b)(?![a-z]+ed\b|(?:is|was|has|had|we|you|done|gone|been|"
                          r"seen|shows?)\b)", "the ", rest, flags=re.I)  # "that rotator cuff repaired"
            rest = re.sub(r"\b(the|a|an|some|your),\s+", r"\1 ", rest, flags=re.I)  # "the, uh, knee surgery"
            rest = re.sub(r",\s+(?=(?:about|around|approximately|over|\d+)\b)", " ", rest, flags=re.I)  # "…, um, about
            # two months ago"
            if (_NOT_HISTORY.search(rest) or not 2 <= len(rest.split()) <= 16 or _UNFINISHED.search(rest)
                    or not anchored(rest) or re.search(r"\b(?:if|when|or|might|may|gon na|going to)\b", rest, re.I)):
                continue
            # "you had the knee surgery", "that rotator cuff repaired": the patient's own part
            rest = re.sub(rf"^the (?=(?:left |right )?(?:{body_parts()}|rotator cuff)\b)", "your ", rest, flags=re.I)
            verb = _RECOUNTED_VERB.get(match["verb"].lower(), match["verb"].lower())
            text = sentence(units(bare_drugs(f"{person.Subject} {verb} {_addressed(rest, person)}")))
            if not statement_faults(text):
                out.append(Reported(text=text, evidence=[seg.id], speaker="clinician"))
    return out[:MAX_ANSWERS]


# "how far are you running?", "how often do you check your sugars?", "how long have you been taking the metformin?"
_HOW_ASKED = re.compile(r"\bhow (?:far|often|frequently|long)\s+"
                        r"(?P<aux>do you|are you|have you been)\s+(?P<verb>[a-z]+)(?P<rest>(?:\s+[a-z']+){0,5})\s*\?$",
                        re.I)
_AMOUNT = re.compile(r"^(?:(?:like|about|around|roughly|approximately)\s+)?(?:\d+(?:\s+(?:to|or)\s+\d+)?|once|twice|"
                     r"a couple of|a few|several)\s+[a-z ]{2,30}$", re.I)


def answered_amounts(segments: list[Segment], person: Person) -> list[Reported]:
    """The patient's bare amount in answer to "how far/how often/how long …?", as the question's statement."""
    out: list[Reported] = []
    for asked, reply in pairwise(segments):
        if asked.role != Role.clinician or reply.role != Role.patient:
            continue
        said = statements(asked.text)
        answer = re.sub(r"^(?:(?:uh|um|oh|well|yeah|so)\W+)*", "", (statements(reply.text) or [""])[0]).strip(" .,")
        if not said or not (match := _HOW_ASKED.search(said[-1])) or not _AMOUNT.match(answer):
            continue
        asked_rest = re.sub(r"\s*\b(?:these days|nowadays|now)\b", "", match["rest"]).strip()  # "walking these days"
        verb, rest = match["verb"].lower(), _addressed(asked_rest, person)
        answer = re.sub(r"^like\s+", "about ", answer, flags=re.I)  # "like 4 to 5 miles a day"
        if (_NOT_HISTORY.search(f"{verb} {asked_rest}") or re.search(r"\b(?:you|i|maybe|probably)\b", answer, re.I)
                or re.search(r"\b(?:when|if|because)\b", rest, re.I)):
            continue
        aux = match["aux"].lower()
        if aux == "do you":
            told = f"{person.subject} {third_person_verb(verb)} {rest} {answer}"
        elif not verb.endswith("ing"):
            continue
        elif aux == "are you":
            told = f"{person.subject} is {verb} {rest} {answer}"
        else:
            since = "" if re.match(r"(?:for|since)\b", answer) else "for "
            told = f"{person.subject} has been {verb} {rest} {since}{answer}"
        text = sentence(units(bare_drugs(told)))
        if not statement_faults(text):
            out.append(Reported(text=text, evidence=[asked.id, reply.id], speaker="patient"))
    return out[:MAX_ANSWERS]


def answered(segments: list[Segment], person: Person, symptoms: list[Symptom]) -> list[Reported]:
    """Yes/no answers as history sentences, in the third person, each citing the question and the answer."""
    known = {s.name for s in symptoms}
    out: list[Reported] = []
    seen: set[str] = set()
    for asked, reply in pairwise(segments):
        if asked.role != Role.clinician or reply.role != Role.patient:
            continue
        said = statements(asked.text)
        match = _ASKED.match(said[-1]) if said else None
        yes = _answer(reply.text) if match else None
        if match is None or yes is None:
            continue
        rest = re.sub(r"\b(?:at any point|by any chance|any chance)\b", "", match["rest"]).strip(" ,")
        rest = re.sub(r"\b(?:that|this) (?=[a-z]{3,})(?!(?:is|was|has|one)\b)", "the ", rest)  # "that knee"
        if (_NOT_HISTORY.search(rest) or not 2 <= len(rest.split()) <= 12 or _UNFINISHED.search(rest)
                or not (anchored(rest) or _HABIT.search(rest))
                or {h.term for h in find_symptoms(rest)} & known):
            continue
        text = _statement((match["aux"] or "any").lower(), _addressed(rest, person), yes, person)
        text = sentence(units(bare_drugs(text))) if text else ""
        if not text or text.lower() in seen or statement_faults(text):
            continue
        seen.add(text.lower())
        out.append(Reported(text=text, evidence=[asked.id, reply.id], speaker="patient"))
    return out[:MAX_ANSWERS]


# "what happened to you?" — "i was bowling and as i was running up to the lane … and so then i fell": how the injury
# happened, the first thing an injury visit's HPI says
_WHAT_HAPPENED = re.compile(r"\bwhat happened\b(?! (?:there|then|with (?:that|the (?:surgery|operation))))|"
                            r"\bhow did (?:you|it|that) (?:hurt|injure|happen|do)\b|"
                            # "it looks like you hurt your left ankle can you tell me a little bit more about that"
                            r"\b(?:hurt|injured)\b.{0,60}\btell me (?:a little )?(?:bit )?more\b", re.I)
_DOING = re.compile(r"^(?:(?:yeah|yes|well|so|um|uh|okay|oh)\W+)*"
                    r"(?:(?P<when>yesterday|last night|this morning|over the weekend|last week)\W+)?"  # said first
                    r"(?P<doing>i was (?:going to \w+|\w+ing)\b[^,.;]{0,60}?)"
                    r"(?=\s+(?:and(?! down)|when|as|but|so|then|because|i)\b|[,.;]|$)", re.I)
# "… and stepped off the curb and landed on it wrong": the event itself, when no activity is said
_EVENT = re.compile(r"\b(?:i|and)\s+(?:just\s+)?(?P<event>(?:stepped (?:off|on)|tripped (?:over|on)|slipped (?:on|off)|"
                    r"fell (?:off|down|on|over))\s+(?:the|a|an|my|some)\s+[a-z]+)\b", re.I)
_HURT = re.compile(r"\bi (?:(?:could|just|kind of|sort of|then|must have)\s+){0,2}"
                   r"(?P<how>fell|slipped|tripped|(?:twisted|rolled|landed on|jammed) (?:my (?:(?:left|right|other) )?"
                   r"[a-z]+|it)|heard a pop|felt a pop)\b", re.I)  # "twisted my right knee", not "twisted my"


def mechanism(segments: list[Segment], person: Person) -> list[Reported]:
    """How the injury happened, from the patient's answer to "what happened?": "She was bowling and fell.",
    "She was jumping on her kid's trampoline and slipped." Only an activity the patient was doing counts."""
    for asked, reply in pairwise(segments):
        if asked.role != Role.clinician or reply.role != Role.patient or not _WHAT_HAPPENED.search(asked.text):
            continue
        text = spoken_clean(reply.text)
        if not (doing := _DOING.match(text)):
            if event := _EVENT.search(text):
                told = sentence(f"{person.Subject} {event['event'].lower().replace('my ', person.possessive + ' ')}")
                if not statement_faults(told):
                    return [Reported(text=told, evidence=[asked.id, reply.id], speaker="patient")]
            continue
        said = doing["doing"]
        if re.search(r"\b(?:this|that|these|those|like)\b", said, re.I):
            continue  # "i was flying down this black diamond like i like to do": told, not writable
        if doing["when"]:
            said += f" {doing['when'].lower()}"  # "yesterday i was going to take out the trash"
        if hurt := _HURT.search(text[doing.end():]):
            said += f" and {hurt['how']}"
            if "pop" not in hurt["how"] and (pop := re.search(r"\b(?:heard|felt) a pop\b", text[hurt.end():], re.I)):
                said += f" and {pop[0].lower()}"  # "i just slipped and fell and i'm pretty sure i heard a pop"
        told = sentence(third_person(said, person))
        if re.search(r"\b(?:i|me|my)\b", told, re.I) or statement_faults(told):
            continue
        return [Reported(text=told, evidence=[asked.id, reply.id], speaker="patient")]
    return []
