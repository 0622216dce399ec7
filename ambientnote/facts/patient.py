"""Who the patient is: name and honorific as said, age, sex, and why the note may say he or she.

A note that guesses the patient's sex reads "he" in one line and "she" in the
next. Sex is taken only from an explicit statement ("a 58-year-old male"), an
honorific ("Mr. Hayes"), or the clinician consistently calling the patient he
or she; otherwise the note says "the patient" throughout.
"""

from __future__ import annotations

import re
from typing import Literal

from ambientnote.facts.schema import Patient
from ambientnote.facts.text import spoken_clean
from ambientnote.transcript import Role, Segment

_STATED = re.compile(
    r"\b(?P<age>\d{1,3})[- ]*(?P<unit>year|yr|month|week)s?[- ]*old\s+"
    r"(?:(?:white|black|african american|hispanic|asian|caucasian)\s+)?"
    r"(?P<sex>male|female|man|woman|gentleman|lady|boy|girl)\b", re.I)
_AGE = re.compile(r"\b(?P<age>\d{1,3})[- ]*(?P<unit>year|yr|month|week)s?[- ]*old\b", re.I)
_UNITS: dict[str, Literal["year", "month", "week"]] = {
    "year": "year", "yr": "year", "month": "month", "week": "week"}  # a toddler is a "22-month-old female"
_HONORIFIC = re.compile(r"\b(?P<title>mr|mister|mrs|missus|ms|miss)\b\.?\s+(?P<name>[a-z][a-z'-]{1,})", re.I)
_INTRO = re.compile(r"\b(?P<name>[a-z][a-z'-]+)(?:\s+(?P<last>[a-z][a-z'-]+))?\s+is\s+an?\s+\d{1,3}[- ]*"
                    r"(?:year|month|week)[- ]*old",
                    re.I)
# "dictating on donald clark. date of birth …", "next is betty hill": the name the clinician dictates
_DICTATED = re.compile(r"^\W*(?:(?:okay|alright|all right|so)\W+)?(?:i'm |i am )?"
                       r"(?:dictating on|next is|next patient is|patient name is|this is patient)\s+"
                       r"(?P<name>[a-z][a-z'-]+)\s+(?P<last>[a-z][a-z'-]+)\s*[.,]",
                       re.I)
# "hi wayne how're you today", "so sophia i see that you hurt your knee": unpunctuated speech ends the name where
# the greeting goes on (40 of 87 train and valid visits were "the patient" with the name said in the first turn)
_GOES_ON = (r"(?:how(?:'re|'s)?|what|good|nice|it's|it is|great|thanks|thank|welcome|come|have|"
            r"i(?:'m| see| understand| know| i| heard| was| hear)|so|it looks|looks|you|your|long)\b")
_GREETING = re.compile(r"^\W*(?:(?:well|okay|alright|all right)\s+)?(?:hi|hello|hey|good (?:morning|afternoon|evening))"
                       rf"\s*,?\s+(?P<name>[a-z][a-z'-]+)(?:\s*[.,!?]|\s+(?={_GOES_ON}))|"
                       rf"^\W*(?:so|alright|all right|okay)\s*,?\s+(?P<called>[a-z][a-z'-]+)\s*,?\s+"
                       r"(?=i (?:see|understand|know|i know|heard)|it looks like|so (?:i|you|it|let's)|good to see)",
                       re.I)
_NOT_NAMES = frozenset(
    "there doctor dr nurse everyone how good so okay ok yes yeah um uh well patient she he it this that the a "
    "who today again sir ma'am mam guys buddy friend dear folks you dragon dax siri alexa hey hi doc and but or "
    "then now just me my let's i i'm we mom dad everybody honey sweetie sweetheart man young".split())
_MALE_TITLES = {"mr", "mister"}
_SEX_WORDS: dict[str, Literal["male", "female"]] = {
    "male": "male", "man": "male", "gentleman": "male", "boy": "male",
    "female": "female", "woman": "female", "lady": "female", "girl": "female"}
