"""Transcript in, visit record out: the one entry point drafting, export and evaluation call.

The visit's phases (history, exam, results, plan; ``language/phases.py``) decide
where each kind of fact is looked for, so an exam finding is never read from the
history and a plan is never read from small talk.
"""

from __future__ import annotations

import re

from ambientnote.facts.agreement import find_agreement
from ambientnote.facts.answers import answered, answered_amounts, confirmed, mechanism, recounted
from ambientnote.facts.assertion import assert_term
from ambientnote.facts.diagnoses import clinical_problems
from ambientnote.facts.exam_answers import tenderness_asked
from ambientnote.facts.historian import told_by_historian
from ambientnote.facts.history import find_history, operation
from ambientnote.facts.interrupted import cite_spans, joined_across_backchannels
from ambientnote.facts.laterality import lateralised
from ambientnote.facts.lexicon import find_named, find_symptoms, lexicon
from ambientnote.facts.medications import find_medications
from ambientnote.facts.narrative import reported
from ambientnote.facts.objective import find_exam, find_results, find_vitals, normal_vitals, remarked_vitals
from ambientnote.facts.patient import find_patient
from ambientnote.facts.plan import Person, elevated_reading, find_plan, kept_schedule, problems_named
from ambientnote.facts.prior_results import prior_results
from ambientnote.facts.qualifiers import answered_qualifiers
from ambientnote.facts.schema import Assertion, HistoryItem, PlanItem, Reported, VisitRecord
from ambientnote.facts.social import find_social
from ambientnote.facts.symptoms import find_symptoms_in
from ambientnote.facts.text import joined, plain, punctuated, spoken_clean
from ambientnote.facts.visit_setting import seen_remotely
from ambientnote.language.phases import segments_by_phase, sentences
from ambientnote.transcript import Role, Segment, Transcript

_REASON = re.compile(
    r"\b(?:presents?|presenting|is here|here|coming in|comes in|came in|come in|is seen|being seen|"
    r"(?:sent|referred) (?:you|him|her)(?: over| in| here)?|"
    r"(?:was |is |been |being )?(?:sent|referred) by (?:dr\.? |doctor )?[a-z]+(?: [a-z]+)?(?= for)|"
    r"(?:called|scheduled|seen) (?:in )?for a follow-?up(?: visit)?(?: with me)?(?= for)|"  # dictated
    r"(?:new patient )?(?:with )?a referral from (?:the |her |his |your )?"
    r"(?:er|emergency room|emergency department|\w+)(?= (?:of|for)))\s+"
    r"(?:to see (?:us|me)\s+)?(?:today,?\s+)?"  # "presents today, uh, for …" (the filler cleaned, its comma kept)
    r"(?:to\s+(?:the\s+)?(?:clinic|office)\s+)?(?:and\s+)?(?:for|with|(?<=er )of|(?<=room )of|(?<=department )of)\s+"
    r"(?:an?\s+|his\s+|her\s+|their\s+|your\s+)?"
    r"(?P<reason>[^.?!]{3,160}?)(?=[.?!]|$|,\s*(?:and|so|okay|how|what|i)\b)", re.I)
# "dictating on donald clark … chief complaint is left arm pain": the reason, dictated
_CHIEF = re.compile(r"\bchief complaint (?:today )?(?:is|of)\s+(?:an?\s+)?(?P<reason>[^.?!,]{3,80}?)(?=[.?!,]|$)", re.I)
_TOLD = re.compile(r"\b(?:told me|tells me|i see|i saw|i understand)"
                   r"(?:\s+(?:here\s+)?(?:with|in|from|on)\s+(?:your|the)\s+(?:[a-z']+\s+){0,2}?(?:notes?|chart|referral))?"
                   r"\s+(?:that\s+)?you(?:'ve|'re| have| are)?\s+"  # "i saw with your notes that you've been having"
                   r"(?:had|have|got|been having|having)\s+(?:this\s+|a\s+|an\s+|some\s+)?"
                   r"(?!(?:past |medical )*history)"
                   r"(?P<reason>(?:(?!history)[^.?!,]){3,60}?)(?=[.?!,]|$|\s+(?:that|which|for|and|so|yes|yeah|okay)\b)",
                   re.I)
_REASON_STOP = re.compile(r"^(?:a visit|the visit|a while|today|you|me|that|this|it|now)$", re.I)
# "you've come in with some knee pain, can you tell me about it?": the reason is said before the question asks
_ASKS = re.compile(r"\b(?:can|could|would|will) you\b|\btell me\b|\bwhat(?:'s| is)?\b|\bhow\b|\bis that\b", re.I)
# "it's not the right knee, it's the left knee": the patient corrects the side the clinician said
_OTHER_SIDE = re.compile(r"\bnot (?:the|my) (?P<wrong>right|left)\b.*\b(?P<right>left|right)\b", re.I)
_OPENER = re.compile(r"\b(what brings you|what's going on|what can i do for you|how can i help|what can i help|"
                     r"what seems to be|"
                     r"tell me (?:about|what)|what's been going on|how have you been|how are you doing with)", re.I)


