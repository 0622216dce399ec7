"""The hallucination guard: each statement is checked against the turns it cites.

Numbers, laterality, negation, medication and problem names in a statement must be
supported by its evidence (the cited turns, plus the turn just before each,
since "no" only means something next to its question), and so must words of
clinical meaning ("diagnosed", "started", "referred", "history of"…): a home reading
of 150 over 95 is not a diagnosis. A statement caught in a loop ("over 95 over 95
over 150…") is flagged too. A statement that fails is flagged with the reason,
shown to the clinician, never silently kept or dropped.
"""

from __future__ import annotations

import re

from ambientnote.facts.diagnoses import named_clinically
from ambientnote.facts.lexicon import find_symptoms
from ambientnote.facts.numbers import TENS, UNITS, digits
from ambientnote.facts.text import punctuated, spoken_clean
from ambientnote.language.negation import _BARE_NO, _words, negated_words
from ambientnote.language.phases import sentences
from ambientnote.language.statement_style import repeated_phrases
from ambientnote.language.terms import find_terms
from ambientnote.notes.schema import Note, Statement
from ambientnote.transcript import Segment, Transcript

_NUMBER_WORDS = {**UNITS, **TENS, "hundred": 100}
_NUMBER = re.compile(r"(?<![A-Za-z])\d+(?:\.\d+)?")  # "SpO2", "kg/m2": a digit inside a unit is not a number
_SIDES = ("left", "right", "bilateral")
_NEGATION = re.compile(r"\b(no|nope|nah|not|denies|denied|negative|without|never|none|nor)\b|n't\b", re.IGNORECASE)

def as_digits(text: str) -> str:
    """Lower-cased text with numbers in digits ("one twenty two over seventy" → "122 over 70"): transcripts
    spell numbers out and notes write digits, so both sides of a comparison go through this."""
    return digits(text.lower())


def _plain_numbers(text: str) -> set[str]:
    """The numbers written in digits in ``text``, without leading zeros ("07" and "7" are one number)."""
    return {n.lstrip("0") or "0" for n in _NUMBER.findall(text)}


def _dates(text: str) -> set[str]:
    """Dates as wholes ("07/01/1954" is 7/1/1954): each of its numbers said elsewhere is no support for another
    date made of them ("07/7/1954")."""
    return {"/".join(p.lstrip("0") or "0" for p in d.split("/"))
            for d in re.findall(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text)}


def _numbers(text: str) -> set[str]:
    """Numbers as written or said; each number word counts on its own too ("one fifty" may be 1 and 50)."""
    found = _plain_numbers(as_digits(text))
    return found | {str(_NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}


# A number's unit as a note writes it and as speech says it, one name per measure: "13 pounds" is not "13 ounces"
_UNITS = {"mg": "mg|milligrams?", "mcg": "mcg|micrograms?", "g": "g|grams?", "kg": "kg|kilos?|kilograms?",
          "lb": "lbs?|pounds?", "oz": "oz|ounces?", "ml": "ml|milliliters?|cc", "unit": "units?", "%": "%|percent",
          "minute": "minutes?|mins?", "hour": "hours?|hrs?", "day": "days?", "week": "weeks?|wks?",
          "month": "months?", "year": "years?|yrs?", "mm": "mm|millimeters?", "cm": "cm|centimeters?",
          "inch": "inch(?:es)?", "foot": "feet|foot|ft", "mmhg": "mmhg", "bpm": "bpm|beats per minute"}
_UNIT_OF = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)[\s-]*(" + "|".join(f"(?P<{n if n[0].isalpha() else 'pct'}>{said})"
                                                                for n, said in _UNITS.items()) + r")(?![\w])")


def _measures(text: str) -> dict[str, set[str]]:
    """Each number followed by a unit, with the units it is said with ("13 ounces" → {"13": {"oz"}})."""
    found: dict[str, set[str]] = {}
    for match in _UNIT_OF.finditer(as_digits(text)):
        unit = next(name for name, said in match.groupdict().items() if said)
        found.setdefault(match[1].lstrip("0") or "0", set()).add("%" if unit == "pct" else unit)
    return found


def _unit_mismatches(statement: str, source: str) -> list[str]:
    """Numbers the statement gives a unit the conversation never said with them ("13 pounds" where "13 ounces"
    was said); a number said without a unit, or not said at all, is the number check's."""
    said = _measures(source)
    bare = _plain_numbers(_UNIT_OF.sub(" ", as_digits(source)))
    return [f"{n} {sorted(units)[0]}" for n, units in _measures(statement).items()
            if n in said and not units & said[n] and n not in bare]


