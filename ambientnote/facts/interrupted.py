"""A sentence the other speaker's "mm-hmm" cut in two, read whole.

Clinicians keep talking through the patient's backchannel: "there is tenderness of the greater" — "okay" —
"tuberosity of the humerus", or "I want to order an MRI-" — "mm-hmm" — "just to make sure …". Read as separate
turns, the first half is a fragment and the second has lost what it qualifies. The record is built from the turns
joined; every fact read from a joined turn cites all the turns it spans, so the guard checks it against every word
and the clinician can play each part.
"""

from __future__ import annotations

import re

from ambientnote.facts.schema import Fact, VisitRecord
from ambientnote.transcript import Segment, Transcript

_BACKCHANNEL = re.compile(r"^\W*(?:(?:okay|ok|mm-?hmm|mhm|hmm|uh-huh|yeah|yep|yes|right|sure|all right|alright|"
                          r"got it|i see|oh|mm)\W*){1,3}$", re.I)
# the first half stops on a word no sentence ends on
_UNFINISHED = re.compile(r"\b(?:the|a|an|of|or|and|at|to|in|on|for|with|your|my|his|her)\s*$", re.I)


def _unfinished(head: str, tail: str) -> bool:
    """Whether ``head`` stops mid-phrase: on a word no sentence ends on, cut off ("alarm-") where the transcript
    marks the continuation (". some time during the day"), or on a word ``tail`` begins again whole ("the
    sternoclavicular or acro" — "acromioclavicular joints")."""
    head = head.rstrip(" .")
    last = re.findall(r"[a-z]+", head.lower())[-1:]
    first = re.findall(r"[a-z]+", tail.lower())[:1]
    return bool(_UNFINISHED.search(head) or (head.endswith("-") and re.match(r"\s*[.-]", tail)) or (
        last and first and len(last[0]) >= 3 and first[0].startswith(last[0]) and first[0] != last[0]))


def joined_across_backchannels(transcript: Transcript) -> tuple[Transcript, dict[str, list[str]]]:
    """The transcript with each interrupted turn joined to its continuation, and for each joined turn the ids of the
    turns it now holds."""
    out: list[Segment] = []
    spans: dict[str, list[str]] = {}
    segments = transcript.segments
    n = 0
    while n < len(segments):
        seg = segments[n]
        if (out and n + 1 < len(segments) and _BACKCHANNEL.match(seg.text) and segments[n + 1].role == out[-1].role
                and seg.role != out[-1].role and _unfinished(out[-1].text, segments[n + 1].text)):
            head, tail = out[-1], segments[n + 1]
            # only the continuation's first sentence finishes the phrase; what follows stays the turn it was
            first, _, rest = re.sub(r"^[\s.,-]+", "", tail.text).partition(". ")
            text = re.sub(r"-\s*$", "", head.text.rstrip(" .")) + " " + first + ("." if rest else "")
            out[-1] = head.model_copy(update={"text": text, "end": tail.end, "words": head.words + tail.words})
            spans.setdefault(head.id, [head.id]).append(tail.id)
            if rest.strip():
                out.append(tail.model_copy(update={"text": rest}))
            n += 2
            continue
        out.append(seg)
        n += 1
    return transcript.model_copy(update={"segments": out}), spans


def cite_spans(record: VisitRecord, spans: dict[str, list[str]]) -> None:
    """Each fact that cites a joined turn cites every turn it was joined from."""
    if not spans:
        return

    def spanned(ids: list[str]) -> list[str]:
        return list(dict.fromkeys(i for x in ids for i in spans.get(x, [x])))

    record.patient.evidence = spanned(record.patient.evidence)
    record.reason_evidence = spanned(record.reason_evidence)
    record.vitals_normal = spanned(record.vitals_normal)
    for _, value in record:
        for fact in value if isinstance(value, list) else []:
            if isinstance(fact, Fact):
                fact.evidence = spanned(fact.evidence)