# "so you were just in the emergency department … what happened": a visit that follows up an emergency visit
_AFTER_ED = re.compile(r"\byou (?:were|went) (?:just |recently )?(?:seen )?(?:in|to|at) the "
                       r"(?:emergency (?:department|room)|er|ed)\b", re.I)


def _after_emergency(segments: list[Segment]) -> tuple[str | None, list[str]]:
    """The reason for a visit opened on the patient's emergency visit, when no other reason was said."""
    seg = next((s for s in segments[:4] if s.role == Role.clinician and _AFTER_ED.search(s.text)), None)
    return ("follow-up after emergency department visit", [seg.id]) if seg else (None, [])


_NEGATED = re.compile(r"\b(?:no|not|never|denies|without)\b|n't\b", re.I)


def _told_in_account(record: VisitRecord) -> None:
    """A symptom asked in a list and left unanswered there ("how about any shortness of breath, cough?") that the
    account then states ("so you also have some shortness of breath with exertion" — "correct") is present, so the
    review of systems lists it with the account's evidence."""
    for symptom in record.symptoms:
        if symptom.assertion != Assertion.unanswered:
            continue
        for told in record.account:
            if not _NEGATED.search(told.text) and symptom.name in {h.term for h in find_symptoms(told.text)}:
                symptom.assertion = Assertion.present
                symptom.evidence = list(dict.fromkeys(symptom.evidence + told.evidence))
                break


_READ = re.compile(r"\b(?:(?:taking a |take a |have a )?look(?:ing)? at|reviewing|reviewed|went over)\s+"
                   r"(?:the |your |his |her )?(?:results? of (?:the |your )?)?(?P<what>[^.,;?]{2,30})", re.I)


def _read_later(item: PlanItem, segments: list[Segment]) -> bool:
    """An order whose result the clinician reads later in the same visit ("let me get an x-ray" … "taking a look
    at your x-ray, you have a large spur"): done at the visit, not an order to place."""
    if item.kind not in ("test", "imaging") or item.action != "order" or not item.target or " and " in item.target:
        return False
    test = item.target.lower()
    cited = [n for n, seg in enumerate(segments) if seg.id in item.evidence]
    later = segments[max(cited) + 1:] if cited else []
    return any(seg.role == Role.clinician and m["what"].lower().startswith(test)
               for seg in later for m in _READ.finditer(spoken_clean(seg.text)))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower())) - {"he", "she", "they"}


def person_of(record: VisitRecord) -> Person:
    """How the note names the patient: by the sex the visit established, else "the patient"."""
    if record.patient.sex == "male":
        return Person("he", "his")
    if record.patient.sex == "female":
        return Person("she", "her")
    return Person()


def _reason(segments: list[Segment], patterns: tuple[re.Pattern[str], ...]) -> tuple[str | None, list[str]]:
    for n, seg in enumerate(segments):
        if seg.role != Role.clinician:
            continue
        said_here = sentences(spoken_clean(seg.text))
        for k, said in enumerate(said_here):
            asked = said.endswith("?")
            if asked:
                said = _ASKS.split(said)[0]
            if not (match := next((m for rx in patterns if (m := rx.search(said))), None)):
                continue
            if asked and re.search(r"\bor\b", match["reason"]):
                continue  # "you're here for your hip today, or your leg today?": the patient has not said which
            if reason := _reason_said(match):
                reason = _said_again(reason, said_here[k + 1:k + 2])
                answer = segments[n + 1:n + 2]
                corrected = _corrected(reason, answer)
                return corrected, [seg.id] + [a.id for a in answer if corrected != reason]
    return None, []


