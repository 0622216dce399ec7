"""De-identification before a transcript leaves the process, and restoration of the answer.

Names, dates, places and numbers are replaced by placeholders (``[NAME_1]``,
``[DATE_2]``, ``[PLACE_1]``, ``[NUM_3]``), the same value always by the same
placeholder, so the on-prem model can still write "[NAME_1] is a [NUM_1]-year-old
…" and the answer is restored locally. The mapping never leaves the process and
is never logged. Rules, not a model: transcripts are mostly lower case
(ACI-Bench, ASR output), so names are found where conversations put them
(greetings, titles, "my name is", "X is a 62-year-old"), then masked everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ambientnote.language.terms import load_terms
from ambientnote.transcript import Transcript

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|christmas|easter|thanksgiving"
_STATES = (
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|"
    "illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|"
    "missouri|montana|nebraska|nevada|new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|"
    "oklahoma|oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|"
    "washington|west virginia|wisconsin|wyoming|mexico|canada|europe|china|india|italy|france|germany|spain|japan"
)
_NOT_NAMES = frozenset(
    "there here everyone everybody all again doctor dr nurse how good great so ok okay yes yeah um uh uhm nice "
    "thanks thank it i you we what well dear sir ma'am mam guys honey buddy sweetie man there's it's i'm and the "
    "a an my your his her their our this that is are was were be been how's morning afternoon evening come "
    "welcome glad back today sorry miss mister mrs mr ms patient baby kiddo friend folks pain also just now then "
    "doc he she they who which whatever not no actually basically anyway first next fine sure right obviously "
    "unfortunately luckily otherwise finally lastly overall honestly listen look perfect see sounds let's "
    "hi hello hey old new young dad mom mother father son daughter wife husband document note record birth".split()
)
_WORD = r"[a-z][a-z'\-]+"
_NAME_CUES = [
    re.compile(rf"\b(?:mr|mrs|ms|dr)\s*\.?\s+(?P<name>{_WORD})", re.I),
    re.compile(rf"\b(?:hi|hello|hey|bye|goodbye|thanks|thank you|morning|afternoon)\s*,?\s+(?:miss|mister)\s+"
               rf"(?P<name>{_WORD})", re.I),
    re.compile(rf"\b(?:hi|hello|hey|morning|afternoon|evening|bye|goodbye|thanks|thank you)\s*,?\s+(?P<name>{_WORD})"
               rf"(?=\s*[,.!?])", re.I),
    re.compile(rf"\b(?:name is|named)\s+(?P<name>{_WORD})", re.I),
    re.compile(rf"\b(?:so|okay|ok|well|now|alright|hey|oh)\s*,\s*(?P<name>{_WORD})\s*,", re.I),
    re.compile(rf"\b(?P<name>{_WORD})(?:\s+{_WORD})?\s+is\s+an?\s+(?:\d+|[a-z]+(?:[- ][a-z]+)?)[- ]year[- ]old", re.I),
    re.compile(r"(?<=[a-z,;] )(?P<name>[A-Z][a-z]{2,})\b"),  # a capitalised word mid-sentence (cased ASR text)
    # a greeting running on into the sentence: "okay hi andrea well i ..."
    re.compile(rf"\b(?:hi|hello|hey)\s+(?P<name>{_WORD})(?=\s+(?:well|how|nice|good|so|it's|i'm|i|welcome|come|great|"
               rf"thanks|thank|how's|what|what's)\b)", re.I),
]
# Dictation and introductions name the patient in full ("today i'm seeing christina cooper", "patient , bruce
# ward", "this is christina cooper , pleasant ..."): the first name is taken when the last name is already
# known from a title ("ms. cooper"), so a phrase like "seeing some swelling" never makes "some" a name.
# A dictated header names the patient in full right before the date of birth or record number.
_DICTATED = re.compile(rf"\b(?P<first>{_WORD})\s+(?P<last>{_WORD})\s*[,.:]?\s*(?:uh\s*,?\s*)?"
                       rf"(?:date of birth|dob|medical record|mrn)\b", re.I)
_FULL_NAME = re.compile(rf"\b(?:seeing|patient\s*,?|patient is|this is|name is|named|meet)\s+(?P<first>{_WORD})\s+"
                        rf"(?P<last>{_WORD})\b", re.I)
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+of\s+(?:{_MONTHS})"
    rf"(?:,?\s+\d{{4}})?|(?:{_MONTHS})\s+(?:of\s+)?\d{{4}}|\d{{1,4}}[/-]\d{{1,2}}[/-]\d{{2,4}})\b",
    re.I,
)
_PLACE_CUE = re.compile(
    rf"\b(?:live|lives|living|lived|moved|move|born|grew up|visiting|visited|trip|travel(?:ed|ling|ing)?|flew|drove)"
    rf"\s+(?:up\s+|down\s+|back\s+|over\s+)?(?:in|to|from|at)\s+(?P<place>{_WORD}(?:\s+{_WORD})?)",
    re.I,
)
_PLACE_STOP = frozenset("the a an my his her their our this that here there town home house work school it".split())
_STATE = re.compile(rf"\b(?:{_STATES})\b", re.I)
_NUMBER = re.compile(r"\d+(?:[.,/:]\d+)*")
_PLACEHOLDER = re.compile(r"\[(NAME|DATE|PLACE|NUM)_(\d+)\]")


@dataclass
class Deidentifier:
    """One visit's mapping between values and placeholders (kept in memory only)."""

    to_placeholder: dict[tuple[str, str], str] = field(default_factory=dict)
    to_value: dict[str, str] = field(default_factory=dict)

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value.lower())
        if key not in self.to_placeholder:
            count = sum(1 for k in self.to_placeholder if k[0] == kind) + 1
            placeholder = f"[{kind}_{count}]"
            self.to_placeholder[key] = placeholder
            self.to_value[placeholder] = value
        return self.to_placeholder[key]

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for kind, _ in self.to_placeholder:
            found[kind] = found.get(kind, 0) + 1
        return found

    def learn_names(self, transcript: Transcript) -> set[str]:
        """Names the visit uses (lower case), from the cues conversations put them in."""
        names: set[str] = set()
        for segment in transcript.segments:
            for cue in _NAME_CUES:
                for match in cue.finditer(segment.text):
                    name = match["name"].lower().strip("'-")
                    if _could_be_name(name):
                        names.add(name)
        for segment in transcript.segments:
            for match in _FULL_NAME.finditer(segment.text):
                first = match["first"].lower().strip("'-")
                if match["last"].lower().strip("'-") in names and _could_be_name(first):
                    names.add(first)
            for match in _DICTATED.finditer(segment.text):
                first, last = (match[k].lower().strip("'-") for k in ("first", "last"))
                if _could_be_name(first) and _could_be_name(last):
                    names.update((first, last))
        return names

    def mask(self, text: str, names: set[str]) -> str:
        text = _DATE.sub(lambda m: self._placeholder("DATE", m[0]), text)
        text = _PLACE_CUE.sub(lambda m: self._place(m), text)
        text = _STATE.sub(lambda m: self._placeholder("PLACE", m[0]), text)
        if names:
            alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            pattern = re.compile(r"\b(?:" + alternatives + r")\b", re.I)
            text = pattern.sub(lambda m: self._placeholder("NAME", m[0]), text)
        return _masked_numbers(text, self)

    def _place(self, match: re.Match[str]) -> str:
        place = match["place"]
        first = place.split()[0].lower()
        if first in _PLACE_STOP or first in _NOT_NAMES:
            return match[0]
        start = match.start("place") - match.start()
        return match[0][:start] + self._placeholder("PLACE", place)

    def restore(self, text: str) -> str:
        """Put the real values back; a placeholder the mapping does not know stays (and reads as one)."""
        return _PLACEHOLDER.sub(lambda m: self.to_value.get(m[0], m[0]), text)


