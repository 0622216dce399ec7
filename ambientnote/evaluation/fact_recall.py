"""Fact recall and precision of a drafted note against the note a clinician wrote for the same visit.

ROUGE rewards a draft that quotes the conversation; a clinician checks whether the facts are
there: the vitals (and in the Objective, where they belong), each medication with its dose, the
problems in the assessment and plan, and the plan items that change care (tests and imaging
ordered, referrals, the follow-up interval). Facts are compared as normalised keys
("blood pressure 152/96", "lisinopril 20 mg", "follow-up 4 weeks"), spoken numbers read as
digits ("one fifty two over ninety six" is 152/96), so a draft is not penalised for writing
what the reference writes in other words. Each kind is counted per visit so ``ambientnote eval``
sums the counts over visits before dividing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from pydantic import BaseModel

from ambientnote.language.phases import sentences
from ambientnote.language.terms import find_terms
from ambientnote.notes.guard import as_digits
from ambientnote.notes.schema import Note
from ambientnote.notes.style import text_sections

FACT_KINDS = ("vitals", "medication_doses", "problems", "orders", "referrals", "follow_up")


class FactCounts(BaseModel):
    """How many facts of one kind the reference and the draft state, and how many they share."""

    matched: int = 0
    in_reference: int = 0
    in_draft: int = 0
    in_objective: int = 0  # vitals only: the shared ones the draft states in its Objective

    def __add__(self, other: FactCounts) -> FactCounts:
        return FactCounts(**{name: getattr(self, name) + getattr(other, name) for name in FactCounts.model_fields})

    @property
    def recall(self) -> float | None:
        return self.matched / self.in_reference if self.in_reference else None

    @property
    def precision(self) -> float | None:
        return self.matched / self.in_draft if self.in_draft else None


def _sentences(text: str) -> list[str]:
    return [s for line in as_digits(text).splitlines() for s in sentences(line) if s.strip()]


def _number(value: str) -> str:
    return f"{float(value):g}"


# --- vitals -------------------------------------------------------------------------------------
_GAP = r"[^\d\n;]{0,25}?"
# name(s) as written, the value, and the range a real reading falls in ("sat for 30 minutes" is no saturation)
_VITALS: dict[str, tuple[str, str, tuple[float, float]]] = {
    "heart rate": (r"heart rate|pulse(?! ox)(?: rate)?|hr", r"\d{2,3}", (25, 250)),
    "respiratory rate": (r"respiratory rate|respirations|resp rate|rr", r"\d{1,2}", (6, 60)),
    "temperature": (r"(?:body )?temperature|temp", r"\d{2,3}(?:\.\d)?", (34, 110)),
    "oxygen saturation": (r"oxygen saturation|o2 sat\w*|spo2|sat(?:uration)?s?|pulse ox\w*|oxygen", r"\d{2,3}",
                          (50, 100)),
    "weight": (r"weight|weighs|weighed", r"\d{2,3}(?:\.\d)?", (20, 700)),
    "bmi": (r"bmi|body mass index", r"\d{2}(?:\.\d)?", (10, 80)),
}
_NAMED = {name: re.compile(rf"\b(?:{names})\b(?P<gap>{_GAP})(?P<value>{value})\b")
          for name, (names, value, _) in _VITALS.items()}
# a value written before its unit: "88 beats per minute", "98% on room air", "20 breaths per minute"
_VALUE_FIRST = {"heart rate": re.compile(r"\b(?P<value>\d{2,3})\s*(?:beats per minute|bpm)\b"),
                "oxygen saturation": re.compile(r"\b(?P<value>\d{2,3})\s*% on room air\b"),
                "respiratory rate": re.compile(r"\b(?P<value>\d{1,2})\s*breaths\b")}
_ANOTHER_VITAL = re.compile(r"blood pressure|heart|pulse|respirat|temperature|oxygen|saturation|weigh|bmi")
_BLOOD_PRESSURE = re.compile(r"\b(\d{2,3})\s*(?:/|over)\s*(\d{2,3})\b")
_HOME = re.compile(r"\bat home\b|\bhome (?:reading|monitor|blood pressure|cuff)")  # history, not today's vitals


def _blood_pressures(sentence: str) -> set[str]:
    """Readings such as "152/96" or "152 over 96"; "3/6 murmur" and "10/10 pain" are not blood pressures."""
    return {f"blood pressure {a}/{b}" for a, b in _BLOOD_PRESSURE.findall(sentence)
            if 60 <= int(a) <= 260 and 30 <= int(b) <= 160 and int(a) > int(b)}


def _named_vitals(sentence: str) -> set[str]:
    """"Heart rate 88", "temperature of 98.6"; a value two names away ("pulse normal, temperature 98") is not."""
    found = set()
    for name, pattern in _NAMED.items():
        found |= {(name, m["value"]) for m in pattern.finditer(sentence) if not _ANOTHER_VITAL.search(m["gap"])}
    for name, pattern in _VALUE_FIRST.items():
        found |= {(name, m["value"]) for m in pattern.finditer(sentence)}
    return {f"{name} {_number(value)}" for name, value in found
            if _VITALS[name][2][0] <= float(value) <= _VITALS[name][2][1]}


def vitals(text: str) -> set[str]:
    """Today's vitals a text states, as "blood pressure 152/96", "heart rate 88"; home readings are left out."""
    return {v for s in _sentences(text) if not _HOME.search(s) for v in _blood_pressures(s) | _named_vitals(s)}