def _reason_said(match: re.Match[str]) -> str | None:
    """The reason as a note names it: without articles, pronouns and what the sentence goes on to say."""
    reason = re.sub(r"^(?:some|a little|a bit of|the)\s+", "", plain(match["reason"]).strip(" ,."), flags=re.I)
    if re.search(r"\breferral from\b|\b(?:sent|referred) by\b", match[0], re.I) \
            and not reason.lower().startswith("evaluation"):
        reason = f"evaluation of {reason}"  # "a referral from the er of esophagitis": suspected, not found
    reason = re.split(r"\s+(?=(?:she|he|they|who|which|and (?:she|he|they))\s+(?:was|is|has|had|were)\b)"
                      r"|\s+and\s+(?:also\s+)?(?:has|had|is|was|with|who)\b",
                      reason, maxsplit=1, flags=re.I)[0]  # "… chemotherapy she was diagnosed with …"
    reason = re.sub(r"(?<=\w )(?:your|his|her|their)\b", "the", reason, flags=re.I)  # "on the right foot"
    reason = re.sub(r"\b(your|his|her|their|that|this|these|those|some)\b", "", reason, flags=re.I)
    reason = " ".join(reason.split())
    # one spelling of the noun ("follow up of chronic problems", "followup …"), without a trailing "also"
    reason = re.sub(r"\bfollow ?up\b", "follow-up", re.sub(r"\s+(?:also|as well|too)$", "", reason, flags=re.I),
                    flags=re.I)
    reason = re.sub(r"^((?:routine )?(?:evaluation|follow-up) of)\s+(?:an?|the)\s+", r"\1 ", reason, flags=re.I)
    return reason if reason and not _REASON_STOP.match(reason) and len(reason.split()) <= 12 else None


def _said_again(reason: str, following: list[str]) -> str:
    """ "she's here for left leg pain. right leg pain, right leg pain?": the side the clinician corrects it to."""
    side = re.match(r"(left|right) (.+)$", reason, re.I)
    if side and following and re.match(rf"\W*(left|right) {re.escape(side[2])}\b", following[0], re.I):
        return f"{following[0].strip(' ,.?').split()[0].lower()} {side[2]}"
    return reason


def _corrected(reason: str, answer: list[Segment]) -> str:
    """The reason with the side the patient corrected it to."""
    if answer and answer[0].role == Role.patient and (match := _OTHER_SIDE.search(answer[0].text)) \
            and match["wrong"].lower() != match["right"].lower():
        return re.sub(rf"\b{match['wrong']}\b", match["right"].lower(), reason, flags=re.I)
    return reason


def _part_as_complaint(reason: str | None, history: list[Segment]) -> str | None:
    """"my elbow here" — "so it's your right elbow?" is a visit for right elbow pain when the patient says it hurts;
    a body part alone is no reason for a visit ("presents … for evaluation of right elbow", train D2N019)."""
    parts = "|".join(lexicon("anatomy")["parts"])
    if reason and re.fullmatch(rf"(?:(?:left|right|bilateral)\s+)?(?:{parts})s?", reason, re.I) and any(
            seg.role == Role.patient and re.search(r"\b(?:hurts?|hurting|pain\w*|aches?|aching|sore)\b", seg.text, re.I)
            for seg in history):
        return f"{reason} pain"
    return reason


def _complaint(segments: list[Segment]) -> tuple[str | None, list[str]]:
    """The patient's answer to the opening question, reduced to its problems and symptoms."""
    opened = [n + 1 for n, seg in enumerate(segments[:-1]) if seg.role == Role.clinician and _OPENER.search(seg.text)]
    # a transcript with its speakers swapped: the opening question under the patient's name, answered by the other
    opened = opened or [n + 1 for n, seg in enumerate(segments[:6]) if _OPENER.search(seg.text)
                        and n + 1 < len(segments) and segments[n + 1].role != seg.role]
    # no opener heard: the first words
    first = [n for n, seg in enumerate(segments[:4]) if seg.role == Role.patient][:1]
    for n in opened or first:
        answer = segments[n]
        if answer.role == Role.clinician and n not in opened:
            continue
        text = spoken_clean(answer.text)
        said = []
        if elevated := elevated_reading(text):
            said.append(elevated)
        said += [m[0].lower() for m in find_named(text, "problems") if m[0].lower() not in " ".join(said)]
        said += [h.term for h in find_symptoms(text)  # "i was having chest pains, but it stopped": what brought them
                 if assert_term(text, h.said) in (Assertion.present, Assertion.historical)]
        if said:
            return joined(list(dict.fromkeys(said))), [answer.id]
    return None, []


def _told_as_history(fact: Reported, history: list[HistoryItem]) -> bool:
    """"She has had a nose job." is the surgical history the same turn gave, not the present illness; "He has
    never had any surgery." belongs to no HPI either."""
    named = operation(fact.text)
    if re.search(r"\b(?:surger(?:y|ies)|operations?)\b", fact.text, re.I) and (
            re.search(r"\b(?:never|not|no)\b|n't\b", fact.text, re.I)
            or any(h.kind == "surgical" and set(h.evidence) & set(fact.evidence) for h in history)):
        return True
    return any(h.kind in ("medical", "surgical") and set(h.evidence) & set(fact.evidence)
               and (h.text.lower() in fact.text.lower() or named == h.text) for h in history) or any(
        h.kind == "social" and set(h.evidence) & set(fact.evidence)  # "The patient works as a cashier …": said
        and len(_words(h.text) & _words(fact.text)) >= 0.6 * len(_words(h.text)) for h in history)  # there


