"""Spoken words into note words: the small rewrites every extractor needs.

Conversation text carries fillers, hedges, spoken numbers and second-person
address ("on your heart exam, i do appreciate a three out of six murmur");
notes carry none of these ("3/6 systolic ejection murmur"). These functions
only remove or normalise words, never add a fact.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ambientnote.facts.lexicon import lexicon
from ambientnote.facts.numbers import digits
from ambientnote.language.phases import clean_text, sentences

_FILLERS = re.compile(
    r"\b(you know|i mean|kind of|kinda|sort of|basically|"
    # "like" the filler, not the verb: "i (really) like photography", "i'd like to", "she doesn't like"
    r"(?<!\bi )(?<!\bwe )(?<!\byou )(?<!\bthey )(?<!\bi'd )(?<!\bwould )(?<!\breally )(?<!\bnot )(?<!n't )like|"
    r"actually|just|really|pretty much|obviously|"
    r"certainly|definitely|you see|um+|uh+|uhm|mm-?hmm)\b[\s,]*",
    re.I,
)
_LEAD = re.compile(r"^(?:(?:so|and|but|now|well|also|then|yeah|yes|oh|hey|because|cause|um|uh)\b[\s,.]*)+", re.I)
_UNITS = [
    (r"\bmilligrams?\b", "mg"), (r"\bmicrograms?\b", "mcg"), (r"\bmilliliters?\b", "mL"),
    (r"\bcentimeters?\b", "cm"), (r"\bmillimeters?\b", "mm"), (r"\bpercent\b", "%"),
    (r"\bkilograms?\b", "kg"), (r"\bpounds?\b", "lb"), (r"\bunits?\b", "units"),
]


_STUTTER = re.compile(r"\b((?:\w+'?\w*\s+){1,3}?\w+'?\w*),?\s+\1\b", re.I)
# a word begun and said again whole: "2/6 s systolic", "no lymph lymphadenopathy", "local localized"
_RESTART = re.compile(r"(?<!vitamin )(?<!hepatitis )(?<!type )(?<!grade )(?<!class )(?<!stage )(?<!group )"
                      r"(?<!factor )(?<!plan )(?<!part )(?<!['’])"
                      r"\b(?:(?![ai]\b)([b-hj-z])|([a-z]{4,}))\s+(?=(?:\1|\2)[a-z])", re.I)


@lru_cache(maxsize=8192)  # the same turn is cleaned by every extractor that reads it
def spoken_clean(text: str) -> str:
    """Fillers, stutters ("i was i was") and ASR spacing removed ("you 're" → "you're"); numbers as digits."""
    text = re.sub(r"\s+'(re|ve|ll|d|m)\b", r"'\1", text)
    text = re.sub(r"\b(?:\w+-\s+)+(?=\w+-\s)", "", text)  # false starts: "my- the- my- top part" → "my- top part"
    text = re.sub(r"\b([a-z]{3,})\s+\w+-\s+(?=\1\b)", "", text, flags=re.I)  # "lortab 500- lortab 5 mg": said again
    text = re.sub(r"\b([a-z]{4,})\s+(?=\1[a-z])", "", text, flags=re.I)  # a word begun: "elasto elastography"
    # a word begun and dropped ("a s- uh, aluminum foam splint"), not a short word said again ("my- the- my- top")
    text = re.sub(r"\b(?!(?:a|i|my|me|we|he|to|in|on|at|it|is|an|of|or|so|no|up|do|go|us|be|by|if)-)[a-z]{1,2}-\s+"
                  r"(?=[a-z])", "", text, flags=re.I)
    text = re.sub(r"(\w)-(?=[\s.,?!]|$)", r"\1", text)  # a word cut off by the next speaker: "therapy-"
    text = re.sub(r"\b\w+\s*,\s*excuse me\s*,\s*(?=\w)", "", text, flags=re.I)  # "a wide local incision, excuse me,
    # excision": the word taken back
    return _RESTART.sub("", _STUTTER.sub(r"\1", clean_text(digits(text))))


def plain(text: str) -> str:
    """Hedges and fillers removed as well ("you know", "kind of", "just"), for facts written into a note."""
    text = _FILLERS.sub("", spoken_clean(text))
    return re.sub(r"\s{2,}", " ", _LEAD.sub("", text.strip())).strip(" ,")


def units(text: str) -> str:
    """Units as notes write them: "80 milligrams" → "80 mg", "98 percent" → "98%"."""
    for pattern, unit in _UNITS:
        text = re.sub(pattern, unit, text, flags=re.I)
    return re.sub(r"(\d) %", r"\1%", text)


_TAG_QUESTION = re.compile(r"[,\s]*\b(okay|ok|right|all right|alright|yeah|you know|correct|does that make sense|"
                           r"sound good|how does that sound|is that okay)\s*\?$", re.I)
_DICTATION = re.compile(r"\b(?:hey\s*,?\s*)?(?:dragon|dax)\b\s*[,?.]?", re.I)


# Unpunctuated speech (ASR without sentence ends) runs many sentences together; these words start a new one.
_RUN_ON = re.compile(r"\s+(?=(?:okay|alright|all right|so (?:for|i|we|your|the|let's)|and (?:so )?for (?:your|the)|"
                     r"now (?:for|on|your)|for (?:your|the) (?:first|second|third|next|last|other) problem|"
                     # "… lidocaine swish and swallow and i'm gon na give you …": each order its own statement
                     r"and (?:i'm|i am|we're|we are) (?:gon na|going to) (?:give|prescribe|start|put|order|send))\b)",
                     re.I)
# "swab you for a rapid strep test and if that's positive i'll prescribe amoxicillin": the condition is the drug's,
# not the test's, however short the sentence
ON_RESULT = (r"if (?:that|it|this|the \w+(?: test)?)(?:'s| is| comes back| shows)\s+(?:\w+\s+)?"
             r"(?P<result>positive|negative)\b")
_ON_RESULT = re.compile(rf"\s+(?=and {ON_RESULT})", re.I)


# Unpunctuated ASR runs a whole turn into one sentence ("so on your heart exam i do hear a murmur your lungs are
# clear so let's talk about your plan"); a new sentence starts before these words.
# "we are gon na have you continue your aspirin": "have you" before a bare verb tells, it does not ask
_CAUSATIVE = r"(?! (?:continue|start|stop|take|keep|come|go|get|use|try|follow|see|hold|increase|decrease|do)\b)"
_MARKERS = [
    r"(?<!\bit's )(?<!\bis )(?<!\bbe )(?<!\bare )(?:so|okay|alright|all right|now|and then|um|uh|but)\s+"
    r"(?!that\b|much\b|far\b|good\b|bad\b|with\b)",
    r"on (?:your|the|his|her) \w+(?: \w+)? exam", r"on exam\b", r"in (?:terms of|regards to)\b",
    r"i(?:'m| am) (?:also |just |now |then )?(?:going to|gonna|gon na)\b",
    r"i (?:want|wan na|would like|'d like|think|do|don't|see|hear|appreciate|notice|feel|also|will|recommend)\b",
    r"i can (?:see|feel|appreciate|hear)\b",
    r"let's\b", r"let me\b", r"lem me\b", r"we(?:'re| are)? (?:going|gon na|gonna|will|can|could|need)\b", r"we'll\b",
    # "… normal range of movement | with your right wrist let's go ahead and focus on it": the next part examined
    r"(?:with|for|on) (?:your|the) (?:right|left) \w+,? (?=let's|let me|lem me|i'm gon na|i'm going to)",
    r"there(?:'s| is| are) (?:no|some|a|an|mild|good|evidence)\b", r"(?:i )?notic(?:e|ed) (?:some|a|an)\b",
    r"(?:do|are|did|can|could|would|will) you\b", rf"have you\b{_CAUSATIVE}",
    r"is (?:that|it|there)\b(?! (?:sounds|looks|seems)\b)",
    r"does (?:that|it)\b",
    r"how (?:about|is|are|long|much|often|many)\b", r"what (?:about|is|are|do)\b",
    r"any (?:other )?(?:questions|pain|fever|chest|shortness)\b",
    r"your \w+(?: \w+)? (?:is|are|was|were|looks?|sounds?|shows?|feels?)\b",
    # the next part examined, said without its verb: "… clear to auscultation bilaterally | your lower legs you have …"
    r"your (?:lower |upper )?(?:legs|extremities|shoulders|abdomen|belly)\b(?=\s+(?:you|i|every|there|no)\b)",
]
_MARKER = re.compile(r"\s+(?=(?:" + "|".join(_MARKERS) + r"))"
                     r"|(?<!\bdo)(?<!\bdid)(?<!\bare)(?<!\bhave)(?<!\bcan)(?<!\bwould)(?<!\bif)(?<!\bwhen)(?<!\blike)(?<!\bwhat)\s+"
                     r"(?=you (?:have|had|are|were|do have)\b)", re.I)
_ASKING = re.compile(r"^(?:(?:so|okay|alright|all right|and|now|but|um|uh)\s+)*(?:(?:do|are|did|can|could|would|will)"
                     rf" you\b|have you\b{_CAUSATIVE})|"
                     r"^(?:is (?:that|it|there)|does (?:that|it)|how|what(?! (?:i|we)\b)|any)\b",
                     re.I)  # "what i would like you to use is …" tells


def punctuated(text: str) -> str:
    """A turn with sentence ends where unpunctuated speech leaves them out (no change to punctuated text).

    Only a turn that runs on (fewer than one sentence end in 30 words) is split: before discourse markers
    ("so", "okay"), announcements ("on your heart exam", "i'm going to", "let's"), findings ("your lungs are",
    "there's no") and questions, which end with "?".
    """
    words = len(text.split())
    if not re.search(r"[.?!]", text) and _ASKING.search(text) and words < 30:
        return text.rstrip(" ,") + "?"  # "have you ever been diagnosed with lyme disease before" asks
    unpunctuated = not re.search(r"[.?!]", text) and words >= 8  # a short turn with no sentence end runs on too
    if not unpunctuated and (words < 30 or len(re.findall(r"[.?!]", text)) * 30 >= words):
        return text
    parts: list[str] = []
    for part in (p.strip(" ,") for p in _MARKER.split(text)):
        if part and parts and (re.search(r"\b(?:of|on|in|to|at|with|for|from|the|a|an|your|my|and|or|that|if|whether|"
                                         r"sure|ensure|because|as|about|regarding)$", parts[-1], re.I)
                               or len(re.findall(r"\w+", parts[-1])) <= 2
                               or re.search(r"\bif\b[^.?!]*,$", parts[-1] + ",")
                               and re.match(r"(?:we|i|then)\b", part, re.I)):
            parts[-1] += " " + part  # "on the inside of | your knee", "i think | you have …": no split there
        elif part:
            parts.append(part)
    return " ".join(p if p[-1] in ".?!" else p + ("?" if _ASKING.search(p) else ".") for p in parts)


def statements(text: str) -> list[str]:
    """Sentences of a turn, cleaned, without dictation cues ("hey dragon") and with tag questions
    ("…, okay?") read as the statements they are."""
    out = []
    for said in sentences(spoken_clean(_DICTATION.sub("", text))):
        run_on = _RUN_ON.split(said) if len(said.split()) > 40 else [said]
        for part in (piece for clause in run_on for piece in _ON_RESULT.split(clause)):
            part = _TAG_QUESTION.sub(".", part.strip(" ,")).strip()
            if part.strip(" ,.?!"):
                out.append(part)
    return out


def clauses(text: str) -> list[str]:
    """Statements of a turn, each split further at "; " and at ", and " before a new finding."""
    out = []
    for sentence in statements(text):
        for part in re.split(r";\s+|,\s+(?:and\s+)?(?=(?:on (?:your|the|his|her)|your|there's|there is|i do)\b)",
                             sentence):
            if part.strip(" ,.?!"):
                out.append(part.strip())
    return out


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    data = lexicon("spelling")
    return {**data["acronyms"], **{b: b.capitalize() for b in data["brands"]["names"]},
            **{e: "-".join(p.capitalize() for p in e.split("-")) for e in data["eponyms"]["names"]},
            **{d: d.capitalize() for d in data["calendar"]["names"]}}


def spelled(text: str) -> str:
    """Acronyms, brand names, eponyms and days as notes write them ("gerd" → "GERD", "lasix" → "Lasix", "lisfranc" →
    "Lisfranc", "sunday" → "Sunday")."""
    words = _spellings()

    def written(match: re.Match[str]) -> str:  # "crohn's" as a whole, else "covid" of "covid-19"
        return words.get(match[0]) or words.get(match[1], match[1]) + match[0][len(match[1]):]

    text = re.sub(r"\b([a-z][a-z0-9]*)(?:['-][a-z]*)?", written, text)
    text = re.sub(r"\b(in|since|until|of|early|late|mid|through) (march|may)\b(?! be\b)", lambda m: f"{m[1]} "
                  f"{m[2].capitalize()}", text, flags=re.I)  # the months that are words too, where a date is said
    return re.sub(rf"\b((?:{'|'.join(lexicon('spelling')['letters']['after'])}) )([a-z])(\d*)\b",
                  lambda m: m[1] + m[2].upper() + m[3], text, flags=re.I)


def capitalised(text: str) -> str:
    text = text.strip(" ,;")
    return text[:1].upper() + text[1:] if text else text


_UNCONTRACTED = [(r"\b(it|he|she|that|there|what)'s\b", r"\1 is"),
                 (r"\b(is|does|do|was|were|has|have|did)n't\b", r"\1 not"), (r"\bcan't\b", "cannot"),
                 (r"\bwon't\b", "will not"), (r"\b(they|we|you)'re\b", r"\1 are")]


def sentence(text: str) -> str:
    """``text`` as a note sentence: capitalised, one full stop, spacing tidied, no contractions."""
    for pattern, repl in _UNCONTRACTED:
        text = re.sub(pattern, repl, text, flags=re.I)
    text = re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split())).strip(" ,;")
    text = capitalised(spelled(text.rstrip(".!?")))
    return f"{text}." if text else ""


# the words speech trails off on: "… of the right lower quadrant, but other than", "cut down on caffeine 'cause",
# "bring those numbers with"
_DANGLING = re.compile(r"(?:,?\s+(?:but|and|or|so|because|'cause|cause)(?:\s+other than)?|\s+(?:with|other than))"
                       r"(?=\.$)", re.I)


def without_trailing_words(text: str) -> str:
    """A finished sentence without the conjunction or preposition the speaker trailed off on."""
    return _DANGLING.sub("", text)


def joined(items: list[str], conjunction: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


MODALS = ("cannot", "can", "could", "will", "would", "should", "might", "may", "must", "had", "was", "did")
_PAST = frozenset(
    "thought heard took felt got went came saw fell hurt put said told made began woke broke ran ate drank slept left "
    "kept found knew gave wore bought brought caught lost sat stood threw wrote drove rode hit quit set cut let read "
    "became spent sent lay laid paid meant tried".split())
# the past tense of verbs a history uses ("did you fall?" — "yes" → "She fell."; "i did go hiking" → "went")
PAST_OF = {"have": "had", "hear": "heard", "feel": "felt", "take": "took", "fall": "fell", "get": "got",
           "go": "went", "see": "saw", "hit": "hit", "hurt": "hurt", "lose": "lost", "notice": "noticed",
           "try": "tried", "twist": "twisted", "injure": "injured", "check": "checked", "start": "started",
           "stop": "stopped", "use": "used", "miss": "missed", "gain": "gained", "develop": "developed",
           "experience": "experienced", "travel": "traveled", "receive": "received", "finish": "finished",
           "run": "ran", "eat": "ate", "drink": "drank", "wear": "wore", "bump": "bumped", "land": "landed"}
_IRREGULAR = {"have": "has", "do": "does", "go": "goes", "am": "is", "be": "is", "were": "was"}  # "my wife and i were"

def third_person_verb(word: str) -> str:
    """The third-person form of a present-tense verb ("feel" → "feels", "try" → "tries")."""
    lowered = word.lower()
    if lowered in _IRREGULAR:
        return _IRREGULAR[lowered]
    if (lowered in MODALS or lowered in _PAST or lowered.endswith(("ed", "ing", "ly"))
            or lowered in ("is", "has", "does")):
        return word
    if re.search(r"(s|sh|ch|x|z|o)$", lowered):
        return word + "es"
    if re.search(r"[^aeiou]y$", lowered):
        return word[:-1] + "ies"
    return word + "s"