_OTHERS = re.compile(r"\b(wife|husband|mother|mom|father|dad|son|daughter|sister|brother|nurse|partner|friend|"
                     r"grandmother|grandfather|aunt|uncle|girlfriend|boyfriend|baby|kid|child|"
                     # "i see that she referred you": the referring doctor's pronoun, not the patient's (D2N082)
                     r"pcp|primary care|doctor|physician|provider|dr|specialist|surgeon|cardiologist|therapist|"
                     r"referred|referral)\b", re.I)
_TITLE_TEXT = {"mr": "Mr.", "mister": "Mr.", "mrs": "Mrs.", "missus": "Mrs.", "ms": "Ms.", "miss": "Ms."}


def _pronoun_sex(segments: list[Segment]) -> tuple[str | None, list[str]]:
    """The clinician's pronouns for the patient: only when used 3+ times and 90 % one way.

    Sentences naming anyone else (a wife, the nurse) are skipped: their pronouns are not the patient's.
    """
    counts = {"male": 0, "female": 0}
    ids: dict[str, list[str]] = {"male": [], "female": []}
    for seg in segments:
        if seg.role != Role.clinician:
            continue
        for sentence in re.split(r"(?<=[.?!])\s+", seg.text.lower()):
            if _OTHERS.search(sentence):
                continue
            for sex, rx in (("male", r"\b(he|him|his|he's)\b"), ("female", r"\b(she|her|hers|she's)\b")):
                n = len(re.findall(rx, sentence))
                counts[sex] += n
                if n:
                    ids[sex].append(seg.id)
    total = counts["male"] + counts["female"]
    for sex in ("male", "female"):
        if (counts[sex] >= 3 and counts[sex] / total >= 0.9) or (counts[sex] >= 2 and counts[sex] == total):
            return sex, ids[sex][:3]
    return None, []


def find_patient(segments: list[Segment]) -> Patient:
    """The patient's name, age and sex from the whole visit (the clinician's words first)."""
    patient = Patient()
    ordered = sorted(segments, key=lambda s: s.role != Role.clinician)
    for seg in ordered:
        text = spoken_clean(seg.text)
        if patient.age is None and seg.role == Role.clinician and (stated := _STATED.search(text)):
            patient.age, patient.sex = int(stated["age"]), _SEX_WORDS[stated["sex"].lower()]
            patient.age_unit = _UNITS[stated["unit"].lower()]
            patient.sex_source = "stated"
            patient.evidence.append(seg.id)
        elif patient.age is None and seg.role == Role.clinician and (age := _AGE.search(text)):
            patient.age = int(age["age"])
            patient.age_unit = _UNITS[age["unit"].lower()]
            patient.evidence.append(seg.id)
        if patient.name is None and seg.role == Role.clinician:
            honorific = _HONORIFIC.search(text)
            if honorific and honorific["name"].lower() not in _NOT_NAMES:
                title = honorific["title"].lower()
                patient.honorific = _TITLE_TEXT[title]
                patient.name = f"{patient.honorific} {honorific['name'].capitalize()}"
                if patient.sex is None:
                    patient.sex = "male" if title in _MALE_TITLES else "female"
                    patient.sex_source = "honorific"
                patient.evidence.append(seg.id)
    if patient.name is None:
        for n, seg in enumerate(segments):
            if seg.role != Role.clinician:
                continue
            text = spoken_clean(seg.text)
            dictated = _DICTATED.search(text)
            if dictated and not {dictated["name"].lower(), dictated["last"].lower()} & _NOT_NAMES:
                patient.name = f"{dictated['name'].capitalize()} {dictated['last'].capitalize()}"
                patient.evidence.append(seg.id)
                break
            match = _INTRO.search(text) or (_GREETING.search(text) if n < 6 else None)  # a greeting opens a visit
            name = (match["name"] or match.groupdict().get("called")) if match else None
            if match and name and name.lower() in _NOT_NAMES and match.groupdict().get("last"):
                name = match["last"]  # "so gabriel is a 43-year-old": the word before the name is not the name
            if name and name.lower() not in _NOT_NAMES:
                patient.name = name.capitalize()
                patient.evidence.append(seg.id)
                break
    if patient.sex is None:
        sex, ids = _pronoun_sex(segments)
        if sex:
            patient.sex, patient.sex_source = sex, "pronouns"  # type: ignore[assignment]
            patient.evidence.extend(ids)
    patient.evidence = list(dict.fromkeys(patient.evidence))
    return patient
