"""The clinician's changes to a drafted note, as plain functions on ``Note`` (no store, no Qt).

Why these rules live here and not in the review screen: what makes an edit
trustworthy is the same in every face. A statement whose wording the
clinician changed no longer says what its evidence said, so it drops the
evidence and the guard's flags and is marked as the clinician's; a section
drafted again replaces only that section, and a redraft that changes nothing
is not a new version; an addendum and the reason for an amendment are part of
the note, so every export carries them.
"""

from __future__ import annotations

from datetime import datetime

from ambientnote.exports.document import local_time
from ambientnote.notes.schema import Note, Section, Statement, Subsection

ADDENDUM = "addendum"
ADDENDUM_TITLE = "Addendum"
AMENDMENTS = "amendments"
_SUBSECTIONS = {ADDENDUM: "ADDENDUM", AMENDMENTS: "AMENDMENTS"}


def replace_section(note: Note, fresh: Note, key: str) -> Note | None:
    """``note`` with section ``key`` taken from ``fresh``; ``None`` when that section would read the same.

    The clinician's edits in every other section stay as they are.
    """
    new = next((s for s in fresh.sections if s.key == key), None)
    old = next((s for s in note.sections if s.key == key), None)
    if new is None or (old is not None and old.model_dump() == new.model_dump()):
        return None
    sections = [new if s.key == key else s for s in note.sections]
    warnings = sorted(set(note.warnings) | set(fresh.warnings))
    return note.model_copy(update={"sections": sections, "warnings": warnings})


def clinician_statement(text: str) -> Statement:
    """A statement in the clinician's own words: it cites no transcript segment, and the guard does not judge it."""
    return Statement(text=" ".join(text.split()), author="clinician")


def reworded(statement: Statement, text: str) -> Statement | None:
    """``statement`` as the clinician left it: unchanged, reworded (then theirs, without evidence), or ``None``
    when they emptied it."""
    text = " ".join(text.split())
    if not text:
        return None
    return statement if text == statement.text else clinician_statement(text)


def add_to_addendum(note: Note, text: str, subsection: str = ADDENDUM) -> Note:
    """``note`` with ``text`` (the clinician's) at the end of its Addendum section, which is added when missing."""
    statement = clinician_statement(text)
    sections = list(note.sections)
    section = next((s for s in sections if s.key == ADDENDUM), None)
    if section is None:
        section = Section(key=ADDENDUM, title=ADDENDUM_TITLE, subsections=[])
        sections.append(section)
    subs = list(section.subsections)
    sub = next((s for s in subs if s.key == subsection), None)
    if sub is None:
        sub = Subsection(key=subsection, title=_SUBSECTIONS[subsection])
        subs.append(sub)
    subs = [s.model_copy(update={"statements": [*s.statements, statement]}) if s is sub else s for s in subs]
    sections = [s.model_copy(update={"subsections": subs}) if s is section else s for s in sections]
    return note.model_copy(update={"sections": sections})


def amendment_line(reason: str, clinician: str, when: datetime) -> str:
    """How an amendment's reason reads in the note: who amended, when (local time) and why."""
    return f"Amended by {clinician} on {local_time(when)}: {' '.join(reason.split()).rstrip('.')}."