# --- medications with their doses ---------------------------------------------------------------
_DOSE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(mg|milligrams?|mcg|micrograms?|g|grams?|units?|ml|milliliters?|meq|iu)\b")
_UNIT = {"milligram": "mg", "milligrams": "mg", "microgram": "mcg", "micrograms": "mcg", "gram": "g", "grams": "g",
         "unit": "units", "milliliter": "ml", "milliliters": "ml"}


_DOSE_AFTER_DRUG = 40   # "metformin that she has been taking 500 mg"
_DOSE_BEFORE_DRUG = 10  # "20 mg of lisinopril"


def _drug_spans(sentence: str) -> list[tuple[int, int, str]]:
    return sorted((m.start(), m.end(), term) for term in find_terms(sentence, "medications")
                  for m in re.finditer(rf"\b{re.escape(term)}\b", sentence))


def _dose_owner(dose: re.Match[str], drugs: list[tuple[int, int, str]]) -> str | None:
    """The drug a dose belongs to: the one just before it, or else the one just after ("Cozaar 100 mg" with
    Cozaar not in the list belongs to no drug, not to the Norvasc named later)."""
    before = [(end, term) for start, end, term in drugs if end <= dose.start()]
    if before and dose.start() - before[-1][0] <= _DOSE_AFTER_DRUG:  # "lisinopril from 10 mg to 20 mg": both
        return before[-1][1]
    after = [(start, term) for start, end, term in drugs if start >= dose.end()]
    return after[0][1] if after and after[0][0] - dose.end() <= _DOSE_BEFORE_DRUG else None


def medication_doses(text: str) -> set[str]:
    """Drugs named with their dose ("lisinopril 20 mg"), as the same sentence pairs them."""
    found = set()
    for sentence in _sentences(text):
        drugs = _drug_spans(sentence)
        for dose in _DOSE.finditer(sentence) if drugs else ():
            if drug := _dose_owner(dose, drugs):
                found.add(f"{drug} {_number(dose[1])} {_UNIT.get(dose[2], dose[2])}")
    return found


# --- problems -----------------------------------------------------------------------------------
_SAME_PROBLEM = {"high blood pressure": "hypertension", "high cholesterol": "hyperlipidemia",
                 "congestive heart failure": "heart failure", "type 2 diabetes": "diabetes",
                 "chronic obstructive pulmonary disease": "copd", "gerd": "reflux", "gastroesophageal reflux": "reflux",
                 "low back pain": "back pain", "diabetic neuropathy": "neuropathy",
                 "peripheral neuropathy": "neuropathy"}


_NEGATED_BEFORE = re.compile(r"\b(?:no|not|denies|denied|negative for|without|never|free of)\b(?:\W+\w+){0,4}\W+$|n't\b"
                             r"(?:\W+\w+){0,4}\W+$")


def _negated(sentence: str, term: str) -> bool:
    """"No evidence of heart failure": a negation within five words before the term."""
    return any(_NEGATED_BEFORE.search(sentence[:m.start()]) for m in re.finditer(rf"\b{re.escape(term)}\b", sentence))


def problems(text: str) -> set[str]:
    """Problems named and not negated ("no pneumonia" is not a problem), one name per problem."""
    found = set()
    for sentence in _sentences(text):
        found |= {t for t in find_terms(sentence, "problems") if not _negated(sentence, t)}
    found = {t for t in found if not any(t != other and f" {t} " in f" {other} " for other in found)}
    return {_SAME_PROBLEM.get(t, t) for t in found}


