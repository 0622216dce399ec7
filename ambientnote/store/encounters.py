"""Encounters: a clinician's consultations with their audio, transcript and note versions.

A clinician sees and changes only their own encounters; compliance and admin
roles never read note bodies. Note versions go draft → edited → signed; a
signed version is immutable (a trigger enforces it) and an amendment is a new
version. Every read and change is audited in the transaction that makes it.
The note itself is opaque JSON here: its schema belongs to the drafting code.

Content (label, date of birth, MRN, transcript, notes, audio) is stored encrypted under the encounter's own
key, which only its owner's key pair or the break-glass key opens (``ambientnote.store.content``): the
role checks here say no politely, the encryption makes it so for anyone holding only the data key, and the
owner's tag on each key (``ambientnote.store.key_tags``) keeps an encounter that someone holding the data key
planted under a clinician's name, or moved there, from being shown or changed as theirs.
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pydantic import BaseModel

from ambientnote.access import AccountRole
from ambientnote.audit.log import record, record_now
from ambientnote.db.connection import utcnow
from ambientnote.errors import AccessDenied, InputError
from ambientnote.note_status import NoteStatus
from ambientnote.store.content import EncounterCipher, NotYours, new_encounter_cipher
from ambientnote.store.ownership import EncounterList, check_key, encounter_cipher, list_cipher, refused
from ambientnote.store.patient import PatientDetails, patient_details
from ambientnote.store.session import Session
from ambientnote.transcript import Transcript

if TYPE_CHECKING:
    import sqlcipher3

CHUNK_BYTES = 1 << 20


class EncounterSummary(BaseModel):
    id: int
    patient_label: str
    status: NoteStatus
    created_at: str
    birth_date: str | None = None  # ISO YYYY-MM-DD, when entered
    mrn: str | None = None
    started_at: str | None = None
    ended_at: str | None = None
    signed_at: str | None = None
    signed_version: int | None = None  # the latest signed version
    signatures: int = 0  # how many versions were signed: more than one means amended


class NoteVersion(BaseModel):
    version: int
    status: NoteStatus
    body: str
    model: str | None
    created_at: str
    signed_at: str | None = None


class RecordingInfo(BaseModel):
    format: str
    size: int
    sha256: str
    purged_at: str | None = None


class EncounterDetail(BaseModel):
    summary: EncounterSummary
    transcript: Transcript | None
    notes: list[NoteVersion]
    recording: RecordingInfo | None = None

    @property
    def latest(self) -> NoteVersion:
        return self.notes[-1]


_SIGNED = "FROM note_versions v WHERE v.encounter_id = encounters.id AND v.status = 'signed'"
_SUMMARY_COLS = ("id, patient_label, status, created_at, started_at, ended_at, signed_at, "
                 f"(SELECT MAX(v.version) {_SIGNED}), (SELECT COUNT(*) {_SIGNED}), birth_date, mrn")
_SUMMARY_FIELDS = ["id", "patient_label", "status", "created_at", "started_at", "ended_at", "signed_at",
                   "signed_version", "signatures", "birth_date", "mrn"]


SEALED_LABEL = "(sealed to an earlier key of yours)"


def summary_of(row: tuple[Any, ...], cipher: EncounterCipher | None) -> EncounterSummary:
    """A summary row with its label and details decrypted (``None``: they stay sealed, shown as such)."""
    fields = dict(zip(_SUMMARY_FIELDS, row, strict=True))
    for name, part in (("patient_label", "label"), ("birth_date", "birth_date"), ("mrn", "mrn")):
        fields[name] = cipher.open_text(part, fields[name]) if cipher else None
    fields["patient_label"] = fields["patient_label"] or SEALED_LABEL
    # Rows come from our own typed schema; skipping validation keeps a 100,000-row list fast.
    return EncounterSummary.model_construct(**fields)


def _note_text(note_json: str | dict[str, Any] | BaseModel) -> str:
    """The note as JSON text: a str is checked, a dict dumped, a pydantic model serialised."""
    if hasattr(note_json, "model_dump_json"):
        return note_json.model_dump_json()
    if isinstance(note_json, dict):
        return json.dumps(note_json, ensure_ascii=False)
    try:
        json.loads(note_json)
    except (TypeError, ValueError) as exc:
        raise InputError("The note is not valid JSON; nothing was saved.") from exc
    return note_json


def own_encounter(session: Session, encounter_id: int, kind: str) -> tuple[Any, ...]:
    """The caller's encounter row; others' encounters, and one whose key the caller's account did not make, are
    refused and the refusal is audited."""
    session.require(AccountRole.clinician, kind, entity_type="encounter", entity_id=encounter_id,
                    refusal=f"Encounter content is its clinician's alone: this needs the clinician role, which "
                            f"'{session.account}' does not hold (compliance and admin see metadata with "
                            "'ambientnote encounter overview', content only through break-glass).")
    row = session.store.conn.execute(
        f"SELECT {_SUMMARY_COLS}, author_id FROM encounters WHERE id = ?", (encounter_id,)
    ).fetchone()
    if row is None:
        raise InputError(f"There is no encounter {encounter_id}.")
    if row[-1] != session.account_id:
        refused(session, kind, encounter_id, "not the author")
        raise AccessDenied(f"Encounter {encounter_id} belongs to another clinician.")
    check_key(session, kind, encounter_id)
    return row[:-1]


def _open_audio(audio_path: Path) -> BinaryIO:
    try:
        return open(audio_path, "rb")
    except OSError as exc:
        raise InputError(f"The audio file {audio_path} cannot be read ({exc.strerror}); nothing was saved.") from exc


def _store_audio_stream(conn: sqlcipher3.Connection, cipher: EncounterCipher, fh: BinaryIO, fmt: str) -> int:
    """Store audio read from an open binary stream (a file, or bytes in memory that never touch disk) in 1 MiB
    chunks, each encrypted under the encounter's key; returns its size."""
    cur = conn.execute(
        "INSERT INTO recordings(encounter_id, format, size, sha256, created_at) VALUES (?, ?, 0, '', ?)",
        (cipher.encounter_id, fmt, utcnow()),
    )
    recording_id, digest, size = cur.lastrowid, hashlib.sha256(), 0
    with fh:
        for idx, chunk in enumerate(iter(lambda: fh.read(CHUNK_BYTES), b"")):
            conn.execute("INSERT INTO recording_chunks(recording_id, idx, data) VALUES (?, ?, ?)",
                         (recording_id, idx, cipher.seal(f"audio:{recording_id}:{idx}", chunk)))
            digest.update(chunk)
            size += len(chunk)
    conn.execute("UPDATE recordings SET size = ?, sha256 = ? WHERE id = ?", (size, digest.hexdigest(), recording_id))
    return size


