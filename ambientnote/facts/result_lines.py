"""How a result line is labelled and where its reading starts: the test with its site, the words the clinician
uses for a test the orders lexicon does not hold, and the breaks in an unpunctuated turn where a reading begins.

A result line in a note names the study and its site ("X-ray of the right knee: No fracture.") and then the
finding, without the test said again ("the hemoglobin a1c here is 8" → "Hemoglobin A1c: 8."). The orders
lexicon is shared with the plan, so words that only ever name a test being read out (a "radiograph", the
"endoscope results") are kept here rather than added to what the plan orders.
"""

from __future__ import annotations

import re

from ambientnote.facts.lexicon import find

# "hey dragon, show me the last radiograph" (D2N018), "show me the endoscope results" (D2N020), "i reviewed the
# results of your barium swallow" (D2N062), "mr arthrogram of the right hip" (D2N032)
_MORE_TESTS = [(re.compile(r"\b(?:mr|mri) arthrogram\b", re.I), "MR arthrogram"),
               (re.compile(r"\bradiographs?\b", re.I), "x-ray"),
               (re.compile(r"\bendoscope\b", re.I), "endoscopy"),
               (re.compile(r"\bbarium swallow\b", re.I), "barium swallow"),
               (re.compile(r"\bhemoglobin\b(?!\s+a1c)", re.I), "hemoglobin")]

_IMAGING = ("x-ray", "MRI", "MR arthrogram", "CT", "CT scan", "ultrasound")
_SIDE = r"(?:(?P<side>right|left|both|bilateral)\s+)?"
_PART = (r"(?P<part>(?:(?:index|middle|ring|little|great|big)\s+)?(?:knee|shoulder|hip|ankle|foot|heel|wrist|elbow|"
         r"hand|finger|thumb|toe|arm|leg|humerus|forearm)s?|lumbar spine|cervical spine|thoracic spine|"
         r"lower back|back|spine|neck|chest|abdomen|pelvis|brain|head|sinuses|kidneys?)")
# "x-rays of both your knees", "mri for the brain", "ct scan of your abdomen", "x-ray of that right foot"
_SITE_AFTER = re.compile(rf"\b(?:x-?rays?|mri|ct(?: scan)?|cat scan|ultrasound|radiographs?|(?:mri? )?arthrogram)"
                         rf"\s+(?:of|for|on)\s+(?:(?P<both>both)\s+)?(?:(?:your|the|his|her|that|this)\s+)?"
                         rf"{_SIDE}{_PART}\b", re.I)
# "your right knee x-ray", "the lumbar spine x-ray", "your shoulder x-ray"; "this is looking at your right arm"
# (D2N018, said of the radiograph on screen)
_SITE_BEFORE = re.compile(rf"\b{_SIDE}{_PART}\s+(?:x-?rays?|mri|ct(?: scan)?|ultrasound|radiographs?)\b", re.I)
_SITE_SHOWN = re.compile(rf"\bthis is looking at (?:your|the)\s+{_SIDE}{_PART}\b", re.I)


_READ_OUT = re.compile(r"\b(?:shows?|showed|demonstrates?|demonstrated|reveal(?:s|ed)?)\b", re.I)


def test_named(part: str) -> str | None:
    """The test a clause names, as the note writes it: of several, the last one named before what it showed
    ("next radiographs, mr arthrogram of the right hip done june 3rd 2021 show high grade chondromalacia", D2N032),
    else the first."""
    named = sorted([(hit.start, hit.term) for hit in find(part, "orders", ("tests",))]
                   + [(m.start(), term) for pattern, term in _MORE_TESTS for m in pattern.finditer(part)])
    verb = _READ_OUT.search(part)
    before = [term for start, term in named if verb and start < verb.start()]
    return before[-1] if before else named[0][1] if named else None


def is_study(test: str) -> bool:
    """Imaging or a tracing, read as normal or not; a lab value is read against its target."""
    return test.split(" of the ")[0] in (*_IMAGING, "chest x-ray", "EKG", "echocardiogram")


def only_said(text: str, test: str) -> str:
    """ "Normal x-ray of the back" under "X-ray of the back:" is "normal" (D2N070); a sentence that only names the
    test ("so this is an x-ray of your lumbar spine", D2N009) says nothing of it and is empty."""
    name = re.escape(test.split(" of the ")[0])
    return re.sub(rf"^(?:(?:an?|the)\s+)?((?:\w+\s+)?)(?:{name})s?(?:\s+(?:of|for)\s+the\s+[\w ]+)?\W*$", r"\1", text,
                  flags=re.I).strip()


def site_of(test: str, said: str) -> str | None:
    """The body part a study was of, as said in its turn ("x-rays of both your knees" → "knees"), for an imaging
    test only: labs have no site."""
    if test not in _IMAGING:
        return None
    found = _SITE_AFTER.search(said) or _SITE_BEFORE.search(said) or _SITE_SHOWN.search(said)
    if not found:
        return None
    part = found["part"].lower()
    side = (found["side"] or found.groupdict().get("both") or "").lower()
    if side in ("both", "bilateral"):  # "x-rays of both your knees" (D2N044): the guard reads "bilateral" only where
        return part if part.endswith("s") else part + "s"  # "both knees" was said as such, so the plural says it
    return f"{side} {part}".strip()


def labelled(test: str, site: str | None) -> str:
    """ "x-ray" of the "right knee" is the "x-ray of the right knee"; a chest x-ray says its site already."""
    if not site or site in test.lower():
        return test
    return f"{test} of the {site}"


def unrepeated(text: str, test: str) -> str:
    """The finding without the test named again before it: under "Hemoglobin A1c:" the line "the hemoglobin a1c
    here is 8" (D2N013) reads "8"; "the ekg here is normal" (D2N011) reads "normal"."""
    name = re.escape(test.split(" of the ")[0])
    alias = r"ekg|ecg|electrocardiogram" if test == "EKG" else r"echo" if test == "echocardiogram" else name
    return re.sub(rf"^(?:the\s+|your\s+|this\s+|that\s+)?(?:{name}|{alias})s?\s+(?:(?:here|today|itself)\s+)?"
                  r"(?:(?:is|was|are|were|has been|looks?|looked|came back(?: as)?)\s+(?:also\s+)?)"
                  r"(?=\w)", "", text, flags=re.I)


# An unpunctuated turn (the dictated visits are transcribed without stops) reads its results in the middle of the
# exam and the plan: "… no clubbing of your fingers so for your results i did review the results of your chest x-ray
# and i noticed some round glass opacities so let me tell you …" (D2N056). A reading starts at the review, and ends
# where the clinician turns to the assessment, the plan or an explanation.
READING_BREAK = re.compile(
    r"(?<=[a-z])\s+(?=(?:so\s+)?(?:i|we)\s+(?:did\s+|also\s+)?(?:review|reviewed|looked at)\s+(?:the|your)\b|"
    r"so\s+(?:let\s+me|let's|based on|for your (?:first|second|third|primary|\w+ problem)|i'm gon na|i want)\b|"
    r"now based on\b)", re.I)