# --- plan items ---------------------------------------------------------------------------------
_TESTS = {
    "x-ray": r"x-?rays?|radiographs?", "mri": r"mri|magnetic resonance", "ct": r"ct(?: scan)?|cat scan",
    "ultrasound": r"ultrasound|sonogram|doppler", "echocardiogram": r"echo(?:cardiogram)?s?",
    "ekg": r"ekg|ecg|electrocardiogram", "stress test": r"stress test", "a1c": r"(?:hemoglobin |hb)?a1c",
    "cbc": r"cbc|complete blood count", "metabolic panel": r"cmp|bmp|metabolic panel",
    "lipid panel": r"lipid (?:panel|profile)", "thyroid tests": r"tsh|thyroid (?:function|panel|tests?)",
    "urinalysis": r"urinalysis|urine (?:test|culture)", "biopsy": r"biops(?:y|ies)", "colonoscopy": r"colonoscopy",
    "endoscopy": r"egd|endoscopy", "mammogram": r"mammograms?", "pulmonary function tests": r"pfts?|pulmonary function",
    "sleep study": r"sleep study", "emg": r"emg|nerve conduction", "holter monitor": r"holter", "psa": r"psa",
    "bone density": r"bone density|dexa", "vitamin d": r"vitamin d (?:level|test)", "culture": r"cultures?",
    "labs": r"labs?|lab work|blood ?work|blood tests?",
}
_SPECIALTIES = {
    "cardiology": r"cardiolog\w*", "neurology": r"neurolog\w*", "orthopedics": r"orthop(?:a)?edic\w*",
    "physical therapy": r"physical therap\w*", "occupational therapy": r"occupational therap\w*",
    "dermatology": r"dermatolog\w*", "endocrinology": r"endocrinolog\w*", "gastroenterology": r"gastroenterolog\w*",
    "nephrology": r"nephrolog\w*", "pulmonology": r"pulmonolog\w*", "rheumatology": r"rheumatolog\w*",
    "urology": r"urolog\w*", "oncology": r"oncolog\w*", "hematology": r"hematolog\w*",
    "ent": r"ent|otolaryngolog\w*|ear,? nose,? and throat", "ophthalmology": r"ophthalmolog\w*|optometr\w*",
    "podiatry": r"podiatr\w*", "psychiatry": r"psychiatr\w*", "counseling": r"psycholog\w*|counsel(?:l)?or|therapist",
    "nutrition": r"nutrition\w*|dietitian|dietician", "surgery": r"surgeon|surgical consult\w*",
    "pain management": r"pain (?:management|clinic|specialist)", "neurosurgery": r"neurosurg\w*",
    "gynecology": r"gyn\w*|ob-?gyn", "allergy": r"allergist", "infectious disease": r"infectious disease",
}
_ORDER_CUE = re.compile(r"\b(order\w*|obtain\w*|schedul\w*|get|getting|check\w*|recheck\w*|repeat\w*|perform\w*|"
                        r"request\w*|send|sent|draw\w*|additional testing|will|plan\w*|recommend\w*|arrang\w*|"
                        r"need\w*)\b")
_REFERRAL_CUE = re.compile(r"\b(refer\w*|consult\w*|see|seen|evaluat\w*|appointment|follow up with|schedul\w*|send|"
                           r"sent|recommend\w*|start\w*|begin|attend\w*|continue|specialist referrals)\b")
_FOLLOW_UP_CUE = re.compile(r"\b(follow[- ]?up|f/u|return\w*\b(?! precautions)|come back|"
                            r"see (?:him|her|them|the patient|you) back|recheck|revisit|re-?evaluat\w*|appointment|"
                            r"visit)\b")  # "Return precautions: call if …" times no visit
_INTERVAL = re.compile(r"\b(?:in|within|after)\s+(?:about |approximately |another |the next )?"
                       r"(a couple of|a few|a|an|\d+(?:\s*(?:-|to)\s*\d+)?)\s*(day|week|month|year)s?\b")
_NEXT = re.compile(r"\bnext (day|week|month|year)\b|\b(annually|yearly)\b|\b(as needed|prn)\b")


def _named(sentence: str, lexicon: dict[str, str]) -> set[str]:
    return {name for name, pattern in lexicon.items() if re.search(rf"\b(?:{pattern})\b", sentence)}