def save_draft(
    session: Session,
    *,
    patient_label: str,
    transcript: Transcript,
    note_json: str | dict[str, Any] | BaseModel,
    audio_path: Path | None,
    model: str,
    audio: bytes | None = None,
    audio_format: str = "flac",
    birth_date: str | None = None,
    mrn: str | None = None,
) -> int:
    """Store audio, transcript and draft note as a new encounter of the caller; returns its id.

    ``note_json`` is kept opaque: JSON text, a dict, or a pydantic model (serialised as is).
    ``audio`` (bytes in ``audio_format``) is the alternative to ``audio_path`` for a recording
    held only in memory, e.g. one decrypted from the crash-safe spool: no plaintext file on disk.
    ``birth_date`` (YYYY-MM-DD) and ``mrn`` are optional and checked first (``ambientnote.store.patient``);
    the audit event says which were entered, never what.

    All of it commits in one transaction with its audit event: a crash keeps the
    whole encounter or none of it.
    """
    session.require(AccountRole.clinician, "encounter.create", entity_type="encounter")
    if not patient_label.strip():
        raise InputError("Give the encounter a patient label; nothing was saved.")
    details = patient_details(birth_date, mrn)
    body = _note_text(note_json)
    audio_file = _open_audio(Path(audio_path)) if audio is None and audio_path else None
    now = datetime.now(UTC)
    started = (now - timedelta(seconds=transcript.duration)).isoformat(timespec="microseconds")
    with session.store.transaction() as tx:
        encounter_id = int(tx.execute(
            "INSERT INTO encounters(author_id, patient_label, started_at, ended_at, created_at, status)"
            " VALUES (?, '', ?, ?, ?, 'draft')",
            (session.account_id, started, now.isoformat(timespec="microseconds"), utcnow()),
        ).lastrowid or 0)
        cipher = new_encounter_cipher(tx, session.store.store_id, session.account_key(), encounter_id)
        _write_details(tx, cipher, patient_label.strip(), details)
        tx.execute("INSERT INTO transcripts(encounter_id, body, model, created_at) VALUES (?, ?, ?, ?)",
                   (encounter_id, cipher.seal_text("transcript", transcript.model_dump_json()), transcript.model,
                    utcnow()))
        tx.execute(
            "INSERT INTO note_versions(encounter_id, version, status, body, model, author_id, created_at)"
            " VALUES (?, 1, 'draft', ?, ?, ?, ?)",
            (encounter_id, cipher.seal_text("note:1", body), model, session.account_id, utcnow()),
        )
        if audio is not None:
            audio_bytes = _store_audio_stream(tx, cipher, io.BytesIO(audio), audio_format)
        elif audio_file is not None:
            audio_bytes = _store_audio_stream(tx, cipher, audio_file, Path(audio_path or "").suffix.lstrip(".").lower()
                                              or "bin")
        else:
            audio_bytes = 0
        record(tx, session.actor, "encounter.create", entity_type="encounter", entity_id=encounter_id,
               detail={"segments": len(transcript.segments), "audio_bytes": audio_bytes, "model": model,
                       **({"patient_details": dict.fromkeys(details.entered(), "set")} if details.entered() else {})})
    return encounter_id


