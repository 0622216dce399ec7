"""Medications the patient takes: name, dose, route, frequency and adherence as said.

A drug name is only a fact with what surrounds it: "10 milligrams every morning,
but sometimes i forget it on weekends" after "are you still taking the
lisinopril?" gives lisinopril 10 mg every morning, with missed weekend doses.
Changes the clinician makes belong to the plan (``plan.py``), not here.
"""

from __future__ import annotations

import re

from ambientnote.facts.lexicon import class_beside_member, find, find_named, generic_of
from ambientnote.facts.numbers import digits
from ambientnote.facts.schema import Assertion, Medication
from ambientnote.facts.text import spoken_clean, units
from ambientnote.language.phases import sentences
from ambientnote.transcript import Role, Segment

DOSE = re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>mg|milligrams?|mcg|micrograms?|units?|grams?|g|ml|milliliters?|"
                  r"puffs?|tablets?|pills?|capsules?)\b", re.I)
# "i tried tylenol a few times but it didn't work, so i stopped": taken once, not now
_NOT_TAKING = re.compile(r"\b(not taking|stopped taking|don't take|do not take|haven't been taking|ran out|"
                         r"no longer take|quit taking|used to (?:be on|take)|was on|were on|"
                         r"i (?:stopped|quit) (?:it|them)|(?:so|and|then) i (?:stopped|quit)(?=\s*[.,;!]|\s*$)|"
                         r"take (?:it|them) any ?more|"
                         # "every month … i'll get prescribed some antibiotics": what each past episode got (D2N056)
                         r"i(?:'ll| will|'d| would) (?:usually |normally |always |just )?get (?:prescribed|given)|"
                         r"they(?:'ll| will|'d| would| usually| always) (?:\w+ )?(?:prescribe|give) me)\b", re.I)
_MISSED = re.compile(r"\b(forget|forgot|miss|missed|skip|skipped)\b", re.I)
_TAKING_Q = re.compile(r"\b(are you|you're|have you been)\s+(still\s+)?(taking|on|using)\b", re.I)
_PLAN_VERB = re.compile(r"\b(start|starting|add|prescribe|switch|increase|decrease|recommend|put you on|refill|"
                        r"order|try|stop|discontinue|check|level|levels)\b", re.I)  # "check your potassium" is a lab
# what only a prescriber says, whoever the transcript says spoke (D2N059: a turn tagged as the patient's)
_PRESCRIBING = re.compile(r"\b(?:get|got|getting) you started\b|\bstart(?:ing)? you (?:on|off)\b|\bput you on\b|"
                          r"\bprescribe you\b|"
                          r"\b(?:i|we)(?:'ll| will| would like to| want to| wan na) (?:start|prescribe)\b", re.I)
_NOT_CURRENT = re.compile(r"\b(avoid|instead of|rather than|allergic|allergy|side effects?|reaction|itch\w*|rash|hives|"
                          r"if you need|might need|not (?:currently )?(?:on|taking)|"  # "is not currently on potassium"
                          r"was (?:also )?on(?=[^.?!]*\bbefore\b)|"  # "i was also on lisinopril before but …"
                          r"may need|consider|going to)\b", re.I)
# the clinician saying a drug is taken: "you're on lisinopril", "you take digoxin", "your metformin", "continue"
_ON_IT = re.compile(r"\b(you're on|you are on|you take|you're taking|you are taking|you've been taking|you have been "
                    r"taking|still (?:on|taking)|continue|currently|been on|have you on|keep (?:you on|taking)|"
                    r"(?:steady|stable|well|better) on|stay on|staying on|remain on|been giving you)\b", re.I)
# "your metformin", not "your discount card for the unithroid"
# and as a clinician dictates it: "her lisinopril has also been increased up to 10 milligrams daily in march"
_YOURS = re.compile(r"\byour\s+(?:\w+\s+)?$|^\W*(?:(?:and|also|uh|um|so)\W+)*(?:his|her)\s+$", re.I)
_YES = re.compile(r"^\W*(yes|yeah|yep|i am|i do|correct|uh-huh|that's it|that is it|that's the one|that's right)\b",
                  re.I)
