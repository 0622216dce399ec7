"""Past medical, surgical, family and social history, and allergies.

The clinician's dictated summary ("a past medical history significant for
congestive heart failure and hypertension") is the richest source; the patient's
own words add surgeries, relatives' illnesses and habits. A relative's illness is
recorded as family history, never as the patient's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ambientnote.facts.assertion import assert_term
from ambientnote.facts.lexicon import body_parts, find, find_named, lexicon
from ambientnote.facts.plan import problem_name
from ambientnote.facts.schema import Assertion, HistoryItem
from ambientnote.facts.text import joined, plain, spoken_clean, statements
from ambientnote.language.english import is_ordinary
from ambientnote.language.negation import _BARE_NO
from ambientnote.language.phases import sentences
from ambientnote.transcript import Role, Segment

_PMH = re.compile(r"\b(?:past medical history|medical history|history|(?:recent|new) diagnosis)\s+(?:significant\s+)?"
                  r"(?:for|of|includes)\s+"
                  r"(?P<items>[^.?!]+?)(?=,?\s+(?:who|that|which|and (?:is|he|she|who)|presents?|here|coming|comes)\b|"
                  r"[.?!]|$)",
                  re.I)
# "okay any history of endometriosis", unpunctuated: a question, not the history
_ASKED_ABOUT = re.compile(r"\b(?:any|no|do you have|have you had)\s+"
                          r"(?:(?:past|prior|previous|other|family|medical)\s+)*$", re.I)
_ASKS_HISTORY = re.compile(r"\b(medical (?:history|conditions?|problems?)|health (?:history|conditions?|problems?)|"
                           r"other (?:medical )?(?:conditions?|problems?|issues)|any (?:chronic|past) |surger(?:y|ies)|"
                           r"been diagnosed|history of)\b", re.I)
_RELATIVE = re.compile(r"\bmy (?P<who>mother|mom|father|dad|sister|brother|grandmother|grandma|grandfather|grandpa|"
                       r"aunt|uncle|son|daughter|parents)\b", re.I)
_SURGERY = re.compile(r"\b(?:i had|i've had|i have had|had)\s+(?:a |an |my |the )?(?P<what>[a-z ]{0,30}?"
                      r"(?:surgery|replacement|repair|removed|removal|-ectomy|ectomy|transplant|bypass|stent))\b", re.I)
_ASKS_SURGERY = re.compile(r"\b(?:surger(?:y|ies)|operations?)\b", re.I)
# the patient's answer to "any surgeries?" names the operation in their own words ("i have had a nose job")
_HAD = re.compile(r"^(?:(?:yes|yeah|um|uh|well)\W+)*(?:i had|i've had|i have had)\s+(?:a |an |my )"
                  r"(?P<what>(?!(?:lot|few|couple|bit|little)\b)[a-z]+(?: [a-z]+){0,2}?)\s*"
                  r"(?:\.|,|$| (?:when|in|about|back|\d))",
                  re.I)
_SMOKING = re.compile(r"\b(i (?:don't|do not|never) smoke|i smoke|i quit smoking|i used to smoke|i'm a smoker|"
                      r"i stopped smoking|non-?smoker)\b", re.I)
_ALCOHOL = re.compile(r"\bi (?:drink|don't drink|do not drink|have a (?:glass|drink|beer))[^.?!]{0,90}\b", re.I)
_STUB = re.compile(r"(?:\s+(?:on|the|a|an|and|or|of|to|in|at|with|but|so|like|um|uh))+$", re.I)  # cut mid-phrase
# habits and a family history asked as questions: "do you smoke?" — "no, never."; "any alcohol?" — "a glass of wine
# on weekends"; "any family history of arthritis?" — "no"
_ASKS_SMOKING = re.compile(r"\b(?:smoke|smoking|smoker|tobacco|cigarettes?|vape|vaping)\b", re.I)
_ASKS_ALCOHOL = re.compile(r"\b(?:alcohol|beer|wine|liquor|drinker|how much do you drink|"
                           r"do you drink(?! (?:water|fluids|enough|okay)))\b", re.I)  # not "eating and drinking okay?"
_ASKS_DRUGS = re.compile(r"\b(?:recreational drugs?|drug use|street drugs|marijuana|illicit)\b", re.I)
_FAMILY_ASKED = re.compile(r"\b(?:runs?|running) in (?:your|the) family\b|\bfamily (?:history|members?)\b|"
                           r"\b(?:anyone|anybody) in (?:your|the) family\b", re.I)
_ASKS_FAMILY = re.compile(r"\b(?:family history of|(?:anyone|anybody) in (?:your|the) family "
                          r"(?:that you know (?:of )?)?(?:with|have|has|who has))\s+(?P<what>[^?.]{3,80})", re.I)
_DRINKS = re.compile(r"^(?:(?:yes|yeah|um|uh|oh|well|i'd say|i would say|maybe|probably)\W+)*(?P<how>(?:an? |a couple |"
                     r"one |two |\d+ |a few )?(?:glass|glasses|beers?|drinks?|cocktails?)\b[^.?!]{0,40}|"
                     r"socially|occasionally|rarely)", re.I)
_ALLERGY = re.compile(r"\ballergic to (?P<what>[a-z -]{3,30}?)(?=[,.?!]|\band\b|$)", re.I)
_NO_ALLERGY = re.compile(r"\b(no (?:known )?(?:drug )?allergies|not allergic to anything)\b", re.I)
_RELATIVE_NOTE = {"mom": "mother", "dad": "father", "grandma": "grandmother", "grandpa": "grandfather"}


@lru_cache(maxsize=1)
def _operations() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Removal and replacement as patients say them, over the organs and joints of ``procedures.toml``."""
    table = lexicon("procedures")
    organs = "|".join(re.escape(o) for o in sorted(table["removed"], key=len, reverse=True))
    joints = "|".join(re.escape(j) for j in table["replaced"])
    removed = re.compile(rf"\b(?:took|taken|take|had|got|gotten|have|removed)\b(?:\s+[a-z']+){{0,3}}?\s+"
                         rf"(?P<organ>{organs})\s+(?:out|removed|taken out)\b|\b(?P<organ2>{organs})\s+"
                         rf"(?:was |were )?(?:removed|taken out)\b", re.I)
    replaced = re.compile(rf"\b(?:(?P<side>left|right|both) )?(?P<joint>{joints})\s+(?:was\s+)?"
                          rf"(?:replaced|replacement)\b", re.I)
    return removed, replaced


