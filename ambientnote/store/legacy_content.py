"""Bringing a clinician's encounters up to date at their login: envelope encryption (stores from before v5) and
the owner's tags on encounter keys (from before v6).

Why at the owner's login: only the owner's session holds the key the encounters must be sealed to and tagged
with, and a login is the first moment the upgraded app can do it without asking anyone anything. Each encounter
is encrypted in place in its own transaction with its audit event, so a crash leaves it wholly plaintext (it
is done at the next login) or wholly encrypted. Both steps trust the store as it is, so they run only while the
account's wrap does not yet vouch that its keys are tagged (``AccountKey.tagged``): after that, a plaintext or
untagged encounter under the clinician's name was put there by someone else and is refused, not adopted. The
same pass seals to the break-glass key the encounters written while the store had none (an old store, until the
recovery key is first used), and gives the clinician back any encounter whose key their own account tagged but
whose author someone holding the data key rewrote (case E12 of docs/security/attack-rerun.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ambientnote.audit.log import record
from ambientnote.db.envelope import seal
from ambientnote.db.schema import NOTE_SIGNED_TRIGGER
from ambientnote.store.account_keys import AccountKey, private_for, tag_account_keys
from ambientnote.store.content import (
    BREAK_GLASS,
    EncounterCipher,
    NotYours,
    new_encounter_cipher,
    owner_cipher,
    seal_aad,
)
from ambientnote.store.key_tags import tag_matches

if TYPE_CHECKING:
    import sqlcipher3

    from ambientnote.store.session import Session

# The audit detail of an encounter encrypted in place at its clinician's login (``db check`` reads it as creation).
MIGRATED_DETAIL = {"encrypted": "content"}
RECLAIMED_DETAIL = {"author": "restored: its key is this clinician's"}


def encrypt_in_place(conn: sqlcipher3.Connection, store_id: str, owner: AccountKey,
                     encounter_id: int) -> EncounterCipher:
    """Encrypt a plaintext encounter's content under a new key sealed to ``owner`` (inside the caller's
    transaction)."""
    cipher = new_encounter_cipher(conn, store_id, owner, encounter_id)
    label, birth_date, mrn = conn.execute("SELECT patient_label, birth_date, mrn FROM encounters WHERE id = ?",
                                          (encounter_id,)).fetchone()
    conn.execute("UPDATE encounters SET patient_label = ?, birth_date = ?, mrn = ? WHERE id = ?",
                 (cipher.seal_text("label", label), cipher.seal_text("birth_date", birth_date),
                  cipher.seal_text("mrn", mrn), encounter_id))
    for (body,) in conn.execute("SELECT body FROM transcripts WHERE encounter_id = ?", (encounter_id,)).fetchall():
        conn.execute("UPDATE transcripts SET body = ? WHERE encounter_id = ?",
                     (cipher.seal_text("transcript", body), encounter_id))
    # A signed version's text does not change, only its bytes: the immutability trigger steps aside for this.
    conn.execute("DROP TRIGGER note_signed_immutable")
    for row_id, version, body in conn.execute("SELECT id, version, body FROM note_versions WHERE encounter_id = ?",
                                              (encounter_id,)).fetchall():
        conn.execute("UPDATE note_versions SET body = ? WHERE id = ?", (cipher.seal_text(f"note:{version}", body),
                                                                         row_id))
    conn.execute(NOTE_SIGNED_TRIGGER)
    for recording_id, idx, data in conn.execute(
            "SELECT c.recording_id, c.idx, c.data FROM recording_chunks c JOIN recordings r ON r.id = c.recording_id"
            " WHERE r.encounter_id = ?", (encounter_id,)).fetchall():
        conn.execute("UPDATE recording_chunks SET data = ? WHERE recording_id = ? AND idx = ?",
                     (cipher.seal(f"audio:{recording_id}:{idx}", bytes(data)), recording_id, idx))
    return cipher


def bring_up_to_date(session: Session) -> int:
    """Encrypt the caller's plaintext encounters and tag their untagged keys (until the wrap vouches for the
    tags), add missing break-glass seals; returns how many changed."""
    store, account_key = session.store, session.account_key()
    conn = store.conn
    plain = [] if account_key.tagged else [r[0] for r in conn.execute(
        "SELECT id FROM encounters WHERE author_id = ? AND id NOT IN (SELECT encounter_id FROM encounter_keys)",
        (session.account_id,)).fetchall()]
    for encounter_id in plain:
        with store.transaction() as tx:
            encrypt_in_place(tx, store.store_id, account_key, encounter_id)
            record(tx, session.actor, "encounter.edit", entity_type="encounter", entity_id=encounter_id,
                   detail=MIGRATED_DETAIL)
    tagged = 0
    if not account_key.tagged:
        with store.transaction() as tx:
            tagged = tag_account_keys(tx, store.store_id, account_key)
    reclaimed = reclaim_moved(session)
    bg_public = account_key.break_glass
    unsealed = [] if bg_public is None else [r[0] for r in conn.execute(
        "SELECT k.encounter_id FROM encounter_keys k JOIN encounters e ON e.id = k.encounter_id"
        " WHERE e.author_id = ? AND k.owner_key_id = ? AND k.break_glass_seal IS NULL",
        (session.account_id, account_key.id)).fetchall()]
    if bg_public is not None and unsealed:
        with store.transaction() as tx:
            for encounter_id in unsealed:
                try:
                    key = owner_cipher(tx, store.store_id, session.account_id, account_key, encounter_id).key
                except NotYours:
                    continue  # not the clinician's: refused where it is listed or opened
                tx.execute("UPDATE encounter_keys SET break_glass_seal = ? WHERE encounter_id = ?",
                           (seal(bg_public, key, seal_aad(store.store_id, encounter_id, BREAK_GLASS)), encounter_id))
    return len(plain) + tagged + reclaimed + len(unsealed)


def reclaim_moved(session: Session) -> int:
    """Make the caller the author again of each encounter whose key their account tagged but whose author row
    names someone else (rewritten with the data key); one audited edit each. Returns how many."""
    store, account_key = session.store, session.account_key()
    rows = store.conn.execute(  # indexes only: a login reads no encounter row (db check must get in to name damage)
        "SELECT k.encounter_id, k.owner_key_id, k.owner_seal, k.owner_tag FROM account_keys a"
        " JOIN encounter_keys k ON k.owner_key_id = a.id WHERE a.account_id = ?"
        " AND k.encounter_id NOT IN (SELECT id FROM encounters WHERE author_id = ?)",
        (session.account_id, session.account_id)).fetchall()
    moved = [eid for eid, key_id, owner_seal, tag in rows
             if (private := private_for(store.conn, store.store_id, account_key, key_id)) is not None
             and tag_matches(private, store.store_id, eid, key_id, owner_seal, tag)]
    reclaimed = 0
    for encounter_id in moved:
        with store.transaction() as tx:
            if tx.execute("UPDATE encounters SET author_id = ? WHERE id = ?",
                          (session.account_id, encounter_id)).rowcount:  # not a key left behind by a deleted row
                record(tx, session.actor, "encounter.edit", entity_type="encounter", entity_id=encounter_id,
                       detail=RECLAIMED_DETAIL)
                reclaimed += 1
    return reclaimed
