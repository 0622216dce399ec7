"""Symptoms the patient reports or denies, with what was said of their course.

Two ways a symptom enters the record: the patient names it ("my ankles swell a
little in the evening"), or the clinician asks and the patient answers ("any
fever or chills?" — "no"). A bare "no" denies every symptom asked; a "yes" to
one symptom confirms it; an answer that goes on about something else leaves the
rest "asked, not answered" (kept out of the note rather than guessed).
"""

from __future__ import annotations

import re

from ambientnote.facts.assertion import assert_term, names_others
from ambientnote.facts.lexicon import Hit, find_symptoms
from ambientnote.facts.schema import Assertion, Symptom
from ambientnote.facts.text import spoken_clean
from ambientnote.language.negation import negated_words
from ambientnote.language.phases import sentences
from ambientnote.transcript import Role, Segment

_NO = re.compile(r"^\W*(?:(?:uh|um|hmm+|well|oh)\W+)*(?:(no|nope|nah|not really|never|none|negative)\b|"
                 r"(i (?:don't|do not|haven't|have not|didn't|did not))\b(?=\W*(?:\w+\W*){0,3}$))", re.I)
# "no, i had diarrhea last week": the "no" answers the question asked; what follows is said of itself
_ANSWERING_NO = re.compile(r"^\W*(?:(?:uh|um|hmm+|well|oh)\W+)*(?:no|nope|nah)\b[\s,.]*(?=(?:i|but|just|only)\b)", re.I)
# "maybe", "i'm not sure", "i thought it was heartburn": neither a denial nor a complaint
_UNSURE = re.compile(r"\b(maybe|not sure|don't know|do not know|i thought|i guess|i wonder|could be|might be|"
                     r"i'm not certain|hard to say)\b", re.I)
# "mm-hmm. i did." reaches here as "i did." (fillers cleaned); "i did not …" is no yes
_YES = re.compile(r"^\W*(?:(?:uh|um|well|oh|it)\W+)*(yes|yeah|yep|yup|i think (?:i (?:do|have|did)|so)|"  # "it … i
                  # think i do. it's kind of hard to detect": a yes, however unsure of the word
                  r"slight|mild|i (?:do|have|did|was|am|get)(?!\s*n't|\s+not\b|"
                  r"\s+never\b)|uh-huh|a little|sometimes|occasionally|at times|every once in a while|definitely|"
                  r"correct|"
                  # "do you feel short of breath?" — "just when i'm doing the projects": yes, when
                  r"(?:just|only|mostly|usually) (?:when|if|with|after|at night|in the morning))\b", re.I)
_DURATION = re.compile(
    r"\b(?P<prep>for|about|around|over|past|last|since)\s+(?:the\s+)?"
    r"(?P<hedge>(?:(?:about|around|like|almost|over|probably|maybe|roughly)\s+)*)"  # "for probably about an hour"
    r"(?P<n>\d+|a|an|a few|a couple(?: of)?|several)\s+(?P<unit>days?|weeks?|months?|years?|hours?)\b"
    r"(?!\s+(?:after|before|later|ago|into|since))", re.I)  # "three days after i went to the er" is no duration
_RESOLVED = re.compile(r"\b(got better|went away|go away|resolved|stopped|cleared up|haven't had any|have not had any|"
                       r"have n't had any|no longer|used to|until (?:about |around )?(?:yesterday|last|this|\w+day))\b",
                       re.I)
_AGO = re.compile(r"\b(?P<n>\d+|a|an|a few|a couple(?: of)?|several)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b",
                  re.I)
_SINCE = re.compile(r"\bsince\s+(?P<when>(?:last\s+)?[a-z]+(?:\s+day)?)\b", re.I)
_SEVERITY = re.compile(r"\b(?P<n>\d{1,2})\s*(?:/|out of)\s*10\b", re.I)
_TIMING = re.compile(r"\b(in the (?:morning|evening|afternoon)|at night|every once in a while|on and off|"
                     r"constantly|all the time|intermittently|comes and goes|after (?:eating|meals)|"
                     r"with exertion|(?:when|if) i(?:'m)? (?:walk|exercis|climb|lift|exert)\w*"
                     r"(?: (?:up|upstairs|stairs|uphill|around|far|fast|a lot|heavy \w+|things|weights))?)\b", re.I)