def operation(text: str) -> str | None:
    """The operation a patient's words name, as a surgical history writes it: "they took my gall bladder out"
    → cholecystectomy, "my left knee replaced" → left knee replacement, "a nose job" → rhinoplasty."""
    removed, replaced = _operations()
    table = lexicon("procedures")
    for match in (removed.search(text), replaced.search(text)):
        if match and assert_term(text, match[0]) in (Assertion.present, Assertion.historical):
            groups = match.groupdict()
            if groups.get("joint"):
                name = table["replaced"][groups["joint"].lower()]
                return f"{groups['side'].lower()} {name}" if groups["side"] else name
            return str(table["removed"][(groups["organ"] or groups["organ2"]).lower()])
    lay = find(text, "procedures", ("lay",))
    return lay[0].term if lay else None


def _operation_said(said: str) -> str:
    """What a surgical or family history writes for an operation the patient named: its clinical name if known."""
    return operation(said) or plain(said)


def _surgery_said(sentence: str, surgery: re.Match[str]) -> str | None:
    """The operation of "i had surgery about 10 years ago on my lower back" as a surgical history writes it
    ("lower back surgery about 10 years ago"); none for "i've never had any surgery"."""
    what = plain(surgery["what"])
    if re.match(r"(?:any|no)\b", what, re.I) or assert_term(sentence, surgery[0]) not in (
            Assertion.present, Assertion.historical):
        return None
    rest = sentence[surgery.end():]
    if what.lower() == "surgery" and (site := re.search(r"\b(?:on|to|of) (?:my|the) (?P<part>(?:[a-z]+ ){0,2}?"
                                                         rf"(?:{body_parts()})s?)\b", rest, re.I)):
        what = f"{site['part'].lower()} surgery"
    if what.lower() == "surgery":
        return None  # "i've had surgery for that too": no operation a surgical history could name
    if when := re.search(r"\b(?:about |around |like )?(?:\d+|a few|a couple of|several) (?:years?|months?) ago\b",
                         rest, re.I):
        what += f" {re.sub(r'^like ', 'about ', when[0].lower())}"
    return what