def _sides(text: str) -> set[str]:
    lowered = text.lower()
    found = {side for side in _SIDES if re.search(rf"\b{side}\b", lowered)}
    if re.search(r"\bboth (sides|legs|arms|knees|feet|hands|ears|eyes)\b", lowered):
        found.add("bilateral")
    return found


def _adjacent(before: Segment, after: Segment) -> bool:
    """Whether ``before`` is the turn just before ``after`` (turn ids count up: "s36" follows "s35"); a bare "no" cited
    only as the context of the question after it answers nothing cited before it."""
    a, b = (re.fullmatch(r"s(\d+)", seg.id) for seg in (before, after))
    return not (a and b) or int(b[1]) == int(a[1]) + 1


def _negated_in(evidence: list[Segment]) -> set[str]:
    """What the conversation negates; a bare "no" answer negates the question before it (the other speaker's:
    a patient's "no chest pain" does not negate the dose the patient gave two turns before)."""
    found: set[str] = set()
    for n, seg in enumerate(evidence):
        found |= negated_words(spoken_clean(seg.text))  # "no lymph lymphadenopathy": the word begun again is one
        if n and _BARE_NO.match(seg.text) and evidence[n - 1].role != seg.role and _adjacent(evidence[n - 1], seg):
            # the question it answers: "there is pain to palpation of the knee … does that hurt at all?" — "no"
            # answers the hurting, not the finding said before the question
            asked = _words(sentences(punctuated(evidence[n - 1].text))[-1])
            if not (asked & _words(seg.text) and re.search(r"\b(?:but|except)\b", seg.text, re.I)):
                # "no vomiting but constipation and weight loss" answers item by item
                found |= asked
    return found


# Words of when and why a visit happens: "gait not assessed today" negates the assessing, not the visit, so
# "presents today for evaluation of left arm pain" is not contradicted by "… today" and "no radicular pain" (D2N026)
_CIRCUMSTANCE = frozenset({"today", "presents", "evaluation", "patient", "visit", "clinic"})


def _negation_mismatch(statement: str, evidence: list[Segment], source: str) -> str | None:
    said_negated = _negated_in(evidence)
    stated_negated = negated_words(statement)
    if stated_negated & _words(source) and not stated_negated & said_negated:
        return "negation not in the conversation"
    # "Advised to avoid skiing or doing any gymnastics." from "i would recommend not skiing or doing any …": what
    # is to be avoided is what was said not to do, no contradiction
    avoided = {w for m in re.finditer(r"\bavoid\W+((?:\w+\W+){0,2}\w+)", statement, re.I) for w in _words(m[1])}
    asserted = _words(statement) - stated_negated - avoided - _CIRCUMSTANCE
    if not stated_negated and len(asserted & said_negated) >= 2:
        return "the conversation negates this"
    return None


def facts(text: str) -> set[str]:
    """The checkable facts a sentence states: its numbers, sides, drug and problem names."""
    return ({f"number {n}" for n in _numbers(text) | _dates(text)} | {f"side {s}" for s in _sides(text)}
            | {f"medication {m}" for m in find_terms(text, "medications")}
            | {f"problem {p}" for p in find_terms(text, "problems")})


