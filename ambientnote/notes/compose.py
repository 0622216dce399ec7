"""The note composed from the visit record: every sentence a fact, in the clinical register.

Each layout subsection names the kind of fact it shows; this module picks those
facts and has the register templates word them. A statement cites the segments
of every fact it states, so the guard checks it and the clinician can click
through to the words it came from. No sentence of the conversation is copied.
"""

from __future__ import annotations

import re

from ambientnote.facts.extract import person_of
from ambientnote.facts.laterality import unsited
from ambientnote.facts.lexicon import body_parts, find_symptoms, lexicon, symptom_systems, system_title, topics
from ambientnote.facts.schema import Assertion, Fact, PlanItem, Problem, Symptom, VisitRecord, Vital
from ambientnote.facts.text import capitalised, joined, spelled, without_trailing_words
from ambientnote.notes.layout import SubsectionSpec
from ambientnote.notes.pronouns import without_singular_they
from ambientnote.notes.register import say
from ambientnote.notes.schema import Statement, Subsection

_EXAM_ORDER = ("constitutional", "heent", "neck", "respiratory", "cardiovascular", "gastrointestinal",
               "genitourinary", "musculoskeletal", "neurological", "skin", "psychiatric", "general")
_VITAL_ORDER = ("blood pressure", "heart rate", "respiratory rate", "temperature", "oxygen saturation", "weight",
                "height", "bmi")


def _ids(*facts: Fact | list[str]) -> list[str]:
    out: list[str] = []
    for fact in facts:
        out += fact if isinstance(fact, list) else fact.evidence
    return list(dict.fromkeys(out))


def _statement(text: str, *facts: Fact | list[str]) -> Statement | None:
    ids = _ids(*facts)
    return Statement(text=without_trailing_words(text), evidence=ids) if text and ids else None


def _pmh(record: VisitRecord) -> tuple[str | None, list[str]]:
    items = [h for h in record.history if h.kind == "medical"]
    return (joined([h.text for h in items]), _ids(*items)) if items else (None, [])


def opening(record: VisitRecord, template: str = "history", macro: str = "opening") -> Statement | None:
    """Who the patient is and why they came: the HPI's first sentence, and (``plan``, ``summary``) the A&P's
    one-line summary."""
    pmh, pmh_ids = _pmh(record)
    p = record.patient
    age = f"{p.age}-{p.age_unit}" if p.age is not None else None  # "58-year", "22-month"
    reason, reason_ids = record.reason, record.reason_evidence
    if reason is None and (first := _problems(record)[:1]):  # no reason said: the chief complaint the note gives
        reason, reason_ids = first[0].complaint or first[0].name, first[0].evidence
    text = say(template, macro, p.name, age, p.sex, pmh, reason, record.remote)
    return _statement(text, p.evidence, pmh_ids, reason_ids)


def chief_complaint(record: VisitRecord) -> list[Statement]:
    """The reason said for the visit, or the patient's answer to the opening question; else the first problem
    assessed. A symptom mentioned later in passing is never the chief complaint."""
    if record.reason:
        return [s for s in [_statement(say("history", "chief_complaint", record.reason), record.reason_evidence)] if s]
    problems = _problems(record)[:1]
    return [s for p in problems if (s := _statement(say("history", "chief_complaint", p.complaint or p.name), p))]


# "He heard a pop when he moved.": the patient's own account, every other sentence told as theirs ("He reports that
# …"), as histories attribute what only the patient could say without repeating it on every line
_TOLD_BY = re.compile(r"^(?P<subject>He|She) (?!reports|notes|states|denies)")