def _pmh_items(text: str) -> list[str]:
    """"diabetes, hypertension and gout"; unpunctuated "diabetes high blood pressure" is split by its terms."""
    out = []
    for item in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+", text):
        item = plain(item).strip(" ,.")
        terms = [m[0].lower() for m in find_named(item, "problems")]
        out += terms if len(terms) > 1 else [item] if item else []
    return out


def _dictated_problem(item: str) -> str | None:
    """An item of a dictated history ("a past medical history of uterine fibroids") that no lexicon knows, kept
    when it names something: a medical word in it, no everyday phrase ("how", "playing sports looks")."""
    words = re.findall(r"[a-z']+", item.lower())
    if not words or any(w in ("any", "no", "none", "not", "you're", "your") for w in words) or all(
            is_ordinary(w) for w in words):
        return None
    return problem_name(item, announced=True)


def find_history(segments: list[Segment]) -> list[HistoryItem]:
    out: list[HistoryItem] = []
    seen: set[tuple[str, str]] = set()

    def add(item: HistoryItem) -> None:
        key = (item.kind, item.text.lower().removeprefix("type 2 ").removeprefix("type two "))
        if key not in seen:
            seen.add(key)
            out.append(item)

    for n, seg in enumerate(segments):
        text = spoken_clean(seg.text)
        speaker = seg.role.value
        asked = segments[n - 1] if n and segments[n - 1].role == Role.clinician else None
        if (seg.role != Role.clinician and asked is not None and _ASKS_HISTORY.search(asked.text)
                and not _FAMILY_ASKED.search(asked.text)):  # "any family history of gi issues?": the family's
            for match in find_named(text, "problems"):  # "any other medical conditions?" — "i have afib"
                if assert_term(text, match[0]) in (Assertion.present, Assertion.historical):
                    add(HistoryItem(kind="medical", text=match[0].lower(), evidence=[asked.id, seg.id],
                                    speaker=speaker, assertion=Assertion.historical))
            if _ASKS_SURGERY.search(asked.text) and (had := _HAD.search(text)) and not _SURGERY.search(text):
                add(HistoryItem(kind="surgical", text=_operation_said(had["what"]),
                                evidence=[asked.id, seg.id],
                                speaker=speaker, assertion=Assertion.historical))  # "any surgeries?" — "a nose job"
        if seg.role != Role.clinician and asked is not None:
            for answered in _answered_history(asked, seg, text):
                add(answered)
        for sentence in sentences(text):
            if sentence.endswith("?"):
                continue
            if seg.role == Role.clinician and (pmh := _PMH.search(sentence)) and not _ASKED_ABOUT.search(
                    sentence[:pmh.start()]):
                for item in _pmh_items(pmh["items"]):
                    if name := problem_name(item) or _dictated_problem(item):
                        add(HistoryItem(kind="medical", text=name, evidence=[seg.id], speaker=speaker,
                                        assertion=Assertion.historical))
            if seg.role == Role.clinician:
                continue
            if relative := _RELATIVE.search(sentence):
                problems = [m[0].lower() for m in find_named(sentence[relative.end():], "problems")]
                surgery = _SURGERY.search(sentence[relative.end():])
                conditions = problems + ([_operation_said(surgery["what"])] if surgery else [])
                if conditions:
                    who = _RELATIVE_NOTE.get(relative["who"].lower(), relative["who"].lower())
                    add(HistoryItem(kind="family", text=joined(conditions), relative=who, evidence=[seg.id],
                                    speaker=speaker, assertion=Assertion.family))
                continue
            if not (named := operation(sentence)) and (surgery := _SURGERY.search(sentence)):
                named = _surgery_said(sentence, surgery)
            if named:
                add(HistoryItem(kind="surgical", text=named, evidence=[seg.id], speaker=speaker,
                                assertion=Assertion.historical))
            if smoking := _SMOKING.search(sentence):
                said = smoking[0].lower()
                habit = ("nonsmoker" if re.search(r"don't|do not|never|non", said) else
                         "former smoker" if re.search(r"quit|used to|stopped", said) else "current smoker")
                add(HistoryItem(kind="social", text=habit, evidence=[seg.id], speaker=speaker))
            if alcohol := _ALCOHOL.search(sentence):
                drinks = _STUB.sub("", plain(alcohol[0]))
                drinks = re.sub(r"^i (don't|do not) drink.*", "does not drink alcohol", drinks, flags=re.I)
                drinks = re.sub(r"^i (drink|have)", r"drinks" if "drink" in drinks.split()[1] else "has", drinks,
                                flags=re.I)
                add(HistoryItem(kind="social", text=drinks, evidence=[seg.id], speaker=speaker))
            if allergy := _ALLERGY.search(sentence):
                add(HistoryItem(kind="allergy", text=plain(allergy["what"]), evidence=[seg.id], speaker=speaker))
            elif _NO_ALLERGY.search(sentence):
                add(HistoryItem(kind="allergy", text="no known drug allergies", evidence=[seg.id], speaker=speaker,
                                assertion=Assertion.denied))
    return out


