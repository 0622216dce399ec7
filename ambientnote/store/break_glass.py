"""Who else may see an encounter: metadata for compliance and admins, content only through break-glass.

Compliance officers and admins answer "who recorded what, when, and what became of it" from metadata and
the audit log; they never hold a key that opens content. When content must be read without its clinician
(an investigation, a clinician gone), the holder of the site's recovery key breaks the glass for one
encounter, with a reason: the read is an audit event naming who, which encounter and why, and a wrong
recovery key is refused (and audited) in one sentence. An encounter whose key its clinician's account did not
make (planted or moved with the data key, ``ambientnote.store.key_tags``) is read all the same, with a doubt
the face shows and the audit event records, so it is not taken for its clinician's.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from ambientnote.access import AccountRole
from ambientnote.audit.events import OUTCOME_MINOR_FAILURE
from ambientnote.audit.log import record_now
from ambientnote.errors import AccessDenied, InputError, StoreLocked
from ambientnote.note_status import NoteStatus
from ambientnote.store.account_keys import break_glass_key
from ambientnote.store.content import break_glass_cipher, owner_doubt
from ambientnote.store.encounters import EncounterDetail, read_detail, summary_row
from ambientnote.store.session import Session

MAX_REASON = 200


class EncounterMetadata(BaseModel):
    """What compliance and admins see of an encounter: no label, no details, no content."""

    id: int
    clinician: str
    status: NoteStatus
    created_at: str
    signed_at: str | None
    versions: int
    has_audio: bool


def encounter_overview(session: Session, *, limit: int | None = 50, offset: int = 0) -> list[EncounterMetadata]:
    """Every clinician's encounters, newest first, as metadata (compliance or admin; an audited list)."""
    if not session.roles & {AccountRole.compliance, AccountRole.admin}:
        session.require(AccountRole.compliance, "encounter.list")
    rows = session.store.conn.execute(
        "SELECT e.id, a.name, e.status, e.created_at, e.signed_at,"
        " (SELECT count(*) FROM note_versions v WHERE v.encounter_id = e.id),"
        " EXISTS(SELECT 1 FROM recordings r WHERE r.encounter_id = e.id AND r.purged_at IS NULL)"
        " FROM encounters e JOIN accounts a ON a.id = e.author_id ORDER BY e.id DESC LIMIT ? OFFSET ?",
        (-1 if limit is None else limit, offset)).fetchall()
    record_now(session.store, session.actor, "encounter.list",
               detail={"scope": "all clinicians, metadata", "count": len(rows), "offset": offset})
    fields = list(EncounterMetadata.model_fields)
    return [EncounterMetadata(**dict(zip(fields, row, strict=True))) for row in rows]


@dataclass(frozen=True)
class BrokenGlass:
    """One encounter read through break-glass, with the clinician it belongs to."""

    clinician: str
    detail: EncounterDetail
    doubt: str | None = None  # why it may not be the clinician's (``owner_doubt``), None when their key made it

    def warning(self) -> str | None:
        """The sentence a face shows when the encounter may not be its clinician's."""
        return None if self.doubt is None else \
            f"Encounter {self.detail.summary.id} may not be {self.clinician}'s: {self.doubt}."


def break_glass(session: Session, encounter_id: int, recovery_key: str, reason: str) -> BrokenGlass:
    """Open one encounter's content with the site's recovery key, for ``reason`` (audited, with the reason)."""
    reason = " ".join(reason.split())
    if not reason:
        raise InputError("Say why the glass is broken (--reason); nothing was opened.")
    if len(reason) > MAX_REASON:
        raise InputError(f"Keep the reason under {MAX_REASON} characters and free of patient details; "
                         "nothing was opened.")
    row = summary_row(session.store.conn, encounter_id)
    try:
        bg_private = break_glass_key(session.store, recovery_key)
        cipher = break_glass_cipher(session.store.conn, session.store.store_id, bg_private, encounter_id)
    except (StoreLocked, AccessDenied) as exc:
        record_now(session.store, session.actor, "encounter.break-glass", entity_type="encounter",
                   entity_id=encounter_id, outcome=OUTCOME_MINOR_FAILURE,
                   detail={"reason": reason, "refused": type(exc).__name__})
        raise
    detail = read_detail(session.store.conn, row, cipher)
    clinician = session.store.conn.execute("SELECT a.name FROM encounters e JOIN accounts a ON a.id = e.author_id"
                                           " WHERE e.id = ?", (encounter_id,)).fetchone()[0]
    doubt = owner_doubt(session.store.conn, session.store.store_id, bg_private, encounter_id)
    record_now(session.store, session.actor, "encounter.break-glass", entity_type="encounter",
               entity_id=encounter_id,
               detail={"reason": reason} | ({"key": "not its clinician's"} if doubt else {}))
    return BrokenGlass(clinician, detail, doubt)
