"""How bad, since when, what makes it worse and what was tried: the patient's answers to "on a scale of one to
ten…", "when did this happen?", "is it worse with eating or exercise?" and "what have you taken for the pain?".

An HPI reports a symptom's severity and onset, and in a conversation both are asked, not volunteered: the
answer ("gosh, it's like a nine", "yesterday morning") means nothing without its question, so neither the
narrative (first-person sentences) nor the yes/no reader (``answers.py``) takes it. Here the question names
what is measured and the answer gives the value; the symptom is the one last talked about ("the wrist pain"),
else plain "the pain". Both turns are cited.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ambientnote.facts.lexicon import find_named, find_symptoms
from ambientnote.facts.numbers import digits
from ambientnote.facts.plan import Person
from ambientnote.facts.schema import Reported
from ambientnote.facts.text import joined, sentence, spoken_clean
from ambientnote.transcript import Role, Segment

_SCALE = re.compile(r"\bscale of (?:0|1|zero|one) to (?:10|ten)\b|\bpain score\b|"
                    r"\bout of (?:10|ten) with (?:10|ten) being\b|"
                    r"\bhow (?:bad|severe|strong) is (?:the|your|it)\b", re.I)
# "like a 9", "probably an 8", "9/10", "a 6 or 7": the patient's rating, 0 to 10
_RATING = re.compile(r"(?<![\d/.])(?P<n>10|[0-9])(?:\s*(?:or|to|-)\s*(?P<m>10|[0-9]))?(?:/10| out of 10)?"
                     r"(?!\d|[/.]\d|%)")
_WHEN_ASKED = re.compile(r"\b(?:how long ago|"
                         r"when did (?:this|it|that|the \w+|you) (?:\w+ )?(?:happen|start|begin|first)|"
                         r"when was (?:this|that)|how long (?:have you had|has (?:this|it) been going on))\b", re.I)
_WHEN = re.compile(r"\b(?P<when>(?:(?:about|around|maybe|almost|over|like)\s+)?(?:"
                   r"yesterday(?: morning| afternoon| evening| night)?|this (?:morning|afternoon|past \w+)|"
                   r"last (?:night|week|month|year|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
                   r"(?:a|an|one|\d+|a couple of|a couple|a few) (?:days?|weeks?|months?|years?) ago|"
                   r"(?:for )?the (?:last|past) (?:\d+ |few |couple of |couple )?(?:days?|weeks?|months?|years?)|"
                   # "it's been a week now", "it happened, that was sunday": the time said the other way round
                   r"(?<=been )(?:a|one|\d+|a couple of|a few) (?:days?|weeks?|months?)(?= now\b)|"
                   r"(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                   r"(?: morning| afternoon| evening| night)?))\b", re.I)
# "for about the past two weeks": how long, said first in a longer answer
_SPAN = re.compile(r"\b(?:(?:about|around|almost|over) )?the (?:past|last) (?:\d+|few|couple of|couple) "
                   r"(?:days?|weeks?|months?|years?)\b", re.I)
_WEEKDAY = re.compile(r"^(?:on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


# "was the pain worse with eating or exercise?": what changes it, asked as a choice the answer makes
_MODIFIER_ASKED = re.compile(r"\b(?P<verb>is|was|does|did)\s+(?:the \w+(?: \w+)? |it |that )?(?:get |feel |seem )?"
                             r"(?P<way>worse|better)\s+(?P<options>(?:with|when|after|if|in)\s+[^?.]+)\?", re.I)
_TRIED_ASKED = re.compile(r"\b(?:what (?:have|did) you (?:taken|take|tried|try|done|do)|have you (?:taken|tried|done) "
                          r"anything|anything (?:for the pain|to help|to ease)|done anything to (?:ease|help)|"
                          r"anything (?:make|makes) it (?:better|worse))\b", re.I)
_REMEDIES = {"ice": re.compile(r"\b(?:ice|icing|iced)\b", re.I), "heat": re.compile(r"\b(?:heat|heating pad)\b", re.I),
             "rest": re.compile(r"\brest(?:ing|ed)?\b", re.I),
             "elevation": re.compile(r"\belevat\w*|\bprop(?:ped|ping)? it up\b", re.I),
             "an elastic wrap": re.compile(r"\bace (?:wrap|bandage)\b", re.I),
             "a brace": re.compile(r"\bbrace\b", re.I)}
_NO_RELIEF = re.compile(r"\b(?:did ?n't|does ?n't|do ?n't|not|never) (?:really )?(?:seem to )?(?:help|work|do)\w*|"
                        r"\bno (?:relief|help)\b|\bnothing (?:helps|helped|works|worked)\b", re.I)
_SOME_RELIEF = re.compile(r"\bhelp(?:s|ed)? (?:a little|a bit|some)|\ba little (?:bit )?(?:better|relief)|"
                          r"\bsome relief|\btakes? the edge off", re.I)
_RELIEF = re.compile(r"\b(?:helps?|helped|better|relief|works?|worked)\b", re.I)


def _tried(answer: str, person: Person) -> str | None:
    """"i took some tylenol, i took some ibuprofen, i used icy heat but it didn't help" → "He has tried Tylenol,
    ibuprofen and heat without relief." Only what the answer names; the relief as said, else left unsaid."""
    drugs = list(dict.fromkeys(m[0].lower() for m in find_named(answer, "medications")))
    remedies = [name for name, rx in _REMEDIES.items() if rx.search(answer)]
    if not drugs + remedies or re.search(r"\b(?:no|nothing|not yet|haven't|have n't)\b", answer.split(",")[0], re.I):
        return None
    relief = ("without relief" if _NO_RELIEF.search(answer) else "with some relief" if _SOME_RELIEF.search(answer)
              else "with relief" if _RELIEF.search(answer) else "")
    return sentence(f"{person.subject} has tried {joined(drugs + remedies)} {relief}".strip())