# "uh, digoxin?": the clinician names the drug the patient is trying to recall
_GUESS = re.compile(r"^\W*(?:(?:uh|um|oh|so|is it|was it|maybe|like|perhaps)\W+)*(?P<drug>[a-z-]+(?: [a-z-]+)?)\W*\?$",
                    re.I)


# "are you taking the lisinopril? i think we. have you on twenty milligrams a day?": the dose said in the
# clinician's next words, which the punctuator cut from the question (D2N041)
_ON_DOSE = re.compile(r"^(?:\W*(?:okay|and|so|i think|we|um|uh))*\W*(?:we\s+)?(?:have you on|you(?:'re| are) on|"
                      r"you(?:'re| are)? tak(?:e|ing))\s+(?:(?:the|about|like)\s+)?" + DOSE.pattern, re.I)


def dose_of(text: str, after: int = 0) -> str | None:
    """The first dose said at or after ``after`` ("80 milligrams" → "80 mg")."""
    match = DOSE.search(text, after)
    return units(f"{match['n']} {match['unit']}") if match else None


def counted(dose: str | None, before: str) -> str | None:
    """The dose with the count of tablets said before the drug: "two tylenol 500 milligrams" is "500 mg, 2 tablets"
    (a note that wrote 500 mg would halve what the clinician ordered; the numbers stay the ones said)."""
    if dose and (count := re.search(r"\b([2-4])\s+$", before)) and re.fullmatch(r"\d+(?:\.\d+)? (?:mg|mcg|g)", dose):
        return f"{dose}, {count[1]} tablets"
    return dose


def frequency_of(text: str) -> str | None:
    """The most specific frequency said: "every morning" over the "every day" of the question before it."""
    # "every 6 hours", and as clinicians dictate it: "q.6 h.", "q6h"
    every = re.search(r"\bevery (\d+)(?: to (\d+))? hours\b|\bq\.?\s?(\d+)(?:\s?(?:-|to)\s?(\d+))?\s?h\b", text, re.I)
    if every and every[3]:
        every = re.search(r"(\d+)(?:\D+(\d+))?", f"{every[3]} {every[4] or ''}".strip())
    terms = list(dict.fromkeys(([f"every {every[1]}{'-' + every[2] if every[2] else ''} hours"] if every else [])
                               + [h.term for h in find(text, "orders", ("frequencies",))]))
    if len(terms) > 1 and "daily" in terms:
        terms.remove("daily")
    if len(terms) > 1 and "as needed" in terms[1:]:
        return f"{terms[0]} as needed"  # "every 6 hours as needed"
    return terms[0] if terms else None  # the frequency said first, nearest the drug


_COURSE = re.compile(r"\bfor (?:about |around |roughly )?(?:(?:the )?next |another |a total of )?"
                     r"(?P<n>\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|(?:a )?couple(?: of)?|"
                     r"a few) (?P<unit>days?|weeks?|months?)\b", re.I)


_SUPPLY = re.compile(r"\b(?:a|an|about a|about an)\s+(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
                     r"[ -](?P<unit>days?|weeks?|months?)(?:'s?)? supply\b", re.I)  # "about a two week supply"


def course_of(text: str) -> str | None:
    """How long a drug is to be taken ("prednisone 40 mg a day for five days" → "for 5 days"): without it a
    short course reads as open-ended."""
    if not (match := _COURSE.search(digits(text)) or _SUPPLY.search(digits(text))):
        return None
    n = re.sub(r"^(?:a )?couple(?: of)?$", "a couple of", match["n"].lower())  # "the next couple days"
    unit = match["unit"].lower().rstrip("s")
    return f"for {n} {unit}" + ("" if n in ("1", "a", "one") else "s")


def route_of(text: str) -> str | None:
    hits = find(text, "orders", ("routes",))
    return hits[0].term if hits else None


def _adherence(text: str) -> str | None:
    if _NOT_TAKING.search(text):
        return "not taking"
    if _MISSED.search(text):
        when = re.search(r"\bon (the )?weekends?\b", text, re.I)
        return "sometimes misses doses" + (" on weekends" if when else "")
    return None


