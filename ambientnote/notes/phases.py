"""Which phase of the visit each transcript segment belongs to, and which turns matter.

A visit runs history → exam → results → assessment and plan, and clinicians
announce the turns ("let's take a look", "your x-ray shows", "so for your
diabetes I want to…"). Reading those cues in the clinician's turns splits the
transcript so that each note subsection is drafted from its own evidence only:
shorter prompts for the small model, and no exam finding drafted into the plan.
"""

from __future__ import annotations

import re

from ambientnote.notes.layout import Phase
from ambientnote.transcript import Role, Segment, Transcript

_CUES: dict[Phase, re.Pattern[str]] = {
    "exam": re.compile(
        r"\b(physical exam|exam(ine|ination)?|take a (quick )?look|listen to your|lungs? (sound|are)|"
        r"heart (sounds|rate)|tender(ness)?|palpat\w*|range of motion|swelling|vital signs|"
        r"blood pressure (is|was|today)|press (on|here)|on exam)\b",
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
        r"we('ll| will) (start|order|get|refer|continue|increase|schedule)|prescri\w+|refer\w*|"
        r"follow up (with|in)|come back (in|and see)|see you (back )?in|recommend\w*|continue (on|with|your|the))\b",
        re.IGNORECASE,
    ),
}
_FILLERS = re.compile(r"\b(uh+|um+|mm-?hmm|hmm+|uh-huh|you know|like,)\b[ ,]*", re.IGNORECASE)
_REPEAT = re.compile(r"\b(\w+(?:'\w+)?)(\s*,?\s+\1\b)+", re.IGNORECASE)
_SPACE_PUNCT = re.compile(r"\s+([,.?!;:])")
_ACK_WORDS = {"okay", "ok", "right", "sure", "alright", "all", "thank", "thanks", "you", "mm", "great", "good", "hi", "hello", "bye"}


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


def _cue_phase(text: str) -> Phase | None:
    """The phase whose cue appears last in the turn: "here's your x-ray. now, my plan…" opens the plan."""
    hits = [(m.start(), phase) for phase, rx in _CUES.items() for m in rx.finditer(text)]
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


def assign_phases(transcript: Transcript) -> dict[str, Phase]:
    """Phase of every segment: a clinician's cue opens a phase, the other speakers follow it."""
    phases: dict[str, Phase] = {}
    current: Phase = "history"
    total = max(len(transcript.segments), 1)
    for index, segment in enumerate(transcript.segments):
        if segment.role == Role.clinician:
            cue = _cue_phase(segment.text)
            if cue in _NEXT[current] and index / total >= _EARLIEST[cue]:
                current = cue
        phases[segment.id] = current
    return phases


def segments_by_phase(transcript: Transcript) -> dict[Phase, list[Segment]]:
    """Substantive segments grouped by phase, in transcript order."""
    phases = assign_phases(transcript)
    grouped: dict[Phase, list[Segment]] = {"history": [], "exam": [], "results": [], "plan": []}
    for segment in transcript.segments:
        if is_substantive(segment):
            grouped[phases[segment.id]].append(segment)
    return grouped
