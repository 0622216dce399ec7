"""The visit record: the clinical facts of one visit, each with the turns it rests on.

A note read back from the conversation quotes it; a note composed from facts
reads like a note. So drafting first fills this record (who the patient is, what
they report and deny, what was measured, found, concluded and planned), and the
note, the patient instructions and the FHIR export are all rendered from it.
Every fact keeps the transcript segment ids it came from, who said it and its
assertion status, so the guard can check it and the clinician can click through.
The record is stored with the note version (``RECORD_VERSION`` says which shape).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

RECORD_VERSION = 1


class Assertion(StrEnum):
    """How a fact was said: present, denied, possible, historical, about a family member, or asked unanswered."""

    present = "present"
    denied = "denied"
    possible = "possible"
    historical = "historical"
    family = "family"
    hypothetical = "hypothetical"
    unanswered = "unanswered"


Speaker = Literal["clinician", "patient", "other"]


class Fact(BaseModel):
    evidence: list[str] = Field(min_length=1, description="Ids of the transcript segments the fact rests on.")
    speaker: Speaker = "clinician"
    assertion: Assertion = Assertion.present


class Patient(BaseModel):
    name: str | None = None        # as said ("Brian", "Mr. Hayes")
    honorific: str | None = None   # "Mr.", "Mrs.", "Ms."
    age: int | None = None
    age_unit: Literal["year", "month", "week"] = "year"
    sex: Literal["male", "female"] | None = None
    sex_source: str | None = None  # "stated", "honorific", "pronouns": why the note may say he or she
    evidence: list[str] = Field(default_factory=list)


class Symptom(Fact):
    name: str                      # "chest pain", "shortness of breath"
    system: str = "general"        # body system for the ROS ("cardiovascular", "respiratory" …)
    onset: str | None = None       # "since Labor Day", "2 weeks ago"
    duration: str | None = None    # "about 5 weeks"
    location: str | None = None
    side: str | None = None        # "left", "right", "bilateral"
    severity: str | None = None    # "7/10", "mild"
    timing: str | None = None      # "at night", "every once in a while"
    modifiers: list[str] = Field(default_factory=list)  # "with exertion", "worse with walking"


class Reported(Fact):
    """A sentence of the patient's own account, in the note's third person ("He feels lightheaded at times.")."""

    text: str


class Medication(Fact):
    name: str
    dose: str | None = None        # "20 mg"
    route: str | None = None       # "by mouth", "inhaled"
    frequency: str | None = None   # "daily", "twice a day"
    adherence: str | None = None   # "taking as prescribed", "misses weekend doses"


class HistoryItem(Fact):
    kind: Literal["medical", "surgical", "family", "social", "allergy"]
    text: str                      # "hypertension", "hip replacement", "quit smoking 10 years ago"
    relative: str | None = None    # for family history: "mother"


class Vital(Fact):
    name: Literal["blood pressure", "heart rate", "respiratory rate", "temperature", "oxygen saturation",
                  "weight", "height", "bmi"]
    value: str                     # "152/96", "88", "98.6"
    unit: str = ""                 # "mmHg", "bpm", "%", "°F", "lb", "kg/m2"
    loinc: str = ""                # "85354-9" (BP panel) …
    setting: Literal["office", "home"] = "office"  # a home reading is history, not a vital
    qualifier: str | None = None   # "as high as": a peak the patient gave, not a usual reading


class VitalRemark(Fact):
    """A vital sign the clinician judged without reading it out ("your blood pressure's a little elevated here"):
    the value is on the monitor, the judgement is in the conversation, and the plan often rests on it."""

    name: Literal["blood pressure", "heart rate", "respiratory rate", "temperature", "oxygen saturation"]
    finding: Literal["elevated", "low"]


class ExamFinding(Fact):
    system: str                    # "cardiovascular", "respiratory", "musculoskeletal" …
    text: str                      # "3/6 systolic ejection murmur", "no wheezes"
    normal: bool = False


class Result(Fact):
    test: str                      # "chest x-ray", "hemoglobin A1c"
    text: str                      # "mild fluid in the lungs", "7.8"
    value: str | None = None
    date: str | None = None


class Problem(Fact):
    name: str                      # "congestive heart failure"
    impression: str | None = None  # "not well controlled", "likely", "rule out"
    complaint: str | None = None   # the symptom the clinician put down to it ("left shoulder pain")
    concern: str | None = None     # a diagnosis the clinician fears behind it ("lyme disease" for a tick bite)
    cause: str | None = None       # what brought it on, as said ("likely caused by dietary indiscretion")


class PlanItem(Fact):
    kind: Literal["medication", "test", "imaging", "referral", "procedure", "education", "lifestyle",
                  "follow_up", "return_precautions", "other"]
    text: str                      # note register: "Increase Lasix to 80 mg daily."
    action: str | None = None      # "start", "stop", "increase", "decrease", "continue", "order", "refer"
    target: str | None = None      # drug, test or specialty named; advice in the clinician's own (second-person) words
    dose: str | None = None
    frequency: str | None = None
    reason: str | None = None      # why, as said: "to rule out gallstones"
    interval: str | None = None    # follow-up interval: "4 weeks"
    problem: str | None = None     # the problem this plan item belongs to


class Agreement(Fact):
    """The patient agreed to the plan put to them, or asked about it and was answered (``facts/agreement.py``)."""

    kind: Literal["agrees", "questions_answered"]


class VisitRecord(BaseModel):
    version: int = RECORD_VERSION
    patient: Patient = Field(default_factory=Patient)
    reason: str | None = None      # the reason for the visit, in the clinician's words reduced to a phrase
    remote: bool = False           # a video or telephone visit: the patient did not come to the clinic
    reason_evidence: list[str] = Field(default_factory=list)
    symptoms: list[Symptom] = Field(default_factory=list)
    account: list[Reported] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)
    history: list[HistoryItem] = Field(default_factory=list)
    vitals: list[Vital] = Field(default_factory=list)
    vitals_normal: list[str] = Field(default_factory=list, description="Where vitals were called normal, unread.")
    vital_remarks: list[VitalRemark] = Field(default_factory=list)
    exam: list[ExamFinding] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    plan: list[PlanItem] = Field(default_factory=list)
    agreement: list[Agreement] = Field(default_factory=list)
