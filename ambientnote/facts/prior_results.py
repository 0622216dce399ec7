"""Values the clinician recalls from an earlier visit: "your hemoglobin a1c last time was 7.5", "last time you came
in your a1c was a little bit higher at 7.3".

A follow-up note reports them under Results ("Previous hemoglobin A1c: 7.5."), for the plan is read against them:
a repeat A1c, a higher dose of metformin. The results reader leaves "last time" out on purpose, because said after
today's reading it is an aside to that reading; said alone, it is the only value the visit has.
"""

from __future__ import annotations

import re

from ambientnote.facts.result_lines import labelled, test_named
from ambientnote.facts.schema import Result
from ambientnote.facts.text import statements
from ambientnote.transcript import Role, Segment

_WAS = r"(?:was|were|came back(?: at)?)"
PRIOR = re.compile(
    rf"\byour (?P<test>[a-z0-9 -]{{2,30}}?)\s+(?:last time|at (?:your|the) last visit|previously)\s+{_WAS}\s+"
    r"(?P<rest>[^,;?]{1,40})|"
    r"\blast time (?:you (?:came in|were here|were in)|we (?:checked(?: it)?|saw you|did it)),?\s+"
    rf"your (?P<test2>[a-z0-9 -]{{2,30}}?)\s+{_WAS}\s+(?P<rest2>[^,;?]{{1,40}})", re.I)
# "a little bit higher at 7.3", "about 7.5": the value, with only a qualifier said before it
_VALUE = re.compile(r"^(?:(?:about|around|like|just|at|up at|down at|(?:a little(?: bit)? |slightly )?"
                    r"(?:higher|lower|high|low|elevated|up|down) at)\s+)*(?P<value>\d+(?:\.\d+)?%?)(?!\s*(?:/|over)\b)",
                    re.I)


def prior_results(segments: list[Segment]) -> list[Result]:
    """Each test's value from an earlier visit, as the clinician recalls it, citing the turn."""
    out: list[Result] = []
    for seg in segments:
        if seg.role != Role.clinician:
            continue
        for said in statements(seg.text):
            for match in PRIOR.finditer(said):
                test = test_named(match["test"] or match["test2"])
                value = _VALUE.match(match["rest"] or match["rest2"])
                if test is None or value is None or any(r.test.lower() == f"previous {test.lower()}" for r in out):
                    continue
                out.append(Result(test=f"Previous {labelled(test, None)}", text=f"{value['value']}.",
                                  value=value["value"], evidence=[seg.id]))
    return out
