"""Telling a window reading the vocabulary prompt derailed from one that is merely misheard.

Measured on the development audio set (docs/eval/asr-devset.md, visit v05 on
every variant): with the vocabulary prompt, base sometimes reads the opening
window of a visit as words glued together by periods, "Hi, MSrux.im.tomeca.her."
and "Okay.he, dragon, her, charren, bruxen, ... friend of in.alright.so, tell
me what happened.", where the same window read without the prompt is "Hi,
MSRooks. I'm Dr. Baker. How are you? ... All right, Dr. So tell me what
happened." The mean word probability is no mark of it (0.65 against 0.70;
reading every window under 0.6 again added invented sentences on telephone
audio), but the glue is: a period between two words with no space after it.
Speech written down has none, apart from initialisms ("a.m.", "e.g.", "U.S.")
and titles ("Dr.Baker"), which are not counted; decimals have digits, not
letters, either side. Two or more in one window's reading mark it derailed;
which reading is kept is then up to Whisper's confidence in each
(``batch.recognise_window``): under reverb the prompted reading of the same
window was right but for its glue ("finger pain.allright.so", 0.72) and the
plain one worse ("friend of aim", 0.69).
"""

from __future__ import annotations

import re

from ambientnote.transcript import Segment

# A word of 2+ letters, a period, and a letter straight after it: "in.alright", "MSrux.im", "mfbroods.com".
_GLUED = re.compile(r"(?<![A-Za-z])([A-Za-z]{2,})\.(?=[A-Za-z])")
# Written with a period and often glued to the next word by Whisper even when it hears well ("Dr.Maker").
TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "st", "jr", "sr", "vs", "no", "prof", "ph", "etc", "approx"})
DERAILED_AT = 2  # glued periods in one window's reading


def glued_periods(text: str) -> int:
    """How many periods in ``text`` glue two words together, titles and initialisms aside."""
    return sum(1 for m in _GLUED.finditer(text) if m.group(1).lower() not in TITLES)


def derailed(segments: list[Segment]) -> bool:
    """Whether a window's reading has the glued words of a derailed decode (``DERAILED_AT`` or more)."""
    return glued_periods(" ".join(s.text for s in segments)) >= DERAILED_AT