# Words of clinical meaning a statement may not add, each with the words of the cited turns that support it.
# Kept small and generous: a paraphrase the turns bear ("we'll put you on lisinopril" → "Started lisinopril.",
# "I had my gallbladder taken out" → "History of surgery.") passes; a claim nobody made is flagged. "denies" is not
# here: every negation, "denies" included, is the negation check's above.
_CLAIMS: dict[str, tuple[str, str]] = {
    "diagnosed": (r"diagnos\w*",
                  r"diagnos\w*|dx|told (me|you|him|her|them)|found (out )?(that )?(i|you|he|she) ha(ve|d|s)"),
    "started": (r"start|started|starting|initiated?",
                r"start\w*|begin\w*|began|begun|initiat\w*|put (you|him|her|me|them) on|tr(y|ied|ying)|prescri\w*|"
                r"add\w*|switch\w*|recommend\w*|get you|send in|take|order\w*|"
                r"giv(e|ing)|gave|(want|need|like|have) (you|him|her|them) to take|"
                r"since|ago|first|new|for (about |the (past|last) )?(a|an|\w+) (day|week|month|year)s?"),
    "stopped": (r"stop|stopped|stopping|discontinued?|quit",
                r"stop\w*|quit\w*|discontinu\w*|off|no longer|not taking|n't taking|ran out|gave up|hold|held"),
    "increased": (r"increase[ds]?|increasing",
                  r"increas\w*|up|higher|more|rais\w*|bump\w*|doubl\w*|extra|add\w*|worse\w*"),
    "decreased": (r"decrease[ds]?|decreasing|reduced?",
                  r"decreas\w*|down|lower\w*|less|reduc\w*|cut\w*|drop\w*|half|fewer|better|improv\w*"),
    "prescribed": (r"prescri\w*",
                   r"prescri\w*|put (you|him|her|me|them) on|start\w*|giv\w*|gave|sen[dt]|call\w* in|refill\w*|"
                   r"rx|pharmacy"),
    "referred": (r"refer|referred|referral|referring",
                 r"refer\w*|sen[dt] (you|him|her|them|me) to|see (a|an|the) \w+|specialist|consult\w*|"
                 r"appointment with|set (you|him|her|them) up|therap\w*"),
    "ordered": (r"(?<!in )order|(?<!in )ordered|ordering",
                r"order\w*|send\w*|get (a|an|some|the)|check\w*|schedul\w*|draw\w*|run\w*|test\w*|x-?rays?|mri|labs?|"
                r"blood work|scan|ultrasound|echo\w*|(do|done) (a|an|some)"),
    "history of": (r"history of",
                   r"history|had|ago|in the past|used to|before|previous\w*|prior|past|diagnos\w*|since|"
                   r"long time|chronic|for years"),
    "surgery": (r"surgery|surgeries|surgical|operation",
                r"surg\w*|operat\w*|procedure|\w+ectomy|\w+plasty|\w+otomy|repair\w*|replace\w*|remov\w*|"
                r"took (\w+ )?out|taken out|scope|fix\w*"),
}
_CLAIM_RX = {claim: (re.compile(rf"\b(?:{said})\b", re.I), re.compile(rf"\b(?:{support})\b", re.I))
             for claim, (said, support) in _CLAIMS.items()}


def unsupported_claims(statement: str, source: str) -> list[str]:
    """Clinical claims the statement makes that no word of ``source`` supports."""
    return [claim for claim, (said, support) in _CLAIM_RX.items()
            if said.search(statement) and not support.search(source)]


def _said(source: str) -> set[str]:
    """The facts of the cited turns, also as a note writes them: "type two diabetes", "headaches" → "headache"."""
    spelled = as_digits(source)
    named = " ; ".join(h.term for h in find_symptoms(spelled))  # "tired" is fatigue, "my knee is painful" knee pain
    return (facts(source) | facts(spelled) | facts(re.sub(r"\b([a-z]{4,})s\b", r"\1", spelled))
            | facts(named) | {f"problem {p}" for p in named_clinically(spelled)})


def check_statement(statement: Statement, evidence: list[Segment]) -> list[str]:
    """Reasons the statement is not supported by ``evidence`` (empty when it is)."""
    source = " ".join(s.text for s in evidence)
    flags = []
    missing = facts(statement.text) - _said(source)
    for kind, shown in (("number", "{}"), ("side", "'{}'"), ("medication", "{}"), ("problem", "{}")):
        values = sorted(fact.split(" ", 1)[1] for fact in missing if fact.startswith(f"{kind} "))
        if values:
            flags.append(f"{kind} {shown.format(', '.join(values))} not in the conversation")
    if mismatched := _unit_mismatches(statement.text, source):
        flags.append(f"unit of {', '.join(mismatched)} not in the conversation")
    if _NEGATION.search(statement.text) and not _NEGATION.search(source):
        flags.append("negation not in the conversation")
    elif reason := _negation_mismatch(statement.text, evidence, source):
        flags.append(reason)
    flags += [f"'{claim}' not in the conversation" for claim in unsupported_claims(statement.text, source)]
    if loops := repeated_phrases(statement.text):
        flags.append(f"repeated phrase '{loops[0]}'")
    return flags


def context_segments(transcript: Transcript, ids: list[str]) -> list[Segment]:
    """The cited segments plus the one before each (the question a short answer replies to)."""
    index = {s.id: n for n, s in enumerate(transcript.segments)}
    keep = sorted({i for sid in ids if sid in index for i in (index[sid] - 1, index[sid]) if i >= 0})
    return [transcript.segments[i] for i in keep]


def guard_note(note: Note, transcript: Transcript) -> int:
    """Flag every unsupported statement of the note and the patient instructions in place; returns how many."""
    flagged = 0
    for statement in [st for _, _, st in note.statements()] + note.instructions:
        statement.flags = check_statement(statement, context_segments(transcript, statement.evidence))
        flagged += bool(statement.flags)
    return flagged
