"""Where the visit happened: in the clinic, or by video or telephone.

Notes open with "presents to the clinic today for …" (a third of the ACI-Bench train references say so); a
patient seen on a video call did not come to the clinic, and the note must not say they did. A visit that speaks
both of a video call and of "here in the office" (an examination in person after a call opened remotely) is
counted as remote: "presents today" is never wrong, "presents to the clinic" would be for a patient at home.
"""

from __future__ import annotations

import re

from ambientnote.transcript import Segment

_REMOTE = re.compile(r"\b(?:this|our|today's|the|a|your) "
                     r"(?:video|virtual|telehealth|telemedicine|telephone|phone|zoom) "
                     r"(?:visit|call|appointment|consult\w*|session)\b|"
                     r"\bcan you (?:see|hear) me(?: okay| alright| all right)?\s*\?|"
                     r"\b(?:on|over) (?:the )?(?:video|camera|zoom|screen|telehealth)\b(?! exams?\b)|"
                     r"\b(?:through|via) (?:the |a |this )?zoom\b|\bzoom meeting\b", re.I)


def seen_remotely(segments: list[Segment]) -> bool:
    """Whether anyone in the visit speaks of it as a video or telephone visit."""
    return any(_REMOTE.search(seg.text) for seg in segments)