def _said_next(text: str, sentence: str) -> re.Match[str] | None:
    """The dose the clinician says right after ``sentence`` in the same turn, before any other drug is named."""
    rest = text[text.find(sentence) + len(sentence):][:80]
    rest = rest[:min([m.start() for m in find_named(rest, "medications")], default=len(rest))]
    return _ON_DOSE.match(re.sub(r"[.?!]", " ", rest))


def find_medications(segments: list[Segment]) -> list[Medication]:
    """Current medications named in the history, with the dose and frequency said beside them."""
    meds: dict[str, Medication] = {}
    for n, seg in enumerate(segments):
        text = spoken_clean(seg.text)
        answer = segments[n + 1] if n + 1 < len(segments) and segments[n + 1].role != seg.role else None
        for sentence in sentences(text):
            for match in find_named(sentence, "medications"):
                name = match[0].lower()
                context = sentence
                ids = [seg.id]
                if seg.role == Role.clinician and _PLAN_VERB.search(sentence):
                    # a drug the clinician starts or changes is a plan item; "from 10 mg to 20 mg" tells today's dose
                    if was := re.search(r"\bfrom\s+(\d+(?:\.\d+)?\s*(?:mg|milligrams?|mcg|micrograms?))\s+to\b",
                                        sentence[match.end():], re.I):
                        meds.setdefault(generic_of(name), Medication(name=name, dose=units(was[1]), evidence=[seg.id],
                                                         speaker="clinician"))
                    continue
                if re.match(r"\s+(?:levels?\s+)?(?:is|was|are|were|at|of)\s+(?:about\s+)?\d", sentence[match.end():]):
                    continue  # "your potassium is 3.9": a lab value, not a drug taken
                if seg.role != Role.clinician and sentence.endswith("?"):
                    continue  # "will amlodipine make my swelling worse?" asks; it does not say what is taken
                if seg.role != Role.clinician and _PRESCRIBING.search(sentence):
                    continue  # "we will get you started on the singulair": a clinician's words under the patient's tag
                if seg.role == Role.clinician and sentence.endswith("?"):
                    guess = _GUESS.match(sentence)
                    if answer is None or not (_TAKING_Q.search(sentence) or guess and guess["drug"].lower() == name):
                        continue  # asked about, not established
                    reply = spoken_clean(answer.text)
                    if not (_YES.match(reply) or DOSE.search(reply)):
                        continue
                    context, ids = f"{sentence} {reply}", [seg.id, answer.id]
                if _NOT_CURRENT.search(sentence) or (seg.role == Role.clinician and context is sentence and not (
                        _ON_IT.search(sentence) or _YOURS.search(sentence[:match.start()]))):
                    # "we want to avoid going to insulin"; the clinician names a drug without saying it is taken
                    continue
                med = meds.setdefault(generic_of(name), Medication(name=name, evidence=ids, speaker=seg.role.value))
                med.evidence = list(dict.fromkeys(med.evidence + ids))
                before = re.search(r"(\d+(?:\.\d+)?\s*(?:mg|milligrams?|mcg|micrograms?))\s+of\s+(?:the\s+|your\s+)?$",
                                   sentence[:match.start()], re.I)  # "twenty milligrams of lisinopril"
                # the dose said right after this drug, before any other drug is named (never the next drug's dose)
                others = [m.start() for m in find_named(context, "medications") if m.start() > match.start()]
                own = context[match.start():min(others, default=len(context))]
                own = own[:80] if context is sentence else own  # a question's answer ("yes, 10 milligrams") is the
                # last drug's it names
                med.dose = med.dose or counted(dose_of(own), sentence[:match.start()]) or (
                    units(before[1]) if before else None)
                med.frequency = med.frequency or frequency_of(own)
                if not med.dose and seg.role == Role.clinician and (then := _said_next(text, sentence)):
                    med.dose = med.dose or units(f"{then['n']} {then['unit']}")
                    med.frequency = med.frequency or frequency_of(then.string[then.end():][:30])
                med.route = med.route or route_of(context)
                med.adherence = med.adherence or _adherence(context)
                if med.adherence == "not taking":
                    med.assertion = Assertion.historical
    return [m for name, m in meds.items() if not class_beside_member(name, set(meds))]  # "those nsaids", ibuprofen