def _write_details(conn: sqlcipher3.Connection, cipher: EncounterCipher, label: str, details: PatientDetails) -> None:
    conn.execute("UPDATE encounters SET patient_label = ?, birth_date = ?, mrn = ? WHERE id = ?",
                 (cipher.seal_text("label", label), cipher.seal_text("birth_date", details.birth_date),
                  cipher.seal_text("mrn", details.mrn), cipher.encounter_id))


def set_patient_details(session: Session, encounter_id: int, *, birth_date: str | None = None,
                        mrn: str | None = None) -> PatientDetails:
    """Enter, correct or clear (``""``) the date of birth and MRN of one of the caller's encounters.

    ``None`` leaves a detail as it is. They belong to the encounter, not to a note version, so a correction
    shows in every later export, a signed version's too; the audit event names the details set or cleared,
    never their values. Returns the details now stored.
    """
    checked = patient_details(birth_date, mrn)  # a mistake is refused before anything is read or written
    own = own_encounter(session, encounter_id, "encounter.edit")
    cipher = encounter_cipher(session, encounter_id)
    stored = summary_of(own, cipher)
    given = {"birth_date": birth_date, "mrn": mrn}
    now = PatientDetails(**{k: getattr(stored, k) if given[k] is None else getattr(checked, k) for k in given})
    changed = [k for k in given if getattr(now, k) != getattr(stored, k)]
    if changed:
        with session.store.transaction() as tx:
            _write_details(tx, cipher, stored.patient_label, now)
            record(tx, session.actor, "encounter.edit", entity_type="encounter", entity_id=encounter_id,
                   detail={"patient_details": {k: "set" if getattr(now, k) else "cleared" for k in changed}})
    return now


