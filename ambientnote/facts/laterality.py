"""The side of the body a complaint or diagnosis is on, from how the visit says it.

A note that writes "MCL strain" or "knee pain" without its side cannot be signed: the side decides the
imaging order, the brace and the operation. The conversation usually says it ("my right knee", "tenderness
over the right medial knee"), so the side is counted over the visit's sentences and given only when the visit
settles it; a visit that names both sides without favouring one gets none.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ambientnote.facts.lexicon import lexicon
from ambientnote.facts.schema import ExamFinding, VisitRecord
from ambientnote.language.phases import sentences
from ambientnote.transcript import Segment

_SIDED = re.compile(r"\b(?:left|right|bilateral|both)\b", re.I)
_HURTS = re.compile(r"\b(?:pain\w*|hurt\w*|ache\w*|aching|sore|swell\w*|swollen|injur\w*|sprain\w*|strain\w*|"
                    r"fractur\w*|broke\w*|tender\w*|bruis\w*|ulcer\w*|wound)\b", re.I)
_CLAUSE = re.compile(r"\s*(?:[,;]|\band\b|\bbut\b|\bso\b)\s*", re.I)
_NEGATED = re.compile(r"\b(?:not|no|never)\b|n't\b", re.I)


@lru_cache(maxsize=1)
def _site_pattern() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    table = lexicon("anatomy")
    parts = "|".join(table["parts"])
    qualifiers = "|".join(table["qualifiers"])
    sided = re.compile(rf"\b(?P<side>left|right)(?:[- ]sided)?\s+(?:(?P<q>{qualifiers})\s+)?(?P<part>{parts})s?\b",
                       re.I)
    after = re.compile(rf"\b(?P<part>{parts})s?\s+on\s+the\s+(?P<side>left|right)\b", re.I)
    both = re.compile(rf"\b(?:both|bilateral)\s+(?:(?:{qualifiers})\s+)?(?P<part>{parts})s?\b", re.I)
    return sided, after, both


def _named_parts(name: str) -> list[str]:
    return [p for p in lexicon("anatomy")["parts"] if re.search(rf"\b{p}s?\b", name, re.I)]


def _site_parts(name: str) -> list[str]:
    """The parts a diagnosis that does not name one sits in: "Colles' fracture" → wrist."""
    return [p for key, parts in lexicon("anatomy")["sites"].items() if re.search(rf"\b{key}", name, re.I)
            for p in parts]


def site(parts: list[str], segments: list[Segment]) -> tuple[str, str, list[str]] | None:
    """ ("right", "middle finger", ids), ("bilateral", "knee", ids): the side the visit gives these parts, if it
    settles it, and the turns that say it.

    A side said in a denial ("my left knee doesn't hurt") does not count; one side must be said at least twice as
    often as the other, and "both knees" beside each side said is bilateral.
    """
    sides, places, bilateral, said_in = _tally(parts, segments)
    (top, n), *rest = sides.most_common() or [("", 0)]
    other = rest[0][1] if rest else 0
    if not n or n < 2 * other:
        return ("bilateral", parts[0], _first(said_in["bilateral"])) if bilateral else None
    if bilateral > n:
        return "bilateral", parts[0], _first(said_in["bilateral"])
    return top, max((place for s, place in places if s == top), key=lambda place: places[(top, place)]), \
        _first(said_in[top])


def _tally(parts: list[str], segments: list[Segment]) -> tuple[Counter[str], Counter[tuple[str, str]], int,
                                                                  dict[str, list[str]]]:
    """How often each side of ``parts`` is said (a side that hurts counts twice), where, and in which turns."""
    sided_rx, after_rx, both_rx = _site_pattern()
    sides: Counter[str] = Counter()
    places: Counter[tuple[str, str]] = Counter()
    bilateral = 0
    said_in: dict[str, list[str]] = {"left": [], "right": [], "bilateral": []}
    for n, seg in enumerate(segments):
        # a side said in a clause with a denial does not count ("my left knee doesn't hurt"), one said beside it
        # does ("it's on my right foot and it's just not going away")
        for said in (c for s in sentences(seg.text) for c in _CLAUSE.split(s)):
            if _NEGATED.search(said):
                continue
            for m in [*sided_rx.finditer(said), *after_rx.finditer(said)]:
                if m["part"].lower() in parts:
                    side = m["side"].lower()
                    sides[side] += 2 if _HURTS.search(said) else 1  # the side that hurts, not the one compared
                    places[(side, m["part"].lower())] += 1
                    said_in[side].append(seg.id)
                    if m.groupdict().get("q"):  # counted twice: the qualified name wins over the bare part
                        places[(side, f"{m['q'].lower()} {m['part'].lower()}")] += 2
            if both := sum(1 for m in both_rx.finditer(said) if m["part"].lower() in parts):
                bilateral += both
                said_in["bilateral"].append(seg.id)
            if (asked := _asked_side(said, parts)) and (told := _answered_side(segments[n + 1:n + 2], seg)):
                sides[told] += 2  # "which wrist, left or right?" / "it's my right one": the patient settles it
                places[(told, asked)] += 1
                said_in[told] += [seg.id, segments[n + 1].id]
    return sides, places, bilateral, said_in


def _first(ids: list[str]) -> list[str]:
    """The first two turns that say it: enough for a reader (and the guard) to check the side."""
    return list(dict.fromkeys(ids))[:2]


def _asked_side(said: str, parts: list[str]) -> str | None:
    """The part a question about its side names: "is it your left or your right knee?" → "knee"."""
    if not re.search(r"\b(?:left or (?:the |your )?right|right or (?:the |your )?left|which)\b", said, re.I):
        return None
    return next((p for p in parts if re.search(rf"\b{p}s?\b", said, re.I)), None)


def _answered_side(answer: list[Segment], asked: Segment) -> str | None:
    if not answer or answer[0].role == asked.role:
        return None
    sides = set(re.findall(r"\b(left|right)\b", answer[0].text.lower()))
    return sides.pop() if len(sides) == 1 else None


def sided(name: str, segments: list[Segment]) -> tuple[str, list[str]]:
    """The name with its side ("right knee pain", "MCL strain of the right knee") and the turns that give the
    side; unchanged, with no turns, when the visit does not settle it."""
    named = _named_parts(name)  # "pain in the wrist and fingers" names two: which one has the side is unclear
    parts = named or _site_parts(name)
    if _SIDED.search(name) or len(named) > 1 or not parts or not (where := site(parts, segments)):
        return name, []
    side, place, ids = where
    if named and re.search(rf"(?:^|\b(?:the|of|on|in) ){parts[0]}s?\b", name, re.I):  # "knee pain", "ulcer on the foot"
        return re.sub(rf"\b{parts[0]}s?\b", f"{side} {place}", name, count=1, flags=re.I), ids
    if named:  # "nonhealing diabetic foot ulcer": the side before the whole name, which stays one term
        return f"{side} {name}", ids
    return (f"bilateral {name}" if side == "bilateral" else f"{name} of the {side} {place}"), ids


def unsited(name: str) -> str:
    """The diagnosis without the site ``sided`` appended: "MCL strain of the right knee" → "MCL strain"."""
    return re.sub(r" of the (?:left|right) .*$", "", name)


def lateralised(record: VisitRecord, segments: list[Segment]) -> None:
    """Give the reason for the visit and each problem its side, citing the turns that say it, and keep the plan
    filed under the renamed problems. A diagnosis whose complaint already gives the side keeps its name:
    "left shoulder pain, likely due to rotator cuff tendinopathy" says it once. An imaging order of a problem
    that names no site is of that problem's site ("send you out for an mri" for the right knee's MCL injury)."""
    if record.reason:
        record.reason, ids = sided(record.reason, segments)
        record.reason_evidence += [i for i in ids if i not in record.reason_evidence]
    renamed = {}
    sites = {}
    for problem in record.problems:
        if problem.complaint:
            problem.complaint, ids = sided(problem.complaint, segments)
            problem.evidence += [i for i in ids if i not in problem.evidence]
            if _SIDED.search(problem.complaint):
                sites[problem.name] = _site_in(problem.complaint)
                continue
        name, ids = sided(problem.name, segments)
        if ids:
            renamed[problem.name] = name
            problem.name = name
            problem.evidence += [i for i in ids if i not in problem.evidence]
        sites[problem.name] = _site_in(problem.name)
    for item in record.plan:
        if item.problem in renamed:
            item.problem = renamed[item.problem]
        where = sites.get(item.problem or "")
        if where and item.kind == "imaging" and " of the " not in item.text and (
                order := re.fullmatch(r"(Order|Repeat) ([\w -]+)\.", item.text)):
            item.text = f"{order[1]} {order[2]} of the {where}."
            item.evidence += [i for problem in record.problems if problem.name == item.problem
                              for i in problem.evidence if i not in item.evidence]


def _site_in(name: str) -> str | None:
    """ "right knee" in "MCL injury of the right knee"."""
    match = _site_pattern()[0].search(name)
    return " ".join(w for w in (match["side"], match["q"], match["part"]) if w).lower() if match else None


def off_side(record: VisitRecord) -> tuple[str, list[ExamFinding]] | None:
    """The visit's side and the abnormal exam findings said of the other side ("pain with resistance against
    flexion of the left wrist" in a right-elbow visit: the clinician misspoke once, or examined the other arm).
    None when the visit's reason and problems do not settle one side. A normal finding on the other side is the
    usual comparison and is not listed."""
    said = " ".join([record.reason or "", *(p.name for p in record.problems), *(p.complaint or "" for p in
                                                                                  record.problems)]).lower()
    sides = set(re.findall(r"\b(left|right)\b", said))
    if len(sides) != 1 or re.search(r"\b(?:bilateral|both)\b", said):
        return None
    side = sides.pop()
    other = "left" if side == "right" else "right"
    # a limb or joint of the other side ("left wrist"), not an auscultation site ("murmur at the left base")
    found = [f for f in record.exam if not f.normal and any(
        m["side"].lower() == other for m in _site_pattern()[0].finditer(f.text))
             and not re.search(rf"\b(?:{side}|bilateral\w*|both)\b|\bcompared\b", f.text, re.I)]
    return (side, found) if found else None


def disputed_side(record: VisitRecord, segments: list[Segment]) -> tuple[str, str] | None:
    """ ("right", "foot"): the side the note gives a part, where the visit says the other side of it more
    often (round 30, D2N060: "my right foot" in the story and the assessment, "your left foot" in the questions, the
    exam and the cast). The clinician must settle it; the note does not choose."""
    said = " ".join([record.reason or "", *(p.name for p in record.problems), *(p.complaint or "" for p in
                                                                                  record.problems)]).lower()
    named = {(m["side"].lower(), m["part"].lower()) for m in _site_pattern()[0].finditer(said)}
    if len({side for side, _ in named}) != 1:
        return None
    side = next(iter(named))[0]
    other = "left" if side == "right" else "right"
    parts = list(dict.fromkeys(part for _, part in named))
    sides = _tally(parts, segments)[0]
    return (side, parts[0]) if sides[other] > sides[side] else None
