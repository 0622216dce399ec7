"""What was measured and found: vital signs, exam findings by body system, results.

Clinicians say these aloud ("your pressure today is 152 over 96", "on your heart
exam I do appreciate a three out of six systolic ejection murmur", "your x-ray
shows good bony alignment"). Each is reduced to the finding itself: the address
to the patient, the announcing verb and the hedges go, the finding's words stay.
A blood pressure the patient reads at home is history, not a vital sign.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ambientnote.facts.lexicon import exam_system, find_named, lexicon
from ambientnote.facts.numbers import digits
from ambientnote.facts.prior_results import PRIOR
from ambientnote.facts.result_lines import READING_BREAK, is_study, labelled, only_said, site_of, test_named, unrepeated
from ambientnote.facts.schema import ExamFinding, Result, Vital, VitalRemark
from ambientnote.facts.text import clauses, plain, sentence, spoken_clean, units
from ambientnote.language.statement_style import statement_faults
from ambientnote.language.terms import terms_alternation
from ambientnote.transcript import Role, Segment

_BP = re.compile(r"\b(?P<sys>\d{2,3})\s*(?:over|/)\s*(?P<dia>\d{2,3})\b", re.I)
_NUM = r"(?P<value>\d{1,3}(?:\.\d)?)"
_HOME = re.compile(r"\b(at home|home (?:readings?|monitor)|my readings|i (?:check|checked|take|took) (?:it|them|my)|"
                   r"cuff)\b", re.I)
_PRIOR = re.compile(r"\b(last time|last visit|previous\w*|prior|before|used to be|in the (?:er|emergency)|at the (?:er|"
                    r"hospital)|ago)\b", re.I)  # "your blood pressure was 200 over 90 in the er": not today's
_NORMAL_VITALS = re.compile(r"\b(vital signs?|vitals)\b[^.?!]{0,120}?\b(look|looks|are|were|is)\s+"
                            r"(?:really |pretty |very )?"
                            r"(good|normal|fine|stable|great|ok|okay|unremarkable)\b", re.I)
# Lead-ins that announce a finding without being part of it.
_EXAM_LEAD = re.compile(
    r"^(?:(?:so|and|but|now|also|well|okay|alright|all right|overall|sorry)\b[\s,]*)*"
    r"(?:(?:the\s+)?physical\s+exam(?:ination|s)?\s+(?:shows?|showed|reveals?|revealed|demonstrates?|is notable for)"
    r"\s+|(?:on|in)\s+(?:your|the|his|her|my)?\s*(?:physical\s+)?(?:exam(?:ination)?|evaluation)(?:\s+(?:of|today))?"
    r"(?:\s+(?:your|the|his|her))?\s*,?\s*|(?:on\s+)?looking at (?:your|the)\s+|"
    r"when i (?:look|listen) (?:at|to) (?:your|the)\s+)?",
    re.I)
_SYSTEM_LEAD = re.compile(r"^(?:(?:on|for)\s+)?(?:your|the|his|her)?\s*(\w+(?:\s+\w+)?)\s+exam(?:ination)?\s*,?\s*",
                          re.I)
_ANNOUNCE = re.compile(r"\b(?:(?:you|the patient) (?:are|were|is|was) positive for|you do note(?: that)?|"
                       r"i (?:do )?(?:still |also )?"
                       r"(?:appreciate|see|hear|feel|notice|note|find|recognize|identify|observe|smell)(?: that)?|"
                       r"i do have|"
                       r"you (?:do )?(?:still |also )?have|there (?:is|are)|"
                       r"there's|i'm (?:seeing|hearing|noticing)|it (?:looks|seems) like|"
                       r"^notic(?:e|ed)(?: that)?)\s+", re.I)  # dictated without its "i": "noticed some swelling"
_NOT_FOUND = re.compile(r"^(?:but\s+|and\s+)?(?:i (?:do not|don't|do n't|did not|didn't) (?:appreciate|see|hear|feel|"
                        r"notice|note|find|recognize|identify|observe|smell)|"
                        r"(?:you|there) (?:do not|don't|do n't|does not|doesn't) (?:have|seem to have|appear to have)|"
                        r"there (?:is not|isn't|are not|aren't))\s+(?:any\s+)?", re.I)
# unpunctuated negatives run together: a new one starts at "no" unless "or", "and" or "with" binds it
_NEXT_NEGATIVE = re.compile(r"(?<=[a-z])(?<! or)(?<! and)(?<! with)(?<! but)(?<! have)(?<! has)(?<! is)(?<! are)"
                            r"(?<! be)(?<! was)(?<! were)(?<! there)\s+(?=no\s+[a-z])", re.I)
# "your heart, i hear a slight murmur": the organ named before the announcement is the finding's system, not its words
_NAMED_FIRST = re.compile(r"^(?:(?:your|the|his|her|on)\s+)?\w+(?:\s+\w+)?\s*,\s*(?=(?:i|you|there)\b)", re.I)
# ", and you don't have any edema", ", so i think …": a second finding, or the clinician's reasoning, joined on
_JOINED = re.compile(r",\s+(?:and|but|so)\s+(?=(?:you|i|there)\b)|\s+(?=you do note\b|you (?:are|were) positive for\b)|"
                     # unpunctuated: "… little bit of jvd no bruits your lung exam you have some crackles …"
                     r"(?<=[a-z])(?<!\bon)\s+(?:and\s+)?(?=(?:your|the) \w+(?: \w+)? exam(?:ination)?\b)|"
                     r"(?<=[a-z])\s+(?=otherwise (?!sounds?\b|looks?\b|seems?\b|is\b|are\b)\w)|"
                     r"\s+(?:and\s+)?(?=on (?:(?:your|the|his|her)\s+)?\w+(?:\s+\w+)? exam(?:ination)?\b)|"
                     # unpunctuated: "… a focused exam of your right foot the there is some bruising … and i do
                     # appreciate the associated swelling and i also recognize that you do have tenderness"
                     r"\s+(?:and\s+)?(?=i (?:do |also )?(?:appreciate|note|notice|recognize|identify)\b)|"
                     # "… no carotid bruit looking at your listening to your heart i do n't appreciate any murmur"
                     r"(?<=[a-z])\s+(?:and\s+)?(?=i (?:do not|don't|do n't) appreciate\b|"
                     r"(?:looking at|listening to) (?:your|the)\b)|"
                     r"(?:(?<=foot)|(?<=knee)|(?<=hand)|(?<=\barm)|(?<=\bleg)|(?<=\bhip))\s+(?:the\s+)?"
                     r"(?=there (?:is|are)\b)|"
                     # "there is no peritoneal signs there is positive cva tenderness on the right flank"
                     r"(?<=[a-z])(?<!\band)(?<!\bbut)(?<!\bso)(?<!\bthat)(?<!\bif)(?<!\bwhether)(?<!\bthink)(?<!\bsee)"
                     r"(?<!\bwhere)(?<!\bsay)(?<!\bnote)(?<!\bsure)\s+"
                     r"(?=there (?:is|are|'s) (?:no|positive|negative|some|mild|moderate|severe|a|an)\b)|"
                     # "… and that is stable your lungs you want to take a deep breath for me lungs are clear"
                     # "… some mild swelling and bruising that's really interesting since … are you able to bend it",
                     # "… clear so good good and your extremities …": a comment on the finding, or the next question,
                     # run on after it
                     r"\s+so (?:good|great)(?:\s+(?:good|great))*(?:\s+and)?\s+(?=(?:your|the)\b)|"
                     r"(?<=[a-z])\s+(?=(?:that's|that is|which is) (?:really |very )?(?:interesting|good|great|"
                     r"reassuring|normal|fine|expected)\b|(?:are|can|do|did) you (?:able|feel|have|bend|move)\b|"
                     r"(?:does|did) (?:that|it|this) (?:hurt|bother)\b)|"
                     r"(?<=[a-z])\s+(?:and\s+)?(?=(?:(?:your|the)\s+)?(?:lungs|heart|abdomen|belly)\s+(?:is|are|sounds?)\b|"
                     r"(?:your|the)\s+(?:lower|upper)\s+extremities\s+(?:show|have|are)\b)", re.I)
_INTENT = re.compile(r"\b(i'm going to|i'm gonna|i am going to|i want to|i'd like to|let me|let's|we're going to|"
                     r"i'll|can you|could you|go ahead and|what (?:does|that)|means|i think|we'll|we will|"
                     r"i wanted to)\b", re.I)
_RESULT_LEAD = re.compile(r"^(?:(?:so|and|now|okay)\b[\s,]*)*(?:(?:in )?(?:looking (?:here )?at|reviewing|review of|"
                          r"i reviewed|i did review|"
                          r"i looked at|we got|we have)\s+(?:the\s+)?(?:results? of\s+)?(?:your|the)\s+)", re.I)
_SHOWS = re.compile(r"^.*?\b(?:it |this |that )?(?:(?:does |do )?(?:shows?|showed|demonstrates?|demonstrated|"
                    r"reveal(?:s|ed)?|"
                    r"looks? like|look)(?: that)?|came back(?: as)?|there (?:is|was)|there's|"
                    # "(the lab work) and it is consistent with an iga deficiency"; not "your symptoms are …"
                    r"(?:(?<=\bit )|(?<=\bthey ))(?:is|are|was|were)(?= consistent with\b)|"
                    r"what i(?:'m| am)? (?:see|seeing)(?: here)? is)\s+", re.I)
_NOTICED = re.compile(r"^.*?\band i (?:do |also )?(?:notice[d]?|note[d]?|see|appreciate)\s+(?:that\s+)?(?=\w)", re.I)
# "… the proximal right ureter and that's that duct … there is no evidence of hydronephrosis": a second finding said
# without a pause
_NEXT_READING = re.compile(r"(?<=[a-z])(?<!\band)(?<!\bbut)(?<!\bso)(?<!\bthat)(?<!\bif)(?<!\bwhether)(?<!\bsee)"
                           r"\s+(?=there(?: is| are|'s) no evidence\b)", re.I)
_CONTINUES = re.compile(r"^(?:(?:so|and|but|okay|now)\W+)*(?:it|this|that|which|there(?:'s| is| are| was)|no|good|"
                        r"all (?:were|are|was|is|came)|everything|"  # "… including cbc, unes and crp. all were normal"
                        r"i (?:did )?review(?:ed)? the results\b|"  # "… shoulder x-ray. now i reviewed the results"
                        r"normal|your \w+ (?:is|are|looks?)|"  # "… chest x-ray. … your diaphragm is a little flatter"
                        r"i (?:do not|don't|do n't) (?:see|appreciate)|the good news|luckily|fortunately|"
                        r"unfortunately)\b", re.I)
# a test still to come, or why it was done ("there was concern about a capsular strain"): not what it showed
_PLANNED = re.compile(r"\b(could|would|can|will|might|may|if|we'd|going to|gon na|to look|to see|to check|to make sure|"
                      r"make sure|ensure|to confirm|to evaluate|to monitor|order|schedule|"
                      r"to (?:know|do|get|find out|rule out)|"
                      r"the only way|needs? to|concern(?:ed)? (?:about|for|of)|(?:that|it)(?:'s| is) for|"
                      r"reasons? (?:to|for))\b",
                      re.I)  # "that's for colon cancer screening, but there are other reasons to have a colonoscopy"
_RESULT_VERB = re.compile(r"\b(shows?|showed|demonstrates?|demonstrated|reveal|reveals|revealed|is|was|were|are|"
                          r"came back|"
                          r"looks?|looked|has been|appears?|seems?|there's|(?:that|it|this)'s)\b", re.I)

# "hey, dragon, show me the diabetes labs": the virtual assistant puts a test on screen for the clinician to read out
_SHOW_ME = re.compile(r"^(?:(?:okay|so|and|now|um|well|alright|all right|hey|dragon)\W+)*(?:show|pull up|bring up)\s+"
                      r"(?:me\s+)?(?:the|your)\b(?!.*\b(?:shows?|showed|is|was|are|were)\b)", re.I)
_ASIDE = re.compile(r"(?<=\w)(?:,\s*(?:(?:so|and|but)\W+)?(?:last time|previously)|(?:,\s*|\s+)(?:(?:so|and|but)\W+)?"
                    r"(?:i think|we(?:'ll| will| need| should)|i (?:wan na|want)))\b.*$", re.I)
# "worked out for worsening headaches was initiated with brain mri and serology where pituitary lesion was
# incidentally discovered" (D2N074, ASR's "worked out" for "workup"): how the problem came to light is history
_WORKUP = re.compile(r"\bwork(?:ed)?[- ]?(?:up|out)\b.*\b(?:initiated|started|began|done|revealed|discovered)\b|"
                     r"\bincidentally (?:discovered|found|noted)\b", re.I)

_VITAL_FILLERS = re.compile(r"\b(?:like|about|around|roughly|approximately|just|only|um|uh)\s+", re.I)


def _masked(match: re.Match[str]) -> str:
    """A blood pressure blanked out, so its diastolic is not read as the oxygen saturation said before it."""
    return " " * len(match[0])


def _reading(name: str, tail: str, plausible: list[float]) -> re.Match[str] | None:
    """The first value after a vital's name that could be that vital ("look at 90 97.2" → 97.2 for a
    temperature, the 90 being a restart)."""
    if name == "blood pressure":
        return next((m for m in _BP.finditer(tail) if plausible[0] <= int(m["sys"]) <= plausible[1]), None)
    near = re.match(r"^\D{0,30}", tail)
    for match in re.finditer(rf"{_NUM}\b", tail[:(near.end() if near else 0) + 12]):
        if plausible[0] <= float(match["value"]) <= plausible[1]:
            return match
    return None


def mild(text: str) -> str:
    """"a little bit of fluid" → "mild fluid", "a little bit reduced" → "mildly reduced", as findings are written."""
    text = re.sub(r"\b(?:(?:a )?little bit of|a little of|a bit of|slight),?\s+(?:an?\s+)?", "mild ", text, flags=re.I)
    return re.sub(r"\b(?:(?:a )?little bit|a little|a bit|slightly)\s+"
                  r"(?=\w+ed\b|\w+er\b|tender|swollen|low|high|red|warm|weak|irregular|abnormal)", "mildly ",
                  text, flags=re.I)


_THRESHOLD = re.compile(r"\b(?:greater|more|higher|less|lower|fewer) than\s*$|\b(?:above|below|under|at least|"
                        r"target|goal)\s*(?:of\s*)?$", re.I)


def find_vitals(segments: list[Segment]) -> list[Vital]:
    """Vital signs with values said in the visit; office readings from the clinician, home ones from anyone."""
    vitals: dict[tuple[str, str], Vital] = {}
    table = lexicon("vitals")["vitals"]
    every_name = "|".join(re.escape(s) for spec in table.values() for s in sorted(spec["said"], key=len, reverse=True))
    for n, seg in enumerate(segments):
        # "how is your blood pressure doing at home?" … "so what has it been running?": the question asked over
        # the last few turns
        spoken = spoken_clean(seg.text)
        asker = next((s for s in reversed(segments[max(n - 6, 0):n]) if re.search(r"\b(pressure|readings?)\b",
                                                                                 s.text, re.I)), None) if (
            seg.role != Role.clinician and not re.search(r"pressure", seg.text, re.I)) else None
        if asker and (bp := _BP.search(spoken)):
            # "how high have the readings been?" — "mostly around 150 over 95": a home reading
            peak = re.search(r"\b(?:as high as|up to|high as)\s*$", spoken[:bp.start()], re.I)
            vitals.setdefault(("blood pressure", "home"), Vital(
                name="blood pressure", value=f"{bp['sys']}/{bp['dia']}", unit="mmHg", loinc=table["blood pressure"][
                    "loinc"], setting="home", evidence=list(dict.fromkeys([asker.id, segments[n - 1].id, seg.id])),
                speaker="patient", qualifier="as high as" if peak else None))
        parts = clauses(seg.text)
        for k, part in enumerate(parts):
            if part.endswith("?"):
                continue
            lowered = part.lower()
            home = bool(_HOME.search(lowered)) or seg.role != Role.clinician
            for name, spec in table.items():
                said = "|".join(re.escape(s) for s in sorted(spec["said"], key=len, reverse=True))
                value, tail = None, ""
                # "how has your pulse ox been at home … your oxygen level here is like 92": the name said again
                # with its value
                for where in re.finditer(rf"(?<![\w-])(?:{said})(?![\w-])", lowered):
                    # "your blood pressure is a little elevated. … we are looking at like 140 over 70": the value
                    # may come in the next clause; fillers ("at like about like 80") are not distance
                    tail = _VITAL_FILLERS.sub("", " ".join([part[where.end():], *parts[k + 1:k + 2]]))[:160]
                    if name != "blood pressure":  # "your heart rate, your spo2 was 98 percent": the next vital's
                        tail = re.split(rf"(?<![\w-])(?:{every_name})(?![\w-])", _BP.sub(_masked, tail),  # value
                                        maxsplit=1, flags=re.I)[0]
                    if value := _reading(name, tail, spec.get("range", [0, 999])):
                        break
                text = ((f"{value['sys']}/{value['dia']}" if name == "blood pressure" else value["value"])
                        if value else None)
                if not text or (seg.role == Role.clinician and value and _PRIOR.search(tail[:value.start()])):
                    continue  # "your blood pressure was 200 over 90 last time" is not today's reading
                if value and _THRESHOLD.search(tail[:value.start()]):
                    continue  # "the criteria is a bmi greater than 30": a cut-off, not a measurement
                here = seg.role == Role.clinician and re.search(r"\b(?:here|in the office|in clinic)\b",
                                                                  tail[:value.start()] if value else "")
                setting = "home" if home and not here else "office"  # "… at home? your oxygen level here is 92"
                vitals.setdefault((name, setting), Vital(
                    name=name, value=text, unit=spec["unit"], loinc=spec["loinc"], setting=setting,
                    evidence=[seg.id], speaker=seg.role.value))
    return list(vitals.values())


# "your blood pressure's a little elevated here in the office", "here, your blood pressure is still high": today's
# reading judged aloud, in the present tense
_REMARK = (r"\b(?:your|the|his|her) (?P<said>{said})(?:'s| is| are| looks| seems)\s+"
           r"(?:(?:still|a little|a little bit|a bit|slightly|mildly|somewhat|quite|very|pretty|definitely|really)\s+)*"
           r"(?P<finding>elevated|high|up|low)\b")


def remarked_vitals(segments: list[Segment]) -> list[VitalRemark]:
    """Vital signs the clinician called elevated or low without saying the value; one remark per vital."""
    remarks: dict[str, VitalRemark] = {}
    for name, spec in lexicon("vitals")["vitals"].items():
        if name not in ("blood pressure", "heart rate", "respiratory rate", "temperature", "oxygen saturation"):
            continue
        said = "|".join(re.escape(s) for s in sorted(spec["said"], key=len, reverse=True))
        for seg in segments:
            if seg.role != Role.clinician or name in remarks:
                continue
            for part in clauses(seg.text):
                said_here = re.search(_REMARK.format(said=said), part, re.I)
                if (said_here and not part.endswith("?") and not re.search(r"\d", digits(part))
                        and not _HOME.search(part) and not _PRIOR.search(part)):
                    finding = "low" if said_here["finding"].lower() == "low" else "elevated"
                    remarks[name] = VitalRemark(name=name, finding=finding, evidence=[seg.id],
                                                speaker=seg.role.value)
                    break
    return list(remarks.values())


def normal_vitals(segments: list[Segment]) -> list[str]:
    """Segments where the clinician called the vital signs normal without reading them out (and named nothing
    abnormal beside them: "a slight fever, however your vitals look good" is not normal vital signs)."""
    return [seg.id for seg in segments if seg.role == Role.clinician and _NORMAL_VITALS.search(seg.text)
            and not re.search(r"(?<!\bno )\b(fever|febrile|elevated|high|low|tachy\w*|brady\w*|hypo\w*|hyper\w*)\b",
                              seg.text, re.I)]  # "there is no fever" is part of normal


_DICTATED = re.compile(r"^(?:(?:so|okay|and|now)\W+)*(?:we'll|i'll|we will|i will|let's)\s+"
                       r"(?:say|note|document|put down|write down)(?: that)?\s+", re.I)


# what the clinician adds for the patient after the finding: "…, which is the tip of the finger", ", which is good",
# "no lymphadenopathy swollen lymph glands" (the term said again in lay words)
_GLOSS = re.compile(r",?\s*which (?:is|was|means) (?:a |the |your |basically |kind of |like )?[^,.;]*(?=\.?$)|"
                    r"(?<=opathy|megaly)\s+(?!(?:and|or|with|of|in|on|at|over|to|from|around|along|near|noted|present|"
                    r"seen|bilaterally|is|are|was|were|no|not|nor|but|without)\b)[a-z][^.,;]*(?=\.?$)", re.I)


# "of that right knee": the side as a note names it ("of the right knee")
_THAT_SIDE = re.compile(r"\b(of|in|on|over) (?:that|this) (?=(?:right|left)\b)", re.I)
# findings said as a list without commas: "no murmur rub or gallop", "no wheezes rales or rhonchi"
_LISTED = (r"murmurs?|rubs?|gallops?|wheezes|wheezing|rales|rhonchi|crackles|clubbing|cyanosis|edema|erythema|warmth|"
           r"swelling|ecchymosis|effusion|tenderness|guarding|rebound|masses")


@lru_cache(maxsize=1)
def _commands() -> str:
    """What the clinician asks the patient to do during the exam ("open up your mouth and say ah", "bend that
    finger"): the shared manoeuvres, and a movement said of a body part."""
    return (r"(?:" + terms_alternation("exam_manoeuvres") + r"|bend (?:that|this|your|the)|"
            r"(?:turn|move|lift|raise|point|rotate|straighten|extend|flex|relax|wiggle) "
            r"(?:that|this|your|the|it|them|up|down|in|out)|come (?:back|up|down|forward)|"
            r"(?:place|put|rest|let|hold|keep|lay) (?:your|the|that|this|those|these|both) )")


@lru_cache(maxsize=1)
def _lay_words() -> tuple[re.Pattern[str], dict[str, str]]:
    written = lexicon("exam")["written"]
    said = "|".join(re.escape(w) for w in sorted(written, key=len, reverse=True))
    return re.compile(rf"\b(?:{said})\b", re.I), written


def _glossed(text: str) -> str:
    """The finding without the words added for the patient, in the exam's own words ("belly" → "abdomen")."""
    lay, written = _lay_words()
    return lay.sub(lambda m: written[m[0].lower()], _GLOSS.sub("", text))


def _finding_text(part: str, strict: bool = False) -> tuple[str, str] | None:
    """(system hint, finding) for a clause that states an exam finding, else None."""
    part = _DICTATED.sub("", part)  # "so we'll say you have some mild tenderness …": the finding, as dictated
    part = re.sub(r"\s+that i (?:can )?(?:hear|see|feel|appreciate)\b", "", part, flags=re.I)  # "rales that i can hear"
    # "… murmur you've had that in the past", "otherwise regular rate and rhythm it doesn't feel a regular"
    part = re.sub(r"\s+you(?:'ve| have) had (?:that|this|it) (?:in the past|before)\b", ", previously noted", part,
                  flags=re.I)
    part = re.sub(r"^otherwise\s+|\s+(?:it|that) (?:does|doesn't|does n't|did|didn't) (?:feel|sound|look)\b.*$", "",
                  part, flags=re.I)
    part = re.sub(r"\s+that means\b.*$", "", part, flags=re.I)  # "negative homans sign that means no blood clots"
    # "negative varus and valgus stress test that's really important"
    part = re.sub(r",?\s+(?:that|which|this)(?:'s| is) (?:really |very |pretty )?"
                  r"(?:important|good|great|reassuring)\b.*$", "", part, flags=re.I)
    part = re.sub(r"\s+and there (?:is|are|'s)\s+(?:an?\s+(?=little bit))?", ", ", part, flags=re.I)  # "crackles … and
    # there are a little bit of intermittent wheezing": one line of findings
    # "some crackles in your lungs bilaterally and what that means …", "erythema on the chest and this could be related
    # to the radiation": the explanation to the patient, or the reasoning, after the finding
    part = re.sub(r",?\s+and (?:what (?:that|this) means|(?:this|that|it) (?:could|may|might) be (?:related|due|"
                  r"secondary|from)\b).*$", "", part, flags=re.I)
    # "i do appreciate, you know, 1 to 2+ pitting edema": the filler gone, its comma with it
    part = re.sub(r"\b(appreciate|see|hear|feel|notice|note)\s*,\s+(?=[\w+])", r"\1 ", part, flags=re.I)
    # "your physical exam looks pretty normal other than you've got kind of these mild wheezes": the exception
    excepted = re.search(r"\bexam(?:ination)?\b.{0,30}?\b(?:normal|good|fine|unremarkable)\s+(?:other than|except)\b",
                         part, re.I)  # "your exam is normal other than …": the finding is announced as one
    part = re.sub(r"^.*?\bexam(?:ination)?\b.{0,30}?\b(?:normal|good|fine|unremarkable)\s+"
                  r"(?:other than|except(?: for)?)\s+(?:(?:you(?:'ve| have)? got|you have|there(?: is| are|'s))\s+)?"
                  r"(?:(?:kind|sort) of\s+)?"
                  r"(?:these\s+|those\s+|some\s+|a\s+)?", "", part, flags=re.I)
    if re.search(r"\bwhen i (?:press|push)\b", part, re.I) and not re.search(
            r"\b(tender\w*|pain\w*|swelling|swollen|crepitus|effusion)\b", part, re.I):
        return None  # a manoeuvre announced ("when i press on the inside of your knee"), not its finding
    bare = re.sub(r"^(?:(?:so|and|but|now|also|well|okay|alright|all right|um|uh)\b[\s,]*)+", "", part, flags=re.I)
    if part.endswith("?") or _INTENT.search(part) or re.search(r"\bdiagnos\w*|\bproblem\b|\bconsistent with\b|"
                                                                r"\b(?:probably|likely|possibly|think)\b|"
                                                                r"^(?:it's|it is|this is|that's|here)\b",
                                                                bare, re.I):
        return None  # an aside ("it's this finger right here") or the diagnosis, not a finding
    hint = part
    text = _EXAM_LEAD.sub("", part)
    if lead := _SYSTEM_LEAD.match(text):
        # "cranial nerve examination is grossly intact": the lead is the finding's subject, not an announcement
        rest = text[lead.end():]
        if re.match(r"(?:is|was) (?:normal|unremarkable|within normal limits)\W*$", rest, re.I):
            text = "normal"  # "neurological exam is normal": the system's line says it
        elif re.match(r"(?:is|are)\b", rest, re.I) and lead[1].lower() not in ("physical", "the physical"):
            text = f"{lead[1]} {rest}"
        else:
            text = rest
    text = _NAMED_FIRST.sub("", text)
    # "okay and you've got a good pedal pulse"
    text = re.sub(r"^(?:(?:okay|and|so)\W+)*you(?:'ve| have)? got\s+(?:an?\s+)?", "", text, flags=re.I)
    text = re.sub(r"^(?:he|she|the patient)\s+(?:has|had|does have)\s+(?=(?:an?\s+|some\s+)?(?:mild|moderate|severe|"
                  r"slight|no|\w+(?:ia|osis|itis|ema|opathy|megaly))\b)", "", text, flags=re.I)  # dictated
    announced = bool(_ANNOUNCE.search(text) or lead or excepted or re.search(r"\bexam(?:ination)?\b|\blooking at\b|"
                                                                             r"\blisten", part, re.I))
    # "i do not appreciate any bony exposure" → "no bony exposure"
    text = re.sub(r"\bwhat (?:looks|appears) like\b", "what appears to be", _NOT_FOUND.sub("no ", text), flags=re.I)
    text = re.sub(r"[\s,]+however\W*$", "", text, flags=re.I)
    text = re.sub(r"\bno (?:type|kind|sort) of\b", "no", text, flags=re.I)  # "i don't feel any type of bony tenderness"
    # unpunctuated speech runs into the next system or manoeuvre ("no crackles listen to your heart")
    text = re.split(r"\s+(?=on (?:the|your) (?:abdomen|abdominal|heart|lungs?|neck|skin|extremit\w+|back)\b|"
                    r"(?:listen|let me|lem me|i'm going|i'm gon na|i am going)\b|" + _commands() + ")", text,
                    maxsplit=1, flags=re.I)[0]
    text = re.split(r",?\s+(?:but|and) (?=(?:everything|otherwise|the rest)\b)", text, maxsplit=1, flags=re.I)[0]
    while (announce := _ANNOUNCE.search(text)) and announce.start() <= 5:  # "i see that you do have …"
        text = text[announce.end():]
    text = re.sub(r",?\s+and (?:you|we|i|that|so)\b.*$", "", text, flags=re.I)  # "… murmur and you already had that"
    # "pain when you pronate that forearm" → "pain with pronation of the forearm"
    text = re.sub(r"\bwhen (?:you|i) (pronate|supinate|flex|extend|rotate|abduct|adduct)\w* (?:that |the |your )+",
                  lambda m: f"with {_MOTION[m[1].lower()]} of the ", text, flags=re.I)
    text = _THAT_SIDE.sub(r"\1 the ", text)
    text = re.sub(r"\b(?:your|his|her)\b", "the", text, flags=re.I)
    text = re.sub(r"\byou\b", "the patient", text, flags=re.I)
    text = re.sub(r"\bwhen i (?:press|push)(?: on (?:it|there|that|here))?\b", "on palpation", text, flags=re.I)
    text = re.sub(r"\b(?:does|do) (show|have)\b", lambda m: {"show": "shows", "have": "has"}[m[1].lower()], text,
                  flags=re.I)
    text = re.sub(r",?\s*(?:which|but|and) (?:we've|we have|i've) (?:heard|seen|noted) (?:that |it )?"
                  r"(?:in the past|before)", ", unchanged", text)
    # "… which we've heard in the past, so that's stable": said once
    text = re.sub(r",?\s+so (?:that's|that is|it's|it is) (?:stable|unchanged)\b",
                  "" if "unchanged" in text else ", stable", text, flags=re.I)
    text = _glossed(units(plain(text)))
    text = re.sub(r"\b(have|has|is|are|shows?),\s+", r"\1 ", text)
    # "your heart it is a nice regular rate": the organ, then the finding said again of "it"
    text = re.sub(r"^((?:the\s+)?\w+)\s+(?:it(?: is|'s| has)|they(?: are|'re| have))\s+(?:an?\s+|some\s+)(?:nice\s+)?",
                  r"\1 has a ", text, flags=re.I)
    text = re.sub(r"^((?:the\s+)?\w+)\s+it(?: is|'s)\s+", r"\1 is ", text, flags=re.I)
    text = re.sub(r"^((?:the\s+)?\w+)\s+they(?: are|'re)\s+", r"\1 are ", text, flags=re.I)
    text = re.sub(r"^(?:(?:it|this)(?: is|'s| has)\s+)?(?:the|a|an|some)\s+(?:nice\s+)?", "", text, flags=re.I)
    text = re.sub(r"^associated\s+(?=\w)", "", mild(text), flags=re.I)  # "the associated swelling" is the swelling
    text = re.sub(r"(?:\s+(?:in there|there|here|as well|too|now|then|there right|alright|all right|okay))+\s*([.]?)$",
                  r"\1", text, flags=re.I)
    text = re.sub(r"^(\w+), (is|are)\b", r"\1 \2", text)  # "abdomen, is soft"
    text = re.sub(r"^(heart|abdomen|belly)'s (?=(?:slightly|mildly|very|a little|\w+ed)\b)", r"\1 is ", text,
                  flags=re.I)  # "your belly's slightly distended"
    text = re.sub(r"^(heart|abdomen|belly)'s (?:at )?(?:a |an )?", r"\1 has a ", text, flags=re.I)  # "heart's at a …"
    # dictated "musculoskeletal, he is non-tender over the cervical spine": the system is the line's title
    text = re.sub(r"^(?:musculoskeletal|neurologic(?:al)?|cardiovascular|respiratory|skin|psychiatric)[,:]\s+"
                  r"(?:(?:he|she|the patient) is\s+)?", "", text, flags=re.I)
    text = re.sub(r"\b(?:nice|good) and (?=clear|regular|soft)|\bnice\s+(?=regular|clear|soft|normal)", "", text,
                  flags=re.I)
    text = re.sub(r"\s+(?:is|are|was|were) appreciated\W*$", "", text, flags=re.I)
    text = re.sub(rf"\bno ({_LISTED}) ({_LISTED}) or ({_LISTED})\b", r"no \1, \2 or \3", text, flags=re.I)
    text = re.sub(r"[\s,]*\b\w+-$", "", text)  # a word cut off by the next speaker ("distention to-")
    text = re.sub(r",?\s+or anything\b.*$", "", text, flags=re.I)  # "no tenderness or guarding or anything that …"
    # "no hematoma so that's good and …": the comment, and what follows it
    text = re.sub(r",?\s+(?:so )?(?:that's|that is|it's|it is) (?:good|great|fine|reassuring)\b.*$", "", text,
                  flags=re.I)
    text = re.sub(r",\s+bilateral\W*$", " bilaterally", text, flags=re.I)  # "lungs are clear, bilateral"
    text = re.sub(r"\s+and (?:how|what|where|why|when)\W*$", "", text, flags=re.I)  # "… range of motion and how"
    text = re.sub(r"\s+and also (?=no\b)", " ", text, flags=re.I)  # "no … adenopathy and also no …": two negatives
    # "… murmurs that"
    text = re.sub(r"(?:\s+(?:that|which|and|but|so|with|the|a|of|to))+\s*\.?$", "", text, flags=re.I)
    if (len(re.findall(r"[a-z]{3,}", text.lower())) < 2 and not re.fullmatch(
            r"no [a-z]{7,}\.?|normal|(?:swelling|edema|erythema|ecchymosis|bruising|effusion|crepitus)\.?", text, re.I)
            or re.search(r"\b(i|me|my|we|us|our|if|any|anything|watch|call|people|interesting|lot of|gon na|"
                         r"pretty good|template|take out)\b|^(?:feeling|looking at|listening to)\b|"
                         r"^on (?:the|your) [a-z ]+\W*$|"
                         r"\b(?:is|does|did|was) (?:that|it|this)\b|\b(?:worried|concerned|taking|going to)\b",
                         text, re.I)
            or find_named(text, "medications") or re.match(r"(?:that|this|those|these)\b|" + _commands(), text, re.I)
            or re.fullmatch(r"(?!(?:negative|positive)\b)[\w\s'-]+ (?:test|maneuver|sign)\.?", text, re.I)  # the
            # manoeuvre, not its result ("negative homans sign" is one)
            or re.search(r"\bexam(?:ination)?\b|\b(?:notice|see|hear|appreciate)\b", text, re.I)
            or re.search(r"\b(?:report|pathology|results?)\b", text, re.I)):  # a result read out, not examined
        return None  # the announcement without its finding ("for your heart exam notice that")
    if strict and not announced and not re.match(r"^(?:the\s+)?\w+(?: \w+)? (?:is|are|was|were|looks?|sounds?|"
                                                 r"shows?)\b", text, re.I):
        return None  # past the exam, only a finding said as one ("on your knee exam …", "your lungs are clear")
    return hint, text


_READS_IMAGES = re.compile(r"\b(?:show me|pull up|look(?:ing)? at|review(?:ing)?|reviewed)\s+(?:the |your )?"
                           r"(?:diagnostic |imaging |x-?ray |lab )*(?:x-?\s?rays?|mri|ct|cat scan|ultrasound|images?|"
                           r"films?|results?)\b|\bwe (?:did|got|took|obtained)(?: do)? an? (?:x-?ray|mri|ct)\b", re.I)


_MOTION = {"pronate": "pronation", "supinate": "supination", "flex": "flexion", "extend": "extension",
           "rotate": "rotation", "abduct": "abduction", "adduct": "adduction"}
_DIAGNOSIS_WORD = re.compile(r"\b(?:sprain|strain|fracture|tear|syndrome|disease|disorder|infection|\w+itis)\b", re.I)
# "physical exams show the well-nourished female …": the exam dictated after the visit, every sentence a finding
_EXAM_TURN = re.compile(r"\b(?:physical|focused|neurovascular) exam(?:ination)?\b(?! results)", re.I)
_EXAM_DICTATED = re.compile(r"\bphysical exam(?:ination|s)? (?:shows?|showed|reveals?|revealed|demonstrates?)\b", re.I)


_TO_THE_PLAN = re.compile(r"\b(?:my|the|our) assessment\b|\bassessment and (?:my |the )?plan\b", re.I)


def find_exam(segments: Sequence[Segment], later: Sequence[Segment] = ()) -> list[ExamFinding]:
    """Exam findings the clinician states, each in its body system: in the exam phase, and in ``later`` turns
    (results, plan) when said as findings ("on your knee exam I see …", "your lungs are clear")."""
    out: list[ExamFinding] = []
    strict_ids = {s.id for s in later}
    answered = ""  # the patient's last words: "i wouldn't say any abdominal pain" — "no abdominal pain, alright"
    for seg in [*segments, *later]:
        if seg.role != Role.clinician:
            answered = seg.text
            continue
        echoed, answered = answered, ""
        announced = "general"  # "now on your foot exam." names the system of the findings said after it
        explaining = 0
        examining = False  # a plan-phase turn that dictates the exam first ("on a focused exam of your left ankle")
        moved_on = False
        for part in (piece for whole in clauses(seg.text) for piece in _JOINED.split(whole)):
            if _READS_IMAGES.search(part) or re.search(r"\b(?:x-?rays?|assessment|plan)\b", part, re.I):
                examining = False
            moved_on = moved_on or bool(_TO_THE_PLAN.search(part))  # "… let me talk to you about my assessment
            # and plan … now there are ligaments at the top of your foot": the turn has moved on to the diagnosis
            if _READS_IMAGES.search(part):
                break  # "show me the x-rays. so looking at the x-ray, …": what follows is a result, not the exam
            if _EXAM_TURN.search(part):
                examining = True
            if examining or re.search(r"\bon (?:physical |today's )?exam(?:ination)?\b", part, re.I):
                moved_on = False  # "… on examination today, there is …": back to a finding
            if moved_on:
                continue
            found_first = False  # "i do notice some crackles in your lungs and what that means | …": the finding
            if seg.id in strict_ids and (means := re.search(r"\b(?:this|that|which|it) (?:basically |really )?means\b",
                                                            part, re.I)):
                explaining = 2  # "tendinopathy so this means that | you have injured tendons …": the diagnosis
                found_first = bool(re.search(r"\band what\s*$", part[:means.start()], re.I))
            if explaining:       # explained, in this clause and the next
                explaining -= 1
                if not found_first:
                    continue
            if lead := _SYSTEM_LEAD.match(_EXAM_LEAD.sub("", part) or part):
                announced = exam_system(lead[0])
            elif re.search(r"\b(?:when|as) i (?:look at|examine|feel|check)\s+(?:your|the)\b|"
                           r"\bexam(?:ination)? of (?:your|the)\b", part, re.I) and (
                    looked := exam_system(part)) != "general":
                announced = looked  # "so when i look at the knee." — "there is no redness." is the knee's
            strict = seg.id in strict_ids and not (_EXAM_DICTATED.search(seg.text) or examining)
            found = _finding_text(part, strict=strict)
            denied = re.match(r"(?:(?:okay|alright|so)\W+)*no ([a-z ]{3,30}?)\W*$", part, re.I)
            if found and echoed and denied and denied[1].lower() in echoed.lower():
                continue  # the patient's denial said back, the history's, not a finding
            echoed = ""
            if not found or strict and _DIAGNOSIS_WORD.search(found[1]) and not re.match(r"no\b", found[1], re.I):
                continue  # past the exam, "you have a knee sprain from overuse" is the assessment, not a finding
            hint, text = found
            system = exam_system(hint)
            system = announced if system == "general" else system
            text = re.sub(r"^(?:the )?patient is (?=alert|awake|oriented|well|in no)", "", text, flags=re.I)  # dictated
            if system == "general" or len(text.split()) > 30 or re.search(
                    r"\bpatient\b|\b(?:possible causes|reasons why|people can|can cause|issues with)\b", text, re.I):
                continue  # an aside, a run-on of unpunctuated speech, words to the patient or an explanation
            if _NORMAL_VITALS.search(part) or re.search(r"\b(vital signs?|vitals|blood pressure|heart rate|"
                                                         r"oxygen\w*|temperature)\b", part, re.I):
                continue  # vital signs are the vitals line's, not the exam's
            normal = bool(re.search(r"\b(normal|clear|good|fine|no|regular rate|intact|unremarkable)\b", text, re.I))
            text = re.sub(r"\b(sounds?|looks?) (?:good|fine|great)\b", r"\1 normal", text, flags=re.I)
            for said in _NEXT_NEGATIVE.split(text):  # "no ecchymosis or edema no effusion": two findings
                if not statement_faults(sentence(said)) and not re.search(r"\b(?:is|are|be|have|has)\W*$|x-?ray",
                                                                          said, re.I) and not _only_named(said):
                    out.append(ExamFinding(system=system, text=sentence(said), normal=normal, evidence=[seg.id]))
    described = {f.system for f in out if f.text != "Normal."}  # "reflexes are normal" says more than "normal"
    return [f for f in out if f.text != "Normal." or f.system not in described]


_NAMING_WORDS = frozenset("the your every like upper lower both and a of left right".split())


@lru_cache(maxsize=1)
def _exam_words() -> frozenset[str]:
    return frozenset(w for words in lexicon("exam")["systems"].values() for w in words)


def _only_named(said: str) -> bool:
    """ "Shoulders every.", "Upper extremities.": a part named as the exam moves on, with nothing found in it."""
    return all(w in _exam_words() or w in _NAMING_WORDS for w in re.findall(r"[a-z]+", said.lower()))


def find_results(segments: list[Segment]) -> list[Result]:
    """Results the clinician reads out in the results phase, each under the last test named."""
    out: list[Result] = []
    on_screen: tuple[str, str | None] | None = None  # the test put on screen at the end of the last turn, and its site
    for seg in segments:
        if seg.role != Role.clinician:
            continue
        # a result is read out in the turn that names its test, or in the turn after "show me the endoscope
        # results" closed the last one (D2N020: "… show me the endoscope results." | "so it looks like you had some
        # gastritis …")
        test, site = on_screen or (None, None)
        reading = on_screen is not None  # the test on screen is read out until the clinician turns to the plan
        on_screen = None
        before = ""
        for part in (piece for clause in _rejoined(clauses(seg.text)) for reading in _NEXT_READING.split(clause)
                     for piece in READING_BREAK.split(reading)):
            if len(re.findall(r"\w+", part)) <= 1 or re.fullmatch(
                    r"(?:(?:so|and|uh|um)\W+)*(?:it|we|i|this|that|there)(?:'s|\s+(?:is|was|are))?\W*", part, re.I):
                continue  # "your.", "it … it is uh … it is up slightly": a sentence begun again, the reading goes on
            part = re.sub(r"^(?:(?:okay|so|and)\W+)*(?:kind of|sort of)\s+", "", part, flags=re.I)
            # "there's normal uh- there's no fracture present": a start abandoned for the sentence said after it
            part = re.sub(r"\bthere(?:'s| is| are) \w+,?(?:\s+(?:uh|um)-?)?\s+(?=there(?:'s| is| are)\b)", "", part,
                          flags=re.I)
            # "it says that you might be having a little bit of asthma or copd": what the test suggests
            part = re.sub(r"^(?:(?:okay|so|and)\W+)*(?:it|they|this|that) (?:says|said|shows?|showed|suggests?)"
                          r"(?: that)? you (?:might|may|could) (?:be having|have)\s+", "it shows possible ", part,
                          flags=re.I)
            # "really don't see any evidence of a fracture": the reader's "i" left unsaid
            part = re.sub(r"^(?:(?:yeah|so|okay|and|um)\W+)*(?:really\s+)?(?:do n't|don't|do not) see\b", "i don't see",
                          part, flags=re.I)
            # the clinician's aside after the reading: "your lyme titer is a little elevated, so i think we'll have
            # to …" (D2N010), "your hemoglobin a1c here is 8, last time we had seen it was about 6 …" (D2N013)
            part = _ASIDE.sub("", part)
            # "it is consistent as, as your pcp noted, with an iga deficiency": who else read it, said in passing
            part = re.sub(r"\b((?:is|are|was|were) consistent)\b[\s,]*(?:as\s+)+(?:your|the|her|his) "
                          r"(?:pcp|doctor|primary care (?:doctor|physician|provider)|cardiologist|specialist)\s+"
                          r"(?:noted|said|mentioned|thought|found)[\s,]*(?=with\b)", r"\1 ", part, flags=re.I)
            part = re.sub(r"\bwhat (?:we|they|doctors) call\s+", "", part, flags=re.I)  # "no evidence of what we
            # call hydronephrosis"
            # "… an iga deficiency that's that immunoglobulin a that we talked about": the name explained again
            part = re.sub(r",?\s+that(?:'s| is) (?:that|the) [\w ]+? that we (?:talked|spoke) about\W*$", "", part,
                          flags=re.I)
            named = test_named(part)
            # "the chest x-ray, it does look like | you have some mild pneumonitis": the result said to the patient
            told = re.match(r"you (?:do )?(?:have|had)\b", part, re.I) and re.search(
                r"\b(?:looks? like|shows?|showed|revealed?)\W*$", before, re.I)
            before = part
            if named and _SHOW_ME.search(part):
                # "hey, dragon, show me the ecg." (D2N007): the test on screen; what follows in the turn is its reading
                test, site = named, site_of(named, part)
                on_screen, reading = (test, site), True
                continue
            on_screen = None
            # "show me the last x-ray. so what i'm seeing here is … a distal phalanx fracture" (D2N005): the test on
            # screen is still being read
            reading = reading and not (_INTENT.search(part) or _PLANNED.search(part))
            if named:
                test, site = named, site_of(named, part) or (site if named == test else None)
            elif not (reading or _CONTINUES.match(part) or told):
                test = None  # a result is read out in the sentences that name its test or follow on from it
            if test and not site:
                site = site_of(test, part)  # "so this is looking at your right arm" (D2N018)
            said = re.sub(r",?\s*(?:meaning|(?:which|what that|this|that) (?:basically |really )?means|"
                          r"which (?:might|may|could) (?:suggest|mean|indicate)|"
                          r"that (?:would|will) mean|"
                          r"(?:and )?(?:that|this|it) (?:can|could|may|might) (?:be|explain|mean|cause)|"
                          r"and we(?:'ll| will) see)\b.*$", "", part,
                          flags=re.I)  # the explanation to the patient that follows a result is not the result
            if (part.endswith("?") or _INTENT.search(said) or test is None or _PLANNED.search(said)
                    or _WORKUP.search(said) or PRIOR.search(said)
                    or re.fullmatch(r"(?:(?:now|so|and)\W+)*(?:the )?(?:good|bad) news is\W*", said, re.I)):
                continue
            # "okay, so that looks basically unchanged from last year" (D2N007), "i reviewed the results and there are
            # no fractures" (D2N079)
            text = re.sub(r"^(?:(?:okay|so|and|yeah|well|now|alright|all right)\W+)+|^results?\s+and\s+", "",
                          _RESULT_LEAD.sub("", said), flags=re.I)
            # "looking here at your lab results, everything looks really good" (D2N016): the test, then its reading
            first = text.split(",")[0]
            if test_named(first) or re.search(r"\bresults?$", first, re.I):
                text = re.sub(r"^(?:the\s+)?(?:[\w-]+\s+){0,2}[\w-]+,\s+(?=(?:everything|it|this|that|there|all)\b)",
                              "", text, flags=re.I)
            # "the creatinine, that's your kidney function, that looks stable" (D2N016): the gloss said to the patient
            text = re.sub(r"^that(?:'s| is) (?:the|your) [\w ]+,\s+(?=that\b)", "", text, flags=re.I)
            text = re.sub(r"\b(everything|all),\s+(?=looks?\b|is\b|was\b|were\b|are\b)", r"\1 ", text, flags=re.I)
            text = re.sub(r"\s+from (?:that|this|a \w+) standpoint\b", "", text, flags=re.I)
            # "we did a rapid covid test when you came in here and that was negative": what it was
            text = re.sub(r"^(?:(?:so|and|now|okay|alright|well)\W+)*(?:i (?:saw|see) (?:that )?)?(?:we|they) "
                          r"(?:did|got|ran|checked|had)\s+(?:a|an|the|your|some)\s+"
                          r"[^,]*?\band (?:that|it|this) (?:was|came back(?: as)?)\s+(?=\w)", "", text, flags=re.I)
            noticed = _NOTICED.search(text)  # "we did a x-ray of that right foot and i do notice dorsal displacement"
            if not (_RESULT_VERB.search(text) or noticed or re.match(r"(?:negative|positive)\b", text, re.I)
                    or re.match(r"i (?:don't|do not|do n't) (?:see|appreciate)\b|you (?:do )?(?:have|had)\b", text,
                                re.I)):
                continue
            shown = noticed or _SHOWS.search(text)
            text = text[shown.end():] if shown else text
            # "the x-rays that we did when you first came in this morning and the joint spaces are well maintained"
            text = re.sub(r"^[^,]*?\b(?:that|which) (?:we|you) (?:did|got|took|obtained|had)\b[^,]*?\band\s+", "", text,
                          flags=re.I)
            text = re.sub(r",?\s*and (?:it|this) also shows?(?: that)?\s+", "; ", text, flags=re.I)  # two findings
            text = re.sub(r"\s+that (?:you|he|she) (?:have|has|had)\W*$", "", text, flags=re.I)
            text = re.sub(r",?\s*(?:and|so|but)\s+(?:that|this|which)\b.*$|,\s*which\b.*$|"
                          r",?\s*so (?:it's|it is) (?:essentially|basically|overall)\b.*$|"
                          r"\s+which (?:is|was) (?:a )?(?:good|great|reassuring)\b.*$", "", text, flags=re.I)
            text = re.sub(r"\s+(?:right now|at this time|at this point|today)\W*$", "", text.rstrip(". "), flags=re.I)
            text = re.sub(r"\b(?:that(?:'s| is)|which is) (?=measuring\b)", "", text, flags=re.I)  # "a stone measuring"
            text = re.sub(r"\s+(?:there|here)\s*([.,]?)$", r"\1", text, flags=re.I)
            text = re.sub(r"^(?:this|that|it)(?:'s|\s+(?:is|was|looks|seems))\s+(?:(?:a|an)\s+)?(?:nice,?\s+)?", "",
                          text, flags=re.I)
            text = re.sub(r"\s+and (?:when|if|so)\b.*$", "", text, flags=re.I)  # "… and when compared to the left"
            text = _THAT_SIDE.sub(r"\1 the ", text)
            # "i do not appreciate any fracture what i am noticing is the development of a little bit of arthritis"
            text = re.sub(r"\s+what i(?:'m| am) (?:noticing|seeing) is\s+(?:the\s+)?", "; ", text, flags=re.I)  # D2N067
            text = mild(text)
            text = re.sub(r"\b(?:your|his|her)\b", "the", text, flags=re.I)
            # "looks like you don't have any any fractures"
            text = re.sub(r"\bi (?:don't|do not) (?:see|appreciate) (?:any|an?)\b|"
                          r"^(?:it )?(?:looks like )?you (?:don't|do not) have (?:any )+", "no ", text, flags=re.I)
            text = re.sub(r"\s+which i (?:would )?(?:expect|thought)\b.*$", "", text, flags=re.I)
            text = re.sub(r"^(no\b.*?\bor) any\b", r"\1", text, flags=re.I)  # "no fractures or any bony …"
            # "it showed that you have that low-ish pumping function": "Low ejection fraction at about 45%."
            text = _termed(_glossed(units(plain(_ANNOUNCE.sub("", text, count=1)))))
            text = re.sub(r"^that\s+(?=\w+(?:-ish)?\s+\w)", "", text, flags=re.I)
            text = re.sub(r"\b(is|was|are|were)(?:\s+also)?\s*,\s+(?=\1\b)", "", text, flags=re.I)  # "is also, is …"
            # "the kidney function is also very good": a value called good to the patient is, in a note, normal
            text = re.sub(r"\b(is|was|were|are)\s+(?:also\s+)?(?:very\s+|really\s+|pretty\s+)?(?:good|fine|great)"
                          r"(?:\s+also)?(?=\W*$)", r"\1 normal", text, flags=re.I)
            # "looking here at your lab results, everything looks really good" (D2N016): as a note says it
            text = re.sub(r"^(?:everything|all|it all)\s+(?:looks?|is|was|were|are|came back)\s+"
                          r"(?:really |very |pretty )?"
                          r"(?:good|fine|great|normal|okay|ok)\W*$", "within normal limits", text, flags=re.I)
            text = re.sub(r"\s+or anything(?: like)?(?: that)?\W*$|^(?:some|an?)\s+|"
                          r",?\s*(?:which|that)(?: is|'s) (?:good|important|great|reassuring)\W*$", "", text,
                          flags=re.I)
            text = re.sub(r"\b(no|or|and),\s+", r"\1 ", text, flags=re.I)  # ASR's "asthma or , copd"
            # "no fracture or dislocation"
            text = re.sub(r"^(no [a-z ]+?)(?: or|,)? (?:there's |there is )?no ", r"\1 or ", text, flags=re.I)
            if is_study(test):  # "so this looks good" (D2N007) of a back x-ray; of an A1c "good" is not "normal"
                text = re.sub(r"^(?:good|fine|great)(?=\W*$)", "normal", text, flags=re.I)
            text = only_said(text, test)
            # "it is up slightly": as a note says it
            text = re.sub(r"^(?:(slightly|mildly|a little|a bit) )?up(?: (slightly|mildly|a little|a bit))?(?=\W*$)",
                          lambda m: f"{m[1] or m[2] or ''} elevated".strip(), text, flags=re.I)
            # under its label, one word can be the whole reading: "EKG: Normal.", "Creatinine: Stable." (D2N016)
            has_value = bool(re.search(r"\d", text) or re.match(
                r"no [a-z]{4,}|(?:negative|positive|normal|stable|unremarkable|unchanged|elevated|low|high)\W*$", text,
                re.I))
            if (len(re.findall(r"[a-z]{3,}", text.lower())) < (1 if has_value else 2)
                    or re.search(r"\b(i|me|my|we|you)\b", text, re.I)):
                continue
            text = re.sub(r",?\s*\b(?:but|and|or)\s+(?:no|not)\.?$", "", text.rstrip(". "))
            if statement_faults(sentence(text)) or re.search(r"\b(bit|kind|sort|lot)\s+of\b|year[- ]?old|presents|"
                                                             r"\bpatient\b|referred|diagnosed with|"
                                                             r"\b(?:over)?due for\b|^(?:at|of|for|in) the results?\b|"
                                                             r"\b(?:of|for) (?:that|this|it)\W*(?:so\W*)?$|"
                                                             r"\b(?:they|them|no way to|supposed to|history)\b|"
                                                             r"\bsounds? like\b|\bit sounds\b|^the symptoms\b|"
                                                             r"^(?:since|because|when|if)\b|"
                                                             r"^(?:a )?(?:good|great|reassuring|bad) "
                                                             r"(?:sign|news|thing)\b|"
                                                             r"^(?:this\s+)?(?:the\s+)?[\w-]+\s+is\s+(?:the|a|an)\s+\w+"
                                                             r"\s+(?:in which|that|which|where)\b|"
                                                             r"^(?:done|completed|drawn|ordered|obtained)\W*$",
                                                             text, re.I):
                continue  # a result that does not read as one ("mild bit of, fluid, but no", "at the results of the
                # x-ray", "no evidence of that so"), or a test still due ("screening colonoscopy that she is overdue
                # for"), is left out; so is what someone else did ("it looks like they got all of that", D2N014), a
                # doubt ("there's no way to be sure without sending the removed adenoma to pathology", D2N074) and
                # a test only said to be done ("since your blood work was done, we should check …", D2N028), what the
                # patient told ("it sounds like it's been a challenge to control the diet", D2N063), how a medicine is
                # taken ("it's supposed to be twice a day", D2N025), the history ("for the medical history, it's high
                # cholesterol", D2N031), a comment ("so that's a good sign", D2N009) and a word explained to the
                # patient ("so this, the ureter is the duct in which urine passes …", D2N085)
            value = re.search(r"\b\d+(?:\.\d+)?%?", text)
            label = labelled(test, site)
            text = unrepeated(text, test) or text
            same = [r for r in out if r.test == label and r.evidence == [seg.id]]
            if same:  # "MRI … TSH … the mri reveals …" (D2N074): a test read out again in its turn joins its line
                _read_on(same[-1], sentence(text))
            else:
                out.append(Result(test=label, text=sentence(text), value=value[0] if value else None,
                                  evidence=[seg.id]))
    return out


def _rejoined(said: list[str]) -> list[str]:
    """Clauses that a stop put in the middle of a reading joined again: "i did review the x-rays of both." | "your
    knees which shows no fractures" (D2N044), "… the results of your chest x-ray and i." | "noticed some round glass
    opacities" (D2N056)."""
    out: list[str] = []
    for part in said:
        if out and len(out[-1].split()) > 2 and re.search(r"\b(?:and|i|of|both|the|your)\.$", out[-1], re.I):
            out[-1] = f"{out[-1][:-1]} {part}"
        else:
            out.append(part)
    return out


def _termed(text: str) -> str:
    """ "that leaky valve, the mitral regurgitation that you have": the finding by its name, not the words said
    to the patient before it (each finding of a "; "-joined reading on its own)."""
    def named(part: str) -> str:
        lay = re.match(r"^(?:that |the |a |an )?(?:[a-z'-]+ ){0,3}[a-z'-]+,\s+(?:the |a |an |what we call )"
                       r"(?P<term>[a-z' -]+?)(?:\s+that (?:you|he|she) (?:have|has))?\W*$", part, re.I)
        return lay["term"] if lay and any(m[0].lower() == lay["term"].lower()
                                          for m in find_named(lay["term"], "problems")) else part
    return "; ".join(named(part) for part in text.split("; "))


def _stems(text: str) -> set[str]:
    """The words a sentence says, by stem; "within normal limits" says "normal" ("Normal with no fractures." says
    it and more, D2N072)."""
    return {w[:5] for w in re.findall(r"[a-z]{3,}", re.sub(r"within normal limits", "normal", text.lower()))}


def _read_on(result: Result, said: str) -> None:
    """The next finding read from the same test in the same turn joins its line ("X-ray: No fracture or
    dislocation. Mild fluid."); one that only repeats what the line says is dropped, and one that says more
    replaces the sentence it repeats."""
    kept = [s for s in re.split(r"(?<=\.)\s+", result.text) if s]
    if _stems(said) <= set().union(*map(_stems, kept)):
        return
    kept = [s for s in kept if not _stems(s) <= _stems(said)] + [said]
    result.text = " ".join(kept)