def _modifier(question: str, answer: str, what: str) -> str | None:
    """"was the pain worse with eating or exercise?" — "yes. with eating." → "The chest pain was worse with
    eating." The options the answer names (or the only one asked, on a bare yes); nothing on a no."""
    if not (asked := _MODIFIER_ASKED.search(question)) or re.match(r"\W*(?:no|nope|not really|neither)\b", answer):
        return None
    first = asked["options"].split()[0].lower()
    options = [o if o.split()[0] in ("with", "when", "after", "if", "in") else f"{first} {o}"
               for o in re.split(r",?\s+or\s+|,\s+", asked["options"].strip().lower())]
    if any(len(o.split()) > 5 or re.search(r"\b(?:you|your|worse|better|anything|something)\b", o) for o in options):
        return None  # "worse in the morning worse in the evening is there anything…": no clean choice to report
    said = set(re.findall(r"[a-z]+", answer))
    chosen = (options if re.search(r"\bboth\b", answer) else
              [o for o in options if set(re.findall(r"[a-z]{3,}", o.split(" ", 1)[-1])) & said])
    if not chosen and len(options) == 1 and re.match(r"\W*(?:yes|yeah|yep|it (?:is|was|does|did))\b", answer):
        chosen = options
    if not chosen:
        return None
    tense = "was" if asked["verb"].lower() in ("was", "did") else "is"
    return sentence(f"the {what} {tense} {asked['way'].lower()} {joined(chosen)}")


def answered_qualifiers(segments: list[Segment], person: Person) -> list[Reported]:
    """The rating, the onset and the remedies tried that the patient gave in answer to the clinician's
    question, as HPI sentences. The rating and the onset are of the symptom last talked about (else "pain")."""
    out: list[Reported] = []
    what = pain = ("pain", "")  # the symptom last talked about, and the turn that named it
    for asked, reply in pairwise(segments):
        if named := find_symptoms(asked.text):  # each turn read once for the symptom it names
            what = (named[-1].term, asked.id)
            pain = next(((h.term, asked.id) for h in reversed(named) if "pain" in h.term), pain)
        if asked.role != Role.clinician or reply.role == Role.clinician:
            continue
        question = spoken_clean(asked.text).lower()
        answer = digits(spoken_clean(reply.text).lower())
        if _TRIED_ASKED.search(question) and len(answer.split()) <= 40 and (tried := _tried(answer, person)):
            out.append(Reported(text=tried, evidence=[asked.id, reply.id], speaker="patient"))
            continue
        # "was the pain worse…?" after heartburn was asked about is the chest pain talked of before
        term, named_in = pain if re.search(r"\bthe pain\b", question) else what
        cited = list(dict.fromkeys(i for i in (asked.id, reply.id, named_in) if i))  # told where it was asked
        answer = re.sub(r"\b(\d) (\d)\b", lambda m: f"{m[1]}-{m[2]}" if int(m[2]) == int(m[1]) + 1 else m[0],
                        answer)  # "probably a 4 5": a range said without its "to"
        if _SCALE.search(question) and 14 < len(answer.split()) <= 40 and len(ratings := _RATING.findall(answer)) == 1:
            # "when i'm stationary i don't feel a lot of pain but if i start doing some mobility … a 4 5": one rating
            # in a longer answer is still the rating
            value = "-".join(n for n in ratings[0] if n)
            out.append(Reported(text=sentence(f"the {what[0]} is rated {value}/10"), evidence=cited,
                                speaker="patient"))
            continue
        if len(answer.split()) > 14:
            # a long reply says more than its value: the narrative reads it; but "really just for about the past two
            # weeks i just can't get comfortable …" answers "how long has this been going on" in its first words
            if re.search(r"\bhow long\b", question) and _WHEN_ASKED.search(question) and (
                    span := _SPAN.search(" ".join(answer.split()[:8]))):
                out.append(Reported(text=sentence(f"the symptoms have been going on for {span[0]}"), evidence=cited,
                                    speaker="patient"))
            continue
        if modifier := _modifier(question, answer, term):
            out.append(Reported(text=modifier, evidence=cited, speaker="patient"))
        if _SCALE.search(question) and (rating := _RATING.search(answer)):
            value = f"{rating['n']}-{rating['m']}" if rating["m"] else rating["n"]
            out.append(Reported(text=sentence(f"the {what[0]} is rated {value}/10"), evidence=cited,
                                speaker="patient"))
        elif _WHEN_ASKED.search(question) and (when := _WHEN.search(answer)):
            verb = "happened" if re.search(r"\bhappen", question) else "started"
            subject = "the injury" if verb == "happened" else f"the {what[0]}"
            if (seen := re.search(r"\bnotice (?:the|this|that|your) (?P<thing>\w+)", question)) and not find_symptoms(
                    seen["thing"]):  # "when did you first notice the spot?": the spot's onset, not the pain's
                subject, verb = f"the {seen['thing']}", "was first noticed"
            # "it was saturday, so about 4, 5 days ago": the count of days says it more exactly than the weekday
            when = next((w for w in _WHEN.finditer(answer) if not _WEEKDAY.match(w["when"])), when)
            said = _WEEKDAY.sub(lambda m: f"on {m[1].capitalize()}", when["when"])
            if re.fullmatch(r"(?:a|one|\d+|a couple of|a few) (?:days?|weeks?|months?)", said):
                said += " ago"  # "it's been a week now"
            out.append(Reported(text=sentence(f"{subject} {verb} {said}"), evidence=cited, speaker="patient"))
    return out
