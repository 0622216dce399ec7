"""Which phase of the visit each transcript segment belongs to, and which turns matter.

A visit runs history → exam → results → assessment and plan, and clinicians
announce the turns ("let's take a look", "your x-ray shows", "so for your
diabetes I want to…"). Reading those cues in the clinician's turns splits the
transcript so that each note subsection is drafted from its own evidence only:
shorter prompts for the small model, and no exam finding drafted into the plan.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from ambientnote.language.terms import terms_alternation
from ambientnote.transcript import Role, Segment, Transcript

Phase = Literal["history", "exam", "results", "plan"]

_CUES: dict[Phase, re.Pattern[str]] = {
    "exam": re.compile(
        r"\b(physical exam|exam(ine|ination)?|take a (quick )?look|listen to your|lungs? (sound|are)|"
        r"heart (sounds|rate)|tender(ness)?|palpat\w*|range of motion|vital signs|pressure today|"
        r"blood pressure (is|was|today)|press (on|here)|on exam|i (?:do n't|don't|do not) appreciate any)\b",
        re.IGNORECASE,
    ),
    "results": re.compile(
        r"\b(x-?rays?|results?|labs?|blood (work|test)|ekg|ecg|echo(cardiogram)?|mri|ct scan|cat scan|"
        r"ultrasound|hemoglobin|a1c|cholesterol (level|was)|urinalysis|biopsy|imaging)\b",
        re.IGNORECASE,
    ),
    "plan": re.compile(
        r"\b(assessment|impression|diagnos\w+|my plan|the plan|plan (is|would be)|i('m| am) going to "
        r"(order|prescribe|refer|start|increase|put|send|give|recommend|have)|i want (you )?to|"
        r"i would like to|i'd like to|we('ll| will) (also )?(start|order|get|refer|continue|increase|schedule|check)|"
        r"prescri\w+|refer\w*|"
        r"follow up (with|in)|come back (in|and see)|see you (back )?in|recommend\w*|continue (on|with|your|the))\b",
        re.IGNORECASE,
    ),
}


@lru_cache(maxsize=1)
def _exam_intent() -> re.Pattern[str]:
    """ "I'd like to do a quick physical exam" announces the exam, not a plan; "i want you to push your leg out
    against my hand" is a manoeuvre of the exam, not an instruction of the plan."""
    return re.compile(r"\b(like|want|going|gon na|gonna|go ahead and|let me|let's)\b.{0,30}\b(exam\w*|"
                      r"take a (quick )?look|listen to)|"
                      r"\bi (just )?want you to (push|pull|bend|straighten|squeeze|lie|lay|back up|scoot|breathe|raise|"
                      + terms_alternation("exam_manoeuvres") + r")\b", re.IGNORECASE)


_FILLERS = re.compile(r"\b(uh+|um+|mm-?hmm|hmm+|uh-huh|you know|like,)\b[ ,]*", re.IGNORECASE)
_REPEAT = re.compile(r"\b(\w+(?:'\w+)?)(\s*,?\s+\1\b)+", re.IGNORECASE)
_SPACE_PUNCT = re.compile(r"\s+([,.?!;:])")
_ACK_WORDS = {"okay", "ok", "right", "sure", "alright", "all", "thank", "thanks", "you", "mm", "great", "good", "hi",
              "hello", "bye"}


def clean_text(text: str) -> str:
    """Drop fillers and stutters and ASR spacing so the model reads plain sentences."""
    text = text.replace(" n't", "n't").replace(" 's", "'s")
    text = _FILLERS.sub("", text)
    text = _REPEAT.sub(r"\1", text)
    text = _SPACE_PUNCT.sub(r"\1", text)
    text = re.sub(r"([,.])\s*([,.])+", r"\1", text)
    text = re.sub(r"^[\s,.]+", "", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def is_substantive(segment: Segment) -> bool:
    """False for acknowledgements and greetings ("okay .", "mm-hmm", "thank you"); a bare "no" counts."""
    words = set(re.sub(r"[^\w\s'-]", " ", clean_text(segment.text).lower()).split())
    return bool(words - _ACK_WORDS)


def _cue_phase(sentence: str) -> Phase | None:
    """The phase a statement moves the visit to; a question asks, it does not move the visit on.

    A plan cue wins ("I'm going to order an x-ray" is a plan); otherwise the last cue does.
    """
    if sentence.rstrip().endswith("?"):
        return None
    if _exam_intent().search(sentence):
        return "exam"
    if _CUES["plan"].search(sentence):
        return "plan"
    hits = [(m.start(), phase) for phase, rx in _CUES.items() for m in rx.finditer(sentence)]
    return max(hits)[1] if hits else None


# A phase opens only past this share of the visit: a history often names a test or a plan in passing.
_EARLIEST: dict[Phase, float] = {"history": 0.0, "exam": 0.15, "results": 0.15, "plan": 0.4}
# Visits move forward; exam and results come in either order, nothing returns to the history.
_NEXT: dict[Phase, set[Phase]] = {
    "history": {"exam", "results", "plan"},
    "exam": {"results", "plan"},
    "results": {"exam", "plan"},
    "plan": set(),
}
_SENTENCE = re.compile(r"(?<=[.?!])\s+")


def sentences(text: str) -> list[str]:
    """Split a turn after . ? or ! (ASR and dataset text mark sentence ends that way)."""
    return _SENTENCE.split(text.strip())


def split_by_phase(transcript: Transcript) -> list[tuple[Phase, Segment]]:
    """Each segment with its phase; a clinician turn that moves the visit on mid-way is split there.

    "Your pressure today is 152 over 96. I'd like to increase the lisinopril."
    gives an exam part and a plan part, both citing the same segment id.
    """
    out: list[tuple[Phase, Segment]] = []
    current: Phase = "history"
    total = max(len(transcript.segments), 1)
    for index, segment in enumerate(transcript.segments):
        if segment.role != Role.clinician:
            out.append((current, segment))
            continue
        runs: list[tuple[Phase, list[str]]] = []
        for sentence in sentences(segment.text):
            cue = _cue_phase(sentence)
            if cue in _NEXT[current] and index / total >= _EARLIEST[cue]:
                current = cue
            if runs and runs[-1][0] == current:
                runs[-1][1].append(sentence)
            else:
                runs.append((current, [sentence]))
        out.extend((phase, segment.model_copy(update={"text": " ".join(text)})) for phase, text in runs)
    return out


def segments_by_phase(transcript: Transcript) -> dict[Phase, list[Segment]]:
    """Substantive segments (or parts of them) grouped by phase, in transcript order."""
    grouped: dict[Phase, list[Segment]] = {"history": [], "exam": [], "results": [], "plan": []}
    for phase, segment in split_by_phase(transcript):
        if is_substantive(segment):
            grouped[phase].append(segment)
    return grouped