def asks_family(question: str) -> bool:
    """Whether the turn ends asking about the family ("what conditions would you say run in your family?"): the
    answer is then the family's history, not the patient's account."""
    return bool(_FAMILY_ASKED.search((statements(question) or [""])[-1]))


def _answered_history(asked: Segment, answer: Segment, text: str) -> list[HistoryItem]:
    """A habit or a family history the patient gives in reply to the clinician's question."""
    ids, speaker = [asked.id, answer.id], answer.role.value
    said_no = bool(_BARE_NO.match(text))
    question = asked.text.lower()
    if re.search(r"\b(?:other|else)\b", question) or not (question.rstrip().endswith("?") or re.search(
            r"\b(?:do you|any|how much|how often|have you)\b", question)):
        return []  # "any other type of tobacco products?" — "no, smoking is enough": a smoker's no
    out: list[HistoryItem] = []
    heavy = re.search(r"\bheavy\b", question)  # "no previous history of heavy alcohol use?" — "nope"
    habits = [(_ASKS_SMOKING, "nonsmoker"),
              (_ASKS_ALCOHOL, "no history of heavy alcohol use" if heavy else "does not drink alcohol"),
              (_ASKS_DRUGS, "no recreational drug use")]  # "do you drink, smoke, or use drugs?" — "nope"
    out += [HistoryItem(kind="social", text=habit, evidence=ids, speaker=speaker)
            for asks, habit in habits if said_no and asks.search(question)]
    if (_ASKS_ALCOHOL.search(question) and not _ASKS_SMOKING.search(question) and not said_no
            and (drinks := _DRINKS.match(text)) and len(text.split()) <= 14):
        out.append(HistoryItem(kind="social", text=f"drinks {plain(drinks['how']).rstrip(' .,')}", evidence=ids,
                               speaker=speaker))
    named = [m[0].lower() for m in find_named(text, "problems")]
    if named and not said_no and asks_family(asked.text):
        # "what conditions run in your family?" — "i have high blood pressure, diabetes and depression": the family's
        out.append(HistoryItem(kind="family", text=joined(named), evidence=ids, speaker=speaker,
                               assertion=Assertion.family))
    if (family := _ASKS_FAMILY.search(asked.text)) and said_no:
        what = re.split(r"\s+(?:or any(?:thing)?|that you know|in (?:your|the) family|at all)\b", plain(family["what"]),
                        maxsplit=1, flags=re.I)[0].strip(" ,")
        if find_named(what, "problems") and len(what.split()) <= 8:
            out.append(HistoryItem(kind="family", text=what.lower(), evidence=ids, speaker=speaker,
                                   assertion=Assertion.denied))
    return out