def orders(text: str) -> set[str]:
    """Tests and imaging the plan orders ("We will order a repeat echocardiogram."), not results it cites."""
    return {t for s in _sentences(text) if _ORDER_CUE.search(s) for t in _named(s, _TESTS)}


def referrals(text: str) -> set[str]:
    """Specialties the patient is sent to ("Referral to physical therapy.", "see a hematologist")."""
    return {t for s in _sentences(text) if _REFERRAL_CUE.search(s) for t in _named(s, _SPECIALTIES)}


def _interval(amount: str, unit: str) -> str:
    spoken = {"a": "1", "an": "1", "a couple of": "2", "a few": "few"}
    amount = spoken.get(amount, re.sub(r"\s*(?:-|to)\s*", "-", amount))  # "3 to 4" → "3-4"
    return f"follow-up {amount} {unit}{'' if amount == '1' else 's'}"


def follow_up(text: str) -> set[str]:
    """When the patient comes back: "follow-up 4 weeks", "follow-up 1 year", "follow-up as needed"."""
    found = set()
    for sentence in (s for s in _sentences(text) if _FOLLOW_UP_CUE.search(s)):
        found |= {_interval(amount, unit) for amount, unit in _INTERVAL.findall(sentence)}
        for unit, _yearly, needed in _NEXT.findall(sentence):
            found.add("follow-up as needed" if needed else _interval("1", unit or "year"))
    return found


# --- the draft and the reference, divided alike -------------------------------------------------
_OBJECTIVE = frozenset({"vitals", "exam", "objective", "results"})
_ASSESSMENT_PLAN = frozenset({"assessment", "plan", "assessment_plan", "assessment_and_plan"})


def _draft_text(note: Note, keys: frozenset[str] | None = None) -> str:
    """The draft's statements, all or those of the subsections (or sections) named by ``keys``."""
    return "\n".join(st.text for section, sub, st in note.statements()
                     if keys is None or sub.key in keys or section.key in keys)


def _reference_text(reference: str, keys: Iterable[str]) -> str:
    """The reference's sections named by ``keys``; a reference without headings is all one section."""
    sections = text_sections(reference)
    if set(sections) <= {""}:
        return reference
    return "\n".join(sections[k] for k in keys if k in sections)


def _counts(reference: set[str], draft: set[str]) -> FactCounts:
    return FactCounts(matched=len(reference & draft), in_reference=len(reference), in_draft=len(draft))


def vital_recall(note: Note, reference: str) -> FactCounts:
    """Vitals of the reference's exam and vitals sections the draft states, and how many in its Objective."""
    wanted = vitals(_reference_text(reference, ("vitals", "exam")))
    stated = vitals(_draft_text(note))
    counts = _counts(wanted, stated)
    counts.in_objective = len(wanted & vitals(_draft_text(note, _OBJECTIVE)))
    return counts


def medication_recall(note: Note, reference: str) -> FactCounts:
    return _counts(medication_doses(reference), medication_doses(_draft_text(note)))


def problem_recall(note: Note, reference: str) -> FactCounts:
    """Problems of the reference's assessment and plan found in the draft's assessment and plan."""
    wanted = problems(_reference_text(reference, ("assessment_and_plan", "assessment", "plan")))
    return _counts(wanted, problems(_draft_text(note, _ASSESSMENT_PLAN)))


def _plan_counts(extract: Callable[[str], set[str]], note: Note, reference: str) -> FactCounts:
    """Plan items of the reference's assessment, plan and instructions found in the draft's assessment and plan."""
    wanted = extract(_reference_text(reference, ("assessment_and_plan", "assessment", "plan", "instructions")))
    return _counts(wanted, extract(_draft_text(note, _ASSESSMENT_PLAN)))


def order_recall(note: Note, reference: str) -> FactCounts:
    return _plan_counts(orders, note, reference)


def referral_recall(note: Note, reference: str) -> FactCounts:
    return _plan_counts(referrals, note, reference)


def follow_up_recall(note: Note, reference: str) -> FactCounts:
    return _plan_counts(follow_up, note, reference)


def fact_counts(note: Note, reference: str) -> dict[str, FactCounts]:
    """Every kind of fact, counted for one visit (keys: ``FACT_KINDS``)."""
    measures = (vital_recall, medication_recall, problem_recall, order_recall, referral_recall, follow_up_recall)
    return {kind: measure(note, reference) for kind, measure in zip(FACT_KINDS, measures, strict=True)}