def list_encounters(session: Session, *, limit: int | None = 50, offset: int = 0) -> EncounterList:
    """The caller's encounters, newest first (labels only, no bodies); see ``EncounterList`` for those withheld."""
    session.require(AccountRole.clinician, "encounter.list")
    rows = session.store.conn.execute(
        f"SELECT {_SUMMARY_COLS}, (SELECT k.owner_seal FROM encounter_keys k WHERE k.encounter_id = encounters.id)"
        " FROM encounters WHERE author_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        (session.account_id, -1 if limit is None else limit, offset),
    ).fetchall()
    listed = EncounterList()
    for row in rows:
        try:
            listed.append(summary_of(row[:-1], list_cipher(session, row[0], row[-1])))
        except NotYours:
            listed.withheld += (row[0],)
            refused(session, "encounter.list", row[0], "key not made by this account")
    record_now(session.store, session.actor, "encounter.list", detail={"count": len(listed), "offset": offset})
    return listed


def show_encounter(session: Session, encounter_id: int) -> EncounterDetail:
    """One of the caller's encounters with transcript and every note version (an audited read)."""
    row = own_encounter(session, encounter_id, "encounter.read")
    detail = read_detail(session.store.conn, row, encounter_cipher(session, encounter_id))
    record_now(session.store, session.actor, "encounter.read", entity_type="encounter", entity_id=encounter_id)
    return detail


def summary_row(conn: sqlcipher3.Connection, encounter_id: int) -> tuple[Any, ...]:
    """An encounter's summary columns as stored (content still sealed)."""
    row = conn.execute(f"SELECT {_SUMMARY_COLS} FROM encounters WHERE id = ?", (encounter_id,)).fetchone()
    if row is None:
        raise InputError(f"There is no encounter {encounter_id}.")
    return tuple(row)


def read_detail(conn: sqlcipher3.Connection, row: tuple[Any, ...], cipher: EncounterCipher) -> EncounterDetail:
    """Transcript and every note version of the encounter of ``row``, decrypted (the caller audits the read)."""
    encounter_id = row[0]
    text = conn.execute("SELECT body FROM transcripts WHERE encounter_id = ?", (encounter_id,)).fetchone()
    notes = [
        NoteVersion(version=v, status=s, body=cipher.open(f"note:{v}", b).decode(), model=m, created_at=c,
                    signed_at=sa)
        for v, s, b, m, c, sa in conn.execute(
            "SELECT version, status, body, model, created_at, signed_at FROM note_versions"
            " WHERE encounter_id = ? ORDER BY version", (encounter_id,))
    ]
    rec = conn.execute("SELECT format, size, sha256, purged_at FROM recordings WHERE encounter_id = ?",
                       (encounter_id,)).fetchone()
    return EncounterDetail(
        summary=summary_of(row, cipher),
        transcript=Transcript.model_validate_json(cipher.open("transcript", text[0])) if text else None,
        notes=notes,
        recording=RecordingInfo(format=rec[0], size=rec[1], sha256=rec[2], purged_at=rec[3]) if rec else None,
    )


def read_audio(session: Session, encounter_id: int) -> bytes:
    """The encounter's audio bytes (for playback in memory; an audited read)."""
    own_encounter(session, encounter_id, "encounter.read")
    cipher = encounter_cipher(session, encounter_id)
    chunks = session.store.conn.execute(
        "SELECT c.recording_id, c.idx, c.data FROM recording_chunks c JOIN recordings r ON r.id = c.recording_id"
        " WHERE r.encounter_id = ? ORDER BY c.idx", (encounter_id,)).fetchall()
    if not chunks:
        raise InputError(f"Encounter {encounter_id} has no audio (none was recorded, or it was purged).")
    audio = b"".join(cipher.open(f"audio:{rid}:{idx}", data) for rid, idx, data in chunks)
    record_now(session.store, session.actor, "encounter.read", entity_type="encounter", entity_id=encounter_id,
               detail={"part": "audio"})
    return audio


