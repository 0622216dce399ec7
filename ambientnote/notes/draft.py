"""Drafting service: transcript in, evidence-linked note out (the CLI and the GUI both call this).

The pipeline: read the visit's clinical facts into a typed record
(``ambientnote/facts``), compose each section of the layout from those facts in
the clinical register (``compose.py`` with the wording in
``templates/notes/register/``), write the patient instructions from the same
plan facts, then run the guard over every statement. A note that quotes the
conversation scores well on overlap and reads badly; a note composed from facts
reads like a note and says only what the facts say.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from ambientnote.errors import NoSpeechError
from ambientnote.facts.extract import build_record
from ambientnote.facts.laterality import disputed_side, off_side
from ambientnote.facts.lexicon import body_parts
from ambientnote.facts.schema import VisitRecord
from ambientnote.language.phases import is_substantive
from ambientnote.notes.compose import compose_subsections, patient_instructions
from ambientnote.notes.confidence import flag_doubtful_words
from ambientnote.notes.guard import guard_note
from ambientnote.notes.layout import load_layout
from ambientnote.notes.schema import Note, Section
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.speakers.roles import roles_swapped, with_clinician_turns_relabelled, with_roles_swapped
from ambientnote.transcript import Role, Transcript

COMPOSER = "visit record"  # what wrote the note, as shown in the review and the audit


@dataclass
class DraftStats:
    seconds: float
    tokens: int


_ENGLISH = frozenset("the a and to of i you it is that in my have do for your what was this with on be not no "
                     "yes okay so are we how any".split())


def _sounds_english(transcript: Transcript) -> bool:
    """At least one word in seven is a common English word (English speech runs near one in two)."""
    words = " ".join(s.text for s in transcript.segments).lower().split()
    return not words or sum(w.strip(".,?!") in _ENGLISH for w in words) * 7 >= len(words)


def _warnings(transcript: Transcript, note: Note) -> list[str]:
    """What the clinician should know before reading: an honest short note says why it is short."""
    out = []
    if not any(s.role == Role.clinician for s in transcript.segments):
        out.append("No clinician speech was recognised; only what the patient said could be used.")
    if (transcript.language and transcript.language != "en") or not _sounds_english(transcript):
        out.append("The conversation does not look like English; notes are drafted from English conversations "
                   "only, so this one holds only what could be read.")
    if not any(True for _ in note.statements()):
        out.append("No clinical facts were found in this conversation; the note is empty.")
    elif note.record is not None and not note.record.plan:
        out.append("No plan was recognised in the conversation; add it before signing.")
    return out


def flag_off_side(note: Note, record: VisitRecord) -> None:
    """A finding on the side the rest of the visit is not about is flagged for the clinician, not corrected:
    the clinician may have misspoken the side, or examined the other limb (round 22: "left wrist" in a
    right-elbow visit). The line states no side until the clinician settles it (round 32: a line that printed
    "left wrist" beside its flag still read as wrong)."""
    if not (off := off_side(record)):
        return
    side, findings = off
    other = re.compile(r"\b(?:left|right)\s+(?=(?:\w+\s+)?(?:" + body_parts() + r")s?\b)", re.I)
    for _, _, statement in note.statements():
        for finding in findings:
            if said := re.search(re.escape(finding.text.rstrip(".")), statement.text, re.I):
                # the side said once goes and the flag quotes it: the note states no side it cannot stand by
                statement.text = statement.text[:said.start()] + other.sub("", said[0]) + statement.text[said.end():]
                statement.flags.append(f"side differs from the rest of the visit ({side}): said as '{finding.text}'; "
                                       f"which side?")


def flag_disputed_side(note: Note, record: VisitRecord, transcript: Transcript) -> None:
    """A side the visit says both ways, more often the other way than the note's, is flagged wherever the note
    writes it: the clinician settles which foot is broken, the note does not choose."""
    if not (disputed := disputed_side(record, transcript.segments)):
        return
    side, part = disputed
    other = "left" if side == "right" else "right"
    written = re.compile(rf"\b{side}\s+(?:\w+\s+)?{part}", re.I)
    for _, _, statement in note.statements():
        if written.search(statement.text):
            statement.flags.append(f"the visit names the {other} {part} more often than the {side}: which side?")


def draft_note(
    transcript: Transcript,
    *,
    template: str = "soap",
    on_progress: ProgressCallback = no_progress,
    on_section: Callable[[Section], None] | None = None,
) -> tuple[Note, DraftStats]:
    """Draft a note in the ``template`` layout (a face passes its ``Settings.note_template``); ``on_section``
    receives each section as soon as it is ready."""
    layout = load_layout(template)
    if not any(is_substantive(s) for s in transcript.segments):
        raise NoSpeechError("The transcript holds no conversation to draft a note from.")
    started = time.perf_counter()
    on_progress(0, len(layout.sections) + 1, "reading the visit's facts")
    swapped = roles_swapped(transcript)
    record = build_record(with_clinician_turns_relabelled(with_roles_swapped(transcript) if swapped else transcript))
    sections: list[Section] = []
    for n, spec in enumerate(layout.sections, start=1):
        on_progress(n, len(layout.sections) + 1, f"drafting {spec.title.lower()}")
        section = Section(key=spec.key, title=spec.title,
                          subsections=[sub for s in spec.subsections for sub in compose_subsections(record, s)])
        sections.append(section)
        if on_section:
            on_section(section)
    note = Note(template=layout.name, model=COMPOSER, sections=sections, record=record,
                instructions=patient_instructions(record))
    note.warnings = [*transcript.warnings, *_warnings(transcript, note)]  # the audio's quality first
    if swapped:
        note.warnings.insert(0, "The speaker labels looked swapped (the patient's turns sounded like the clinician's); "
                                "the note was drafted with them exchanged.")
    guard_note(note, transcript)
    flag_off_side(note, record)
    flag_disputed_side(note, record, with_roles_swapped(transcript) if swapped else transcript)
    flag_doubtful_words(note, transcript)  # what the guard cannot see: words Whisper was unsure of
    on_progress(len(layout.sections) + 1, len(layout.sections) + 1, "draft ready")
    return note, DraftStats(seconds=time.perf_counter() - started, tokens=0)
