"""The clinician's changes to a drafted note, as plain functions on ``Note`` (no store, no Qt).

Why these rules live here and not in the review screen: what makes an edit
trustworthy is the same in every face. A statement whose wording the
clinician changed no longer says what its evidence said, so it drops the
evidence and the guard's flags and is marked as the clinician's; a section
drafted again replaces only that section, and a redraft that changes nothing
is not a new version.
"""

from __future__ import annotations

from ambientnote.notes.schema import Note


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
