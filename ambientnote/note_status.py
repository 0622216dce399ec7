"""The state of a note version, and of an encounter (its latest version's): draft, edited, signed.

A leaf module: the store keeps it, the exports and the faces read it. A ``str``: the store's rows and every
export keep the plain words (the schema's CHECK constraint spells the same three).
"""

from __future__ import annotations

from enum import StrEnum


class NoteStatus(StrEnum):
    draft = "draft"  # as the draft came from the model or the composer
    edited = "edited"  # the clinician saved a version of their own
    signed = "signed"  # immutable; a later version amends it