def _could_be_name(word: str) -> bool:
    """Not a common word, a calendar word, a place, a medication or a problem (cased ASR capitalises those)."""
    return (len(word) > 1 and word not in _NOT_NAMES and not _STATE.fullmatch(word)
            and not re.fullmatch(rf"(?:{_MONTHS}|{_WEEKDAYS})", word)
            and word not in load_terms("medications") and word not in load_terms("problems"))


def _masked_numbers(text: str, deid: Deidentifier) -> str:
    """Numbers outside placeholders (``[NUM_1]`` must not become ``[NUM_[NUM_2]]``)."""
    parts = re.split(r"(\[(?:NAME|DATE|PLACE|NUM)_\d+\])", text)
    return "".join(p if _PLACEHOLDER.fullmatch(p) else _NUMBER.sub(lambda m: deid._placeholder("NUM", m[0]), p)
                   for p in parts)


def deidentify(transcript: Transcript) -> tuple[Transcript, Deidentifier]:
    """A copy of ``transcript`` with identifiers replaced, and the mapping that restores them."""
    deid = Deidentifier()
    names = deid.learn_names(transcript)
    masked = transcript.model_copy(deep=True)
    for segment in masked.segments:
        segment.text = deid.mask(segment.text, names)
        segment.words = []  # word timings would carry the original words
    return masked, deid


def has_placeholder(text: str) -> bool:
    return bool(_PLACEHOLDER.search(text))
