"""Whose encounter is it, for a clinician's session: the key check behind every open, and what a list withholds.

An encounter row names its author, but anyone holding the data key can rewrite that row or plant one; what they
cannot make is a key tagged by the clinician's own account (``ambientnote.store.key_tags``). So a clinician's
session opens, lists, changes, signs or exports only encounters whose key its account made; any other under its
name is refused in one sentence, left out of the list, and each refusal is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ambientnote.audit.events import OUTCOME_MINOR_FAILURE
from ambientnote.audit.log import record_now
from ambientnote.errors import AccessDenied
from ambientnote.store.content import EncounterCipher, NotYours, owner_cipher, owner_key
from ambientnote.store.session import Session

if TYPE_CHECKING:
    from ambientnote.store.encounters import EncounterSummary


class EncounterList(list["EncounterSummary"]):
    """A page of the caller's encounters; ``withheld`` names those under the caller's name whose key the caller's
    account did not make (planted or moved with the data key): they are left out, and each is audited."""

    withheld: tuple[int, ...] = ()

    def notice(self) -> str | None:
        """The one sentence a face shows when encounters were withheld."""
        if not self.withheld:
            return None
        ids = ", ".join(str(i) for i in self.withheld)
        return (f"Encounter(s) {ids} are under your name but their key was not made by your account (someone "
                "holding the data key planted or moved them), so they are not shown; tell an administrator, who "
                "finds them with 'ambientnote db check'.")


def encounter_cipher(session: Session, encounter_id: int) -> EncounterCipher:
    """The caller's key to one encounter's content; refused in one sentence for anyone but its owner."""
    return owner_cipher(session.store.conn, session.store.store_id, session.account_id, session.account_key(),
                        encounter_id, session.opened)


def refused(session: Session, kind: str, encounter_id: int, why: str) -> None:
    record_now(session.store, session.actor, kind, entity_type="encounter", entity_id=encounter_id,
               outcome=OUTCOME_MINOR_FAILURE, detail={"refused": why})


def check_key(session: Session, kind: str, encounter_id: int) -> None:
    """Refuse (audited) an encounter under the caller's name whose key their account did not make."""
    try:
        owner_key(session.store.conn, session.store.store_id, session.account_id, session.account_key(), encounter_id)
    except NotYours:
        refused(session, kind, encounter_id, "key not made by this account")
        raise


def list_cipher(session: Session, encounter_id: int, seal: bytes | None) -> EncounterCipher | None:
    """The key for one listed row: from the session's memory when it opened this seal before (a reload), else
    opened now; None for one still sealed to a key retired by an admin reset (the list shows it as sealed).
    ``NotYours`` passes through: that row is withheld."""
    if seal is not None and (known := session.opened.get(bytes(seal))) is not None:
        return EncounterCipher(session.store.store_id, encounter_id, known)
    try:
        return encounter_cipher(session, encounter_id)
    except NotYours:
        raise
    except AccessDenied:
        return None