def _account_with_home_readings(record: VisitRecord) -> tuple[list[Statement | None], list[Vital]]:
    """The patient's account, a home reading's value put into the sentence that already says the readings have been
    high ("… at home have been high, around 150/95 mmHg, and …"), so the HPI says it once; and the readings no
    sentence of the account speaks of, for a sentence of their own."""
    home = [v for v in record.vitals if v.setting == "home"]
    out: list[Statement | None] = []
    for reported in record.account:
        text, told = reported.text, []
        for vital in home:
            said = re.search(rf"\b(?:{vital.name}\b[^.,;]*?\bhome|home {vital.name})\b[^.,;]*?\bbeen\b(?: running)? "
                             r"(?:high|elevated|up|low|good|okay|fine|normal)\b", text, re.I)
            if said:
                text = f"{text[:said.end()]}, {say('history', 'home_value', vital)}{text[said.end():]}"
                told.append(vital)
        home = [v for v in home if v not in told]
        if reported.speaker == "patient" and not len(out) % 2 and (said := _TOLD_BY.match(text)):
            text = say("history", "attributed", said["subject"], len(out) // 2, text[said.end():])
        out.append(_statement(text, reported, *told))
    return out, home


def hpi(record: VisitRecord) -> list[Statement]:
    voice = person_of(record)
    out = [opening(record)]
    account, home = _account_with_home_readings(record)
    out += account
    told = {h.term for r in record.account for h in find_symptoms(r.text)}
    # "Past medical history: constipation." already says it; the HPI tells the complaint, not the history again
    told |= {h.text.lower() for h in record.history if h.kind == "medical"}
    present = [s for s in record.symptoms if s.assertion == Assertion.present
               and (s.name not in told or _course_untold(s, record))]
    groups: dict[str, list[Symptom]] = {}
    for symptom in present:  # symptoms with the same course in one sentence: "He reports fatigue and cough."
        groups.setdefault(say("history", "course", symptom), []).append(symptom)
    for course, symptoms in groups.items():
        names = [say("history", "symptom_name", s) for s in symptoms]
        out.append(_statement(say("history", "reports", voice, [f"{joined(names)} {course}".strip()]), *symptoms))
    out += [_statement(say("history", "home_reading", vital), vital) for vital in home]
    for med in record.medications:
        if med.adherence and med.adherence != "not taking":
            out.append(_statement(say("history", "adherence", voice, med), med))
    past = [s for s in record.symptoms if s.assertion == Assertion.historical and s.name not in told]
    if past:  # an episode that has passed: "He had shortness of breath and chest pain for about an hour."
        phrases = [say("history", "symptom_phrase", s) for s in past]
        out.append(_statement(say("history", "had", voice, phrases), *past))
    denied = [s for s in record.symptoms if s.assertion == Assertion.denied]
    if denied:
        out.append(_statement(say("history", "denies", voice, [s.name for s in denied]), *denied))
    return [s for s in out if s]


def _course_untold(symptom: Symptom, record: VisitRecord) -> bool:
    """Whether how long the complaint has lasted is said nowhere in the account that names it: "The knee pain is a
    deep achy pain." tells the pain but not its 6 months (round 24, D2N044). Only the complaint's: another symptom
    told in the patient's words needs no second sentence for its course."""
    span = symptom.duration or symptom.onset
    if not span or symptom.name not in (record.reason or "").lower():
        return False
    number = re.search(r"\d+|\b(?:a|one|two|three|few|couple|several)\b", span)
    return not any(number and number[0] in r.text.lower() for r in record.account
                   if any(h.term == symptom.name for h in find_symptoms(r.text)))


def ros(record: VisitRecord) -> list[Statement]:
    out = []
    for system in symptom_systems():
        present = [s for s in record.symptoms if s.system == system and s.assertion == Assertion.present]
        denied = [s for s in record.symptoms if s.system == system and s.assertion == Assertion.denied]
        if present or denied:
            text = say("history", "ros_line", system_title(system), [s.name for s in present],
                       [s.name for s in denied])
            out.append(_statement(text, *present, *denied))
    return [s for s in out if s]


def medications(record: VisitRecord) -> list[Statement]:
    return [s for m in record.medications if m.assertion != Assertion.historical
            if (s := _statement(say("history", "medication", m), m))]


def history(record: VisitRecord) -> list[Statement]:
    """Past medical and surgical history, one line per kind as a chart lists them, then allergies."""
    listed = [(say("history", "history_list", kind, [h.text for h in same]), same) for kind in ("medical", "surgical")
              if (same := [h for h in record.history if h.kind == kind])]
    single = [(say("history", "history_item", h), [h]) for h in record.history if h.kind == "allergy"]
    return [s for text, facts in listed + single if (s := _statement(text, *facts))]


def family_history(record: VisitRecord) -> list[Statement]:
    return [s for h in record.history if h.kind == "family" if (s := _statement(say("history", "history_item", h), h))]


def social_history(record: VisitRecord) -> list[Statement]:
    """Work, habits and activities under their own heading, as a chart keeps them (28 of 67 ACI-Bench train
    references have a SOCIAL HISTORY section)."""
    return [s for h in record.history if h.kind == "social" if (s := _statement(say("history", "history_item", h), h))]


def vitals(record: VisitRecord) -> list[Statement]:
    office = sorted((v for v in record.vitals if v.setting == "office"), key=lambda v: _VITAL_ORDER.index(v.name))
    remarks = [_statement(say("objective", "vital_remark", r), r) for r in record.vital_remarks]
    if not office:  # called normal without a value read out
        normal = [] if remarks else [_statement(say("objective", "vitals_normal"), record.vitals_normal)]
        return [s for s in normal + remarks if s]
    table = lexicon("vitals")["vitals"]
    shown = [{"label": table[v.name]["note"], "value": v.value, "unit": v.unit} for v in office]
    return [s for s in [_statement(say("objective", "vitals", shown), *office), *remarks] if s]


def exam(record: VisitRecord) -> list[Statement]:
    out = []
    for system in _EXAM_ORDER:
        findings = [f for f in record.exam if f.system == system]
        if findings:
            text = say("objective", "exam_line", system_title(system), [f.text for f in findings])
            out.append(_statement(text, *findings))
    return [s for s in out if s]


def results(record: VisitRecord) -> list[Statement]:
    return [s for r in record.results if (s := _statement(say("objective", "result", r), r))]


def _reasoning(problem: Problem, record: VisitRecord) -> list[Statement]:
    """The facts behind a problem, as its medical reasoning: what was reported, measured, found and shown.

    A fact belongs to a problem when they share a clinical topic (``models/lexicons/topics.toml``):
    lightheadedness and edema with heart failure, an A1c with diabetes, a home reading with hypertension.
    """
    # its own topics, not its site's, and those of the complaint it explains ("recurrent lung infections, likely due
    # to hypersensitivity pneumonitis": the chest x-ray is the pneumonitis's)
    about = topics(unsited(problem.name)) | (topics(problem.complaint) if problem.complaint else set())
    assessed = {p.name.lower() for p in record.problems}
    symptoms = [s for s in record.symptoms if s.assertion == Assertion.present and topics(s.name) & about
                and s.name not in (_shown_complaint(problem) or "") and s.name not in assessed]  # "left shoulder pain,
    # likely due to …", or a symptom assessed as a problem of its own, says it
    readings = [v for v in record.vitals if topics(v.name) & about]
    remarks = [r for r in record.vital_remarks if topics(r.name) & about]
    others = [p.name.lower() for p in record.problems if p.name.lower() not in problem.name.lower()]

    def elsewhere(text: str) -> bool:  # "mild radiation pneumonitis" on the chest x-ray is that problem's, not
        return any(name in text.lower() for name in others)  # the lung cancer's it shares a topic with

    def named(text: str) -> bool:  # a finding or result that names the problem ("intermediate thickness melanoma")
        return len(problem.name) >= 8 and problem.name.lower() in text.lower()

    findings = [f for f in record.exam if not f.normal and (topics(f.text) & about and not elsewhere(f.text)
                                                            or named(f.text))]
    results = [r for r in record.results if topics(f"{r.test} {r.text}") & about and not elsewhere(r.text)
               or named(r.text)]
    out: list[Statement | None] = []
    if symptoms:
        out.append(_statement(say("plan", "symptoms", [s.name for s in symptoms], not out), *symptoms))
    if readings:
        out.append(_statement(say("plan", "readings", readings, not out), *readings))
    if remarks:
        out.append(_statement(say("plan", "remarks", remarks, not out), *remarks))
    if findings:
        out.append(_statement(say("plan", "findings", [f.text for f in findings], not out), *findings))
    out += [_statement(say("plan", "result", r), r) for r in results]
    return [s for s in out if s]


def _problems(record: VisitRecord) -> list[Problem]:
    """The problems to assess: a symptom ("back pain") gives way to a diagnosis of the same topic ("lumbar strain")."""
    problems = [p for p in record.problems if p.assertion != Assertion.possible]
    problems = [p for p in problems if not any(p.name != q.name and p.name in q.name for q in problems)]  # "chest
    # pain" within "episode of chest pain" is one problem
    diagnoses = [p for p in problems if not find_symptoms(p.name)]
    return [p for p in problems if p in diagnoses or not any(
        topics(p.name) & topics(d.name) or _same_site(p.name, d.name) for d in diagnoses)]


def _same_site(symptom: str, diagnosis: str) -> bool:
    """"right elbow pain" and "medial epicondylitis of the right elbow": one problem, the pain its complaint
    (D2N083 assessed both, and its follow-up fell to General); not of the left elbow."""
    def site(name: str) -> tuple[set[str], set[str]]:
        return ({m.lower() for m in re.findall(rf"\b(?:{body_parts()})\b", name, re.I)},
                {m.lower() for m in re.findall(r"\b(?:left|right)\b", name, re.I)})

    (parts, sides), (d_parts, d_sides) = site(symptom), site(diagnosis)
    return bool(parts & d_parts) and (not sides or not d_sides or sides == d_sides)


def _items_by_problem(record: VisitRecord,
                      problems: list[Problem]) -> tuple[dict[str, list[PlanItem]], list[PlanItem]]:
    names = {p.name for p in problems}
    grouped: dict[str, list[PlanItem]] = {p.name: [] for p in problems}
    dropped = {p.name: next((d.name for d in problems if topics(d.name) & topics(p.name)), None)
               for p in record.problems if p.name not in names}  # plan items of a symptom go to its diagnosis
    general = []
    last: str | None = None  # the problem whose plan was said last
    for item in record.plan:
        owner = item.problem if item.problem in names else dropped.get(item.problem or "")
        if len(problems) == 1:
            owner = problems[0].name  # a visit about one problem: its orders and its follow-up are that problem's
        elif owner is None and item.kind not in ("follow_up", "return_precautions"):
            # said outside a problem: the problem of its topic, if one, else the one just planned ("… and a
            # hemoglobin a1c. we'll also get a bmp": round 23, D2N087's metabolic panel stood under General)
            about = topics(" ".join(x for x in (item.target, item.text) if x))
            owner = next((p.name for p in problems if topics(p.name) & about), last)
        if owner and (item.kind != "follow_up" or len(problems) == 1):
            grouped[owner].append(item)
            last = owner
        else:
            general.append(item)
    return grouped, general


# A problem's plan read in the order a note gives it: the decisions that need no title ("Surgery recommended.",
# "Refer to hematology.") right under the assessment, then the titled kinds (tests, treatment, what was advised),
# then return precautions and when next, which title themselves. An untitled line after a titled one reads as part
# of it (round 21: "Refer to hematology." under "Medical Treatment:"), so what the next visit rechecks follows the
# follow-up it belongs to, or, with none said, stands with the decisions.
_PLAN_ORDER = {"procedure": 0, "referral": 0, "other": 0, "test": 1, "imaging": 1, "medication": 2, "education": 3,
               "lifestyle": 3, "return_precautions": 4, "follow_up": 5}


def _items(items: list[PlanItem]) -> list[Statement | None]:
    """A problem's plan items, each kind together and the first of each titled ("Medical Treatment: …")."""
    next_visit = any(i.kind == "follow_up" and i.interval for i in items)

    def rank(item: PlanItem) -> int:
        return (6 if next_visit else 0) if item.action == "recheck" else _PLAN_ORDER[item.kind]

    ordered = sorted(items, key=rank)
    return [_statement(say("plan", "item", i, n == 0 or rank(ordered[n - 1]) != rank(i)), i)
            for n, i in enumerate(ordered)]


def _shown_complaint(problem: Problem) -> str | None:
    """The complaint the Assessment opens with ("left shoulder pain, likely due to …"): only where the diagnosis does
    not already name the complaint's site (not "right ankle pain due to right ankle sprain")."""
    where = set(re.findall(r"[a-z]+", (problem.complaint or "").lower())) - {"pain", "ache", "aches", "discomfort",
                                                                              "swelling"}
    return None if where <= set(problem.name.lower().split()) else problem.complaint


def _assessed(problem: Problem) -> str:
    return say("plan", "problem", problem.model_copy(update={"complaint": _shown_complaint(problem)}))


def assessment(record: VisitRecord) -> list[Statement]:
    return [s for p in _problems(record) if (s := _statement(_assessed(p), p))]


def plan(record: VisitRecord) -> list[Statement]:
    return [s for item in record.plan if (s := _statement(item.text, item))]


def assessment_plan(record: VisitRecord, spec: SubsectionSpec) -> list[Subsection]:
    """The problem-oriented A&P: the layout's heading, one subsection per problem, then general items."""
    problems = _problems(record)
    grouped, general = _items_by_problem(record, problems)
    summary = [s for s in [opening(record, "plan", "summary")] if s]
    out = [Subsection(key=spec.key, title=spec.title, style="heading", statements=summary)] \
        if record.problems or record.plan else []
    said: set[str] = set()  # a finding behind two problems is said under the first
    for n, problem in enumerate(problems, start=1):
        statements = [_statement(_assessed(problem), problem), *_reasoning(problem, record)]
        statements += _items(grouped.get(problem.name, []))
        kept: list[Statement] = []
        for s in statements:
            if s and s.text not in said:
                said.add(s.text)
                kept.append(s)
        out.append(Subsection(key=f"{spec.key}_problem_{n}", title=capitalised(spelled(problem.name)),
                              statements=kept))
    if general:
        out.append(Subsection(key=f"{spec.key}_general", title="General", statements=[s for s in _items(general) if s]))
    if out and record.agreement:
        out.append(Subsection(key=f"{spec.key}_agreement", title="Patient Agreements",
                              statements=[s for a in record.agreement if (s := _statement(say("plan", "agreement", a),
                                                                                             a))]))
    return out


_SIMPLE = {"chief_complaint": chief_complaint, "hpi": hpi, "ros": ros, "medications": medications,
           "history": history, "family_history": family_history, "social_history": social_history, "vitals": vitals,
           "exam": exam, "results": results, "assessment": assessment, "plan": plan}


_ABOUT_THE_PATIENT = ("chief_complaint", "hpi", "assessment", "plan", "assessment_plan")


def compose_subsections(record: VisitRecord, spec: SubsectionSpec) -> list[Subsection]:
    if spec.content == "assessment_plan":
        subsections = assessment_plan(record, spec)
    else:
        statements = _SIMPLE[spec.content](record)[: spec.max_statements]
        subsections = [Subsection(key=spec.key, title=spec.title, statements=statements, style=spec.style)]
    if person_of(record).possessive == "their" and spec.content in _ABOUT_THE_PATIENT:  # sex never said
        for sub in subsections:
            sub.statements = [s.model_copy(update={"text": without_singular_they(s.text)}) for s in sub.statements]
    return subsections


def patient_instructions(record: VisitRecord) -> list[Statement]:
    """The after-visit summary: each plan item in plain words addressed to the patient."""
    return [s for item in record.plan if (s := _statement(say("instructions", "item", item), item))]