# "right before i go to bed" is no side
_SIDE = re.compile(r"\b(left|right|both)\b(?! (?:before|after|now|here|there|away|when|then|into|back|at|in|on)\b)",
                   re.I)


def _count(n: str) -> str:
    """The count as the note may write it: digits as said, "a"/"a couple of" kept as words (the guard checks digits)."""
    return {"a couple": "a couple of"}.get(n.lower(), n.lower())


# "probably worsening in the past like six months" tells how long it has been worse, not how long it has lasted; "i
# remember that from two years ago" dates an earlier episode, not this one's onset
_NOT_HOW_LONG = re.compile(r"\b(?:worse|worsening|(?<!been )better|improving|remember\w*|last time|that time|like when|"
                           r"when i had)\W+(?:\w+\W+){0,3}$", re.I)


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    return next((m for m in pattern.finditer(text) if not _NOT_HOW_LONG.search(text[:m.start()])), None)


def _attributes(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if match := _first(_DURATION, text):
        unit = match["unit"].lower()
        count = _count(match["n"])
        hedged = f"{match['prep']} {match['hedge']}"  # "about 3 weeks", "for probably about an hour"
        about = "about " if re.search(r"\b(?:about|around|probably|maybe|roughly)\b", hedged, re.I) else ""
        out["duration"] = f"{about}{count} {unit.rstrip('s')}{'' if count in ('1', 'a', 'an') else 's'}"
    elif match := _first(_AGO, text):
        out["onset"] = f"{_count(match['n'])} {match['unit'].lower()} ago"
    elif match := _SINCE.search(text):
        out["onset"] = f"since {match['when']}"
    if match := _SEVERITY.search(text):
        out["severity"] = f"{match['n']}/10"
    if match := _TIMING.search(text):
        timing = match[0].lower()
        if re.match(r"(?:when|if) i", timing):  # "if i'm exerting any energy": with exertion
            timing = "with " + re.sub(r"^exert\w*", "exertion", re.sub(r"^(?:when|if) i(?:'m)? ", "", timing))
        out["timing"] = timing
    return out


def _symptom(hit: Hit, evidence: list[str], speaker: str, assertion: Assertion, context: str) -> Symptom:
    attrs = _attributes(context) if assertion in (Assertion.present, Assertion.historical) else {}  # an episode too:
    # "i felt a little chest pain for probably about an hour or so"
    side = (_SIDE.search(context[max(0, hit.start - 25):hit.end])
            if assertion == Assertion.present and not _SIDE.match(hit.term) else None)  # "right elbow pain" has one
    return Symptom(name=hit.term, system=hit.group, evidence=evidence, speaker=speaker,
                   assertion=assertion, side=("bilateral" if side and side[1].lower() == "both" else
                                              side[1].lower() if side else None), **attrs)


def _asked(question: Segment, answer: Segment, more: Segment | None = None) -> list[Symptom]:
    """Symptoms named in a clinician's question, as the answer settles them; ``more``: the answer's rest, said after
    the clinician's "mm-hmm"."""
    asked_text = spoken_clean(question.text)
    said = sentences(asked_text)
    last = [s for s in said if s.endswith("?")]
    if not last and said and (trailing := _TRAILING_QUESTION.search(said[-1])):
        last = [trailing["q"] + "?"]  # "… your ankles were swelling a little bit too and did you have some shortness
        # of breath": a run-on turn ending on its question, which speech gave no question mark
    if not last and said and re.match(r"(?:(?:okay|and|so|alright|all right)\W+)*any\b", said[-1], re.I) and len(
            said[-1].split()) <= 8:
        last = [said[-1] + "?"]  # "okay any numbness any tingling": asked without its question mark
    if not last or not _PRESENCE_QUESTION.search(last[-1]) or _HOW_IS_IT_GOING.search(asked_text):
        return []  # "what caused the chest pain? did you wake up with it?" — "no" denies no symptom; "how about your
        # acid reflux? how are you doing with …" asks how a known condition is going, and "yeah, pretty good" answers
    hits = find_symptoms(last[-1])
    reply = spoken_clean(f"{answer.text} {more.text}" if more else answer.text)
    if not hits:
        return []
    in_reply = find_symptoms(reply)
    named = {h.term for h in in_reply}
    ids = [question.id, answer.id, *([more.id] if more else [])]
    if mild := [h for h in in_reply if h.term in {a.term for a in hits} and re.search(
            r"\b(?:maybe|just|only) (?:a (?:little )?bit of|a little|some|slight|mild)\s+$", reply[:h.start], re.I)]:
        # "any numbness, any tingling?" — "but just maybe a little bit of tingling": a mild yes, in the asked word
        # ("not really. maybe a bit of nausea": the rest asked is denied)
        return [_symptom(h, ids, "patient", Assertion.present, reply) for h in mild] + (
            [_symptom(h, ids, "patient", Assertion.denied, "") for h in hits if h.term not in named]
            if _NO.match(reply) else [])
    if _UNSURE.search(reply.split(".")[0]):
        return [_symptom(h, ids, "patient", Assertion.unanswered, "") for h in hits if h.term not in named]
    if _NO.match(reply):
        # "no chest pain. my ankles swell" denies only what the reply does not take up itself
        return [_symptom(h, ids, "patient", Assertion.denied, "") for h in hits if h.term not in named]
    if _YES.match(reply) and len(hits) == 1:
        return [_symptom(hits[0], ids, "patient", Assertion.present, reply)]
    return [_symptom(h, ids, "patient", Assertion.unanswered, "") for h in hits if h.term not in named]


_TRAILING_QUESTION = re.compile(r"(?:^|\b(?:and|so|but)\s+|(?=\bis your\b))(?P<q>(?:(?:did|do|have|are) you (?:have|"
                                r"had|get|feel|notice|been having|having)|is your)\b[^.?!,]{0,60}?)\W*$", re.I)
# A question about whether a symptom is there: "any fever?", "do you have chest pain?", "fever or chills?"
_HOW_IS_IT_GOING = re.compile(r"\bhow (?:are|have) you (?:been )?doing with\b|\bhow(?:'s| is| has) (?:that|it|this) "
                              r"(?:been )?going\b|\bhow(?:'s| is) (?:that|it) doing\b", re.I)
_PRESENCE_QUESTION = re.compile(
    # "how about, you know, other symptoms, like, have you had a fever or chills?": the question after its lead-in
    r"^(?:[a-z ,']{0,60},\s+)?(?:(?:and|so|okay|any other|also|what about|how about|um|uh)\W+)*"
    r"(?:any\b|have you (?:had|noticed|been having|"
    r"experienced|felt|got)|do you (?:have|get|feel|notice|ever)|are you (?:having|experiencing|feeling|getting|"
    r"waking)|did you (?:have|notice|get|feel)|is there any|were you|has there been|no\b|[a-z ,]{0,40}\?$|"
    r".*\bis (?:your|the) [a-z ]{0,40}\?$)", re.I)  # "now is your is your stream … weak?"
# A past episode: a past-tense verb of the patient's with a time in the past ("over the weekend i felt chest pain")
_EPISODE = re.compile(r"\b(?:i (?:was|had|felt|got)|it was)\b.*\b(?:over the weekend|last (?:week|night|month|weekend)|"
                      r"yesterday|ago|that day|at the time|"
                      r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
                      r"|\b(?:over the weekend|last (?:week|night|month|weekend)|yesterday|that day)\b.*"
                      r"\b(?:i (?:was|had|felt|got)|it was)\b", re.I)
_HOW_LONG = re.compile(r"\b(how long|when did|since when|how many (?:days|weeks|months))\b", re.I)


_THEN_RESOLVED = re.compile(r"^(?:but|and)\s+(?:it|that|they|those|this)\b", re.I)
# "so they've always got …" said right after naming other people: a sentence about them
_THEIR_TURN = re.compile(r"^(?:(?:so|and|but|well|oh)\W+)*(?:they|he|she)"
                         r"(?:'ve|'re|'s|'d| have| are| has| is| get| got)?\b", re.I)
_NAMING = re.compile(r"\b(?:for|help with|help you with|go for)\s+(?:the\s+|some\s+)?$", re.I)
_NAMED = re.compile(r"\s+(?:study|program|programs|plan|plans|surgery|medications?|medicines?|pills?|clinic|goals?|"
                    r"shots?|injections?|drugs?|trial|group)\b", re.I)


def _said(segment: Segment, previous: Segment | None, asked: Segment | None, answer: Segment | None) -> list[Symptom]:
    """Symptoms the patient names in their own words, with the course said in that sentence.

    When the clinician next asks how long, the answer's duration is the course of every symptom of the turn
    ("i feel lightheaded" — "how long has that been going on?" — "about five weeks"), and it is cited too.
    """
    out = []
    course = ""
    ids = [segment.id]
    if asked is not None and answer is not None and _HOW_LONG.search(asked.text):
        course, ids = spoken_clean(answer.text), [segment.id, asked.id, answer.id]
    said = [c for s in sentences(spoken_clean(segment.text)) for c in re.split(r",\s+(?=(?:my|i|but|and my|it)\b)", s)]
    for n, sentence in enumerate(said):  # "no chest pain, my ankles swell": the denial ends at the comma
        if sentence.endswith("?"):
            continue
        sentence = _ANSWERING_NO.sub("", sentence)
        others = bool(n and _THEIR_TURN.match(sentence) and names_others(said[n - 1]))
        for hit in find_symptoms(sentence):
            if _NAMING.search(sentence[:hit.start]) or _NAMED.match(sentence[hit.end:]):
                continue  # "the weight loss study", "chromium for weight loss": a goal or a name, not a symptom
            assertion = assert_term(sentence, hit.said, previous=previous.text if previous else None)
            if _UNSURE.search(sentence) and assertion == Assertion.present:
                assertion = Assertion.possible  # "i thought it was just heartburn" is a guess, not a symptom
            if re.search(rf"{re.escape(hit.said)}\W+(?:no|nope|none|not really)\b", sentence, re.I):
                assertion = Assertion.denied  # "diarrhea? no" said as one turn: "diarrhea no"
            after = said[n + 1] if n + 1 < len(said) else ""  # "i was having chest pains, but it stopped"
            resolved = (_RESOLVED.search(sentence) if _of_this(_RESOLVED.search(sentence), sentence, hit) else None) \
                or (_THEN_RESOLVED.match(after) and _RESOLVED.search(after))
            if (resolved or _EPISODE.search(sentence)) and assertion == Assertion.present:
                assertion = Assertion.historical  # "the chest pain got better", "over the weekend i felt …"
            if assertion == Assertion.denied and not set(hit.said.lower().split()) & negated_words(sentence):
                assertion = Assertion.possible  # a denial must sit next to its term ("no, just kind of a headache")
            if others:  # "i have little kids at school. so they've always got runny noses": the kids', not hers
                assertion = Assertion.family
            symptom = _symptom(hit, [segment.id], "patient", assertion, sentence)
            if assertion == Assertion.present and course and not (symptom.duration or symptom.onset):
                extra = _attributes(course)
                symptom.duration, symptom.onset = extra.get("duration"), extra.get("onset")
                if symptom.duration or symptom.onset:
                    symptom.evidence = ids
            out.append(symptom)
    return out


def _of_this(said: re.Match[str] | None, sentence: str, hit: Hit) -> bool:
    """Whether what ``said`` tells (gone, never had) is of this symptom, not of the clause before a new one begins:
    "i haven't had any real problems there i have had some swelling in my ankles though"."""
    if said is None:
        return False
    between = sentence[said.end():hit.start] if said.end() <= hit.start else ""
    return not re.search(r",|\b(?:but|though|however)\b|\bi (?:have|'ve|do|am|was|get|got|had)\b", between, re.I)


def _answer_goes_on(after: list[Segment]) -> Segment | None:
    """ "any numbness, any tingling?" — "i can feel my fingers still" — "mm-hmm" — "but just maybe a little bit of
    tingling": the patient's turn after the clinician's backchannel goes on with the answer."""
    if len(after) == 2 and after[0].role == Role.clinician and after[1].role != Role.clinician and re.fullmatch(
            r"\W*(?:mm-?hmm|uh-huh|okay|ok|right|yeah|sure)\W*", after[0].text, re.I) and re.match(
            r"\W*(?:but|and|just|only|maybe|or)\b", after[1].text, re.I):
        return after[1]
    return None


def find_symptoms_in(segments: list[Segment]) -> list[Symptom]:
    """Every symptom of the history, merged by name: a present report wins over a denial asked earlier."""
    found: list[Symptom] = []
    for n, seg in enumerate(segments):
        previous = segments[n - 1] if n else None
        following = segments[n + 1] if n + 1 < len(segments) else None
        if seg.role == Role.clinician and following is not None and following.role != Role.clinician:
            found.extend(_asked(seg, following, _answer_goes_on(segments[n + 2:n + 4])))
        elif seg.role != Role.clinician:
            found.extend(_said(seg, previous, following, segments[n + 2] if n + 2 < len(segments) else None))
    merged: dict[str, Symptom] = {}
    # a report outranks a denial asked later ("no chest pain while doing your exercises?") — an episode too — but
    # not a later "the chest pain and swallowing problem got better": what was reported has since resolved
    rank = {Assertion.present: 4, Assertion.historical: 3, Assertion.denied: 2, Assertion.possible: 1}
    said = {seg.id: seg.text for seg in segments}
    for symptom in found:
        key = symptom.name
        resolved_since = (key in merged and merged[key].assertion == Assertion.present
                          and symptom.assertion == Assertion.historical
                          and any(_RESOLVED.search(said.get(i, "")) for i in symptom.evidence))
        if key not in merged or resolved_since or rank.get(symptom.assertion, 0) > rank.get(merged[key].assertion, 0):
            if key in merged and merged[key].assertion == symptom.assertion:
                continue
            merged[key] = symptom
        elif merged[key].assertion == symptom.assertion:
            merged[key].evidence = list(dict.fromkeys(merged[key].evidence + symptom.evidence))
    return _orthopnea(segments, list(merged.values()))


# "i'm just choking a few minutes after i lay down to sleep, i just can't catch my breath": breathlessness lying down
_LYING = r"(?:lay|lie|lying|laying) (?:down|flat|in bed)"
_BREATHLESS = (r"(?:short of breath|can(?:'t| ?not| n't) (?:catch my breath|breathe)|choking|"
               r"(?:difficulty|trouble) breathing)")
_ORTHOPNEA = re.compile(rf"\b{_LYING}\b[^?!]{{0,60}}\b{_BREATHLESS}|\b{_BREATHLESS}[^?!]{{0,60}}\b{_LYING}\b", re.I)


def _orthopnea(segments: list[Segment], symptoms: list[Symptom]) -> list[Symptom]:
    """Breathlessness on lying down is orthopnea, and the trouble sleeping it causes is not insomnia (train D2N063
    read "Psychiatric: Reports insomnia." for a woman choking minutes after lying down: round 28, wrong)."""
    ids = [seg.id for seg in segments if seg.role != Role.clinician and (said := spoken_clean(seg.text)) and (
        lying := _ORTHOPNEA.search(said)) and not re.search(r"\b(?:no|not|never)\b|n't\b",
                                                            said[max(0, lying.start() - 20):lying.start()], re.I)]
    if not ids:
        return symptoms
    kept = [s for s in symptoms if not (s.name == "insomnia" and s.assertion == Assertion.present)
            and s.name != "orthopnea"]
    return kept + [Symptom(name="orthopnea", system="respiratory", evidence=ids, speaker="patient",
                           assertion=Assertion.present)]