def _latest_version(conn: sqlcipher3.Connection, encounter_id: int) -> tuple[int, NoteStatus]:
    version, status = conn.execute("SELECT version, status FROM note_versions WHERE encounter_id = ?"
                                   " ORDER BY version DESC LIMIT 1", (encounter_id,)).fetchone()
    return version, NoteStatus(status)


def edit_note(session: Session, encounter_id: int, note_json: str | dict[str, Any] | BaseModel) -> int:
    """Save an edited note as a new version (an amendment when the latest is signed); returns its number."""
    own_encounter(session, encounter_id, "encounter.edit")
    cipher = encounter_cipher(session, encounter_id)
    body = _note_text(note_json)
    with session.store.transaction() as tx:
        version, status = _latest_version(tx, encounter_id)
        tx.execute(
            "INSERT INTO note_versions(encounter_id, version, status, body, model, author_id, created_at)"
            " VALUES (?, ?, 'edited', ?, NULL, ?, ?)",
            (encounter_id, version + 1, cipher.seal_text(f"note:{version + 1}", body), session.account_id, utcnow()))
        tx.execute("UPDATE encounters SET status = 'edited' WHERE id = ?", (encounter_id,))
        detail = {"version": version + 1} | ({"amends": version} if status == NoteStatus.signed else {})
        record(tx, session.actor, "encounter.edit", entity_type="encounter", entity_id=encounter_id, detail=detail)
    return version + 1


def sign_note(session: Session, encounter_id: int, detail: dict[str, Any] | None = None) -> int:
    """Sign the latest note version, which makes it immutable; returns its number.

    ``detail`` (the attestation the clinician confirmed, how many guard flags they acknowledged) goes into
    the sign event of the audit log, never note text.
    """
    own_encounter(session, encounter_id, "encounter.sign")
    with session.store.transaction() as tx:
        version, status = _latest_version(tx, encounter_id)
        if status == NoteStatus.signed:
            raise InputError(f"Version {version} of encounter {encounter_id} is already signed; edit it to amend.")
        now = utcnow()
        tx.execute("UPDATE note_versions SET status = 'signed', signed_at = ? WHERE encounter_id = ? AND version = ?",
                   (now, encounter_id, version))
        tx.execute("UPDATE encounters SET status = 'signed', signed_at = ? WHERE id = ?", (now, encounter_id))
        record(tx, session.actor, "encounter.sign", entity_type="encounter", entity_id=encounter_id,
               detail={"version": version, **(detail or {})})
    return version


def check_deletable(session: Session, encounter_id: int) -> None:
    """Refuse, in one sentence, an encounter the caller may not delete: a face asks "for good?" only after this."""
    own_encounter(session, encounter_id, "encounter.delete")
    if session.store.conn.execute("SELECT 1 FROM note_versions WHERE encounter_id = ? AND status = 'signed'",
                                  (encounter_id,)).fetchone():
        raise InputError(f"Encounter {encounter_id} holds a signed note, which is part of the record and stays; "
                         "the retention policy removes its audio.")


def delete_encounter(session: Session, encounter_id: int) -> None:
    """Delete an unsigned encounter with its audio, transcript and notes (pages are overwritten)."""
    check_deletable(session, encounter_id)
    with session.store.transaction() as tx:
        tx.execute("DELETE FROM encounters WHERE id = ?", (encounter_id,))
        record(tx, session.actor, "encounter.delete", entity_type="encounter", entity_id=encounter_id)


def record_transfer(session: Session, *, destination: str, encounter_id: int | None = None,
                    detail: dict[str, Any] | None = None, outcome: str = "0") -> None:
    """Audit a transfer off the process (on-prem escalation): where to, for which encounter, never the text."""
    record_now(session.store, session.actor, "transfer.onprem", entity_type="encounter" if encounter_id else "",
               entity_id=encounter_id or "", outcome=outcome, detail={"destination": destination, **(detail or {})})