def _tried_already(fact: Reported, told: list[Reported]) -> bool:
    """"He took some ibuprofen." after "He has tried Tylenol and ibuprofen." from the same answer says it again."""
    drugs = [m[0].lower() for m in find_named(fact.text, "medications")]
    said = re.sub(r"^(?:the patient|he|she|they)\s+", "", fact.text, flags=re.I)  # "took some ibuprofen": nothing more
    return bool(drugs) and len(said.split()) <= 4 and not re.search(r"\d", fact.text) and any(
        t is not fact and " has tried " in t.text and set(fact.evidence) <= set(t.evidence)
        and all(d in t.text.lower() for d in drugs) for t in told)


def build_record(transcript: Transcript) -> VisitRecord:
    """Every fact of the visit this transcript supports, each citing its segments.

    What is said about symptoms and medications counts in any phase but the exam (a short visit asks about
    symptoms while planning); exam findings only in the exam, results wherever they are read out.
    """
    transcript, spans = joined_across_backchannels(transcript)
    transcript = transcript.model_copy(update={"segments": [
        s.model_copy(update={"text": punctuated(s.text)}) for s in transcript.segments]})
    groups = segments_by_phase(transcript)
    everything = list(transcript.segments)
    exam_ids = {x.id for x in groups["exam"]}
    talk = [s for s in everything if s.id not in exam_ids]
    record = VisitRecord(patient=find_patient(everything), remote=seen_remotely(everything))
    record.reason, record.reason_evidence = _reason(groups["history"] + groups["exam"], (_CHIEF, _REASON))
    if record.reason is None:  # "the medical assistant told me that you had this ulcer on your foot"
        record.reason, record.reason_evidence = _reason(groups["history"][:6], (_TOLD,))
    if record.reason is None:
        record.reason, record.reason_evidence = _after_emergency(groups["history"])
    if record.reason is None:
        record.reason, record.reason_evidence = _complaint(transcript.segments)
    record.reason = _part_as_complaint(record.reason, groups["history"])
    record.symptoms = find_symptoms_in(talk)
    order = {s.id: n for n, s in enumerate(everything)}
    told = (reported(talk, person_of(record)) + answered(talk, person_of(record), record.symptoms)
            + confirmed(talk, person_of(record)) + recounted(talk, person_of(record))
            + answered_qualifiers(talk, person_of(record))
            + answered_amounts(talk, person_of(record)) + told_by_historian(talk, record.patient, person_of(record)))
    for how in mechanism(talk, person_of(record)):  # "he was golfing and he hurt his back …" may say it already
        if not any(_words(how.text) <= _words(t.text) for t in told):  # (the account may repeat the subject: "…
            told = [t for t in told if not _words(t.text) <= _words(how.text)] + [how]  # and they twisted")
    record.account = sorted([t for t in told if not _tried_already(t, told)], key=lambda fact: order[fact.evidence[0]])
    record.medications = find_medications(everything)
    record.history = find_history(groups["history"] + groups["exam"])
    record.history += find_social(groups["history"] + groups["exam"], person_of(record).possessive)
    record.account = [a for a in record.account if not _told_as_history(a, record.history)]
    _told_in_account(record)
    exam_said = {(x.id, x.text) for x in groups["exam"]}  # a turn split by phase counts whole outside its exam part
    record.vitals = find_vitals(groups["exam"] + [s for s in everything if (s.id, s.text) not in exam_said])
    record.exam = find_exam(groups["exam"], groups["results"] + groups["plan"])
    record.exam += tenderness_asked(groups["exam"], record.exam)
    if not [v for v in record.vitals if v.setting == "office"]:
        record.vitals_normal = normal_vitals(groups["exam"] + groups["history"])[:1]
    read = {v.name for v in record.vitals if v.setting == "office"}
    record.vital_remarks = [r for r in remarked_vitals(everything) if r.name not in read]
    record.results = find_results(everything)
    record.results += [r for r in prior_results(everything) if r.value not in {x.value for x in record.results}]
    assessed = {s.id for s in groups["plan"] + groups["results"]}
    record.problems, record.plan = find_plan(everything, person_of(record), assessed)
    record.plan = [item for item in record.plan if not _read_later(item, everything)]
    kept_schedule(record.plan, record.medications)
    if not [p for p in record.problems if p.assertion == Assertion.present]:
        discussed = groups["plan"] + groups["results"] + groups["exam"] + groups["history"]
        record.problems = problems_named(discussed) + record.problems
    record.problems = clinical_problems(record.problems, record.plan, record.medications)
    record.agreement = find_agreement(everything, {i for item in record.plan for i in item.evidence}
                                      | {s.id for s in groups["plan"]})
    lateralised(record, everything)
    cite_spans(record, spans)
    return record
