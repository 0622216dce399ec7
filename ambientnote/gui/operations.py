"""The thin operations layer: every store/audit service call the views make, one small function each.

Why a layer: views stay free of SQL, model calls and audit writes, and each
function here is the same call the CLI makes, handed to the ``Runner`` so the
window never waits on the store. ``success`` runs on the GUI thread with the
service's result; failures arrive as one sentence in the window's message bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ambientnote.audit import export as audit_export
from ambientnote.audit import verify as audit_verify
from ambientnote.capture.spool import decode_audio_bytes
from ambientnote.config import SAFETY_FIELDS, Settings, load_settings, lock_reason, policy_fields
from ambientnote.db.connection import store_paths
from ambientnote.errors import AmbientNoteError
from ambientnote.gui.pdf import write_pdf
from ambientnote.gui.runner import Failure, Runner, Success
from ambientnote.store import accounts as account_store
from ambientnote.store import encounters as encounter_store
from ambientnote.store import retention, safety
from ambientnote.store.note_export import export_document, export_note
from ambientnote.store.session import Session, login
from ambientnote.visits.export import export_to_file, sign_exported
from ambientnote.visits.recover import discard_recording, interrupted_recordings, recover_recording
from ambientnote.visits.save import audit_escalation, save_revision, save_visit
from ambientnote.visits.signing import sign_visit

if TYPE_CHECKING:
    import numpy as np

    from ambientnote.audit.events import AuditEvent
    from ambientnote.audit.export import EventFilters
    from ambientnote.audit.verify import VerifyResult
    from ambientnote.capture.spool import SpoolInfo
    from ambientnote.exports.document import ExportDocument
    from ambientnote.notes.schema import Note
    from ambientnote.router.route import RouteDecision
    from ambientnote.store.accounts import AccountInfo
    from ambientnote.store.encounters import EncounterDetail, EncounterSummary
    from ambientnote.store.retention import PurgeResult
    from ambientnote.transcript import Transcript
    from ambientnote.visits.recover import RecoveredVisit

T = TypeVar("T")


@dataclass
class Context:
    """What every view shares: the runner, the window's settings and, once unlocked, the session."""

    runner: Runner
    base_settings: Settings  # read when the window opened, again at each login and after the Settings page saved
    session: Session | None = None
    listeners: list[Callable[[], None]] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.base_settings.home

    @property
    def settings(self) -> Settings:
        """What the window goes by now: the session's (with the store's safety settings) once unlocked."""
        return self.session.settings if self.session else self.base_settings

    @property
    def roles(self) -> frozenset[str]:
        return self.session.roles if self.session else frozenset()

    def run(self, fn: Callable[[Session], T], success: Callable[[T], None] | None = None,
            failure: Failure | None = None) -> None:
        """Run ``fn(session)`` on the store worker."""
        session = self.session
        if session is None:
            return
        self.runner.perform(lambda: fn(session), success, failure)


# --- store and accounts ------------------------------------------------------------------------

def store_exists(home: Path) -> bool:
    return store_paths(home).keys.exists()


def reread_settings(ctx: Context) -> Settings:
    """Read the window's settings afresh (the site policy or the user's file may have changed since): before each
    login, and after the Settings page saved. The store stays the window's."""
    ctx.base_settings = load_settings(home=ctx.home)
    return ctx.base_settings


def create_store(ctx: Context, name: str, password: str, success: Success[tuple[Session, str]],
                 failure: Failure | None = None) -> None:
    cfg = reread_settings(ctx)
    ctx.runner.perform(lambda: account_store.init_store(name, password, cfg=cfg), success, failure)


def unlock(ctx: Context, name: str, password: str, success: Success[Session], failure: Failure | None = None) -> None:
    cfg = reread_settings(ctx)
    ctx.runner.perform(lambda: login(name, password, cfg=cfg), success, failure)


def lock(ctx: Context) -> None:
    session, ctx.session = ctx.session, None
    if session is not None:
        ctx.runner.perform(session.close)


def list_encounters(ctx: Context, success: Success[list[EncounterSummary]]) -> None:
    ctx.run(lambda s: encounter_store.list_encounters(s, limit=1000), success)


def open_encounter(ctx: Context, encounter_id: int, success: Success[EncounterDetail]) -> None:
    ctx.run(lambda s: encounter_store.show_encounter(s, encounter_id), success)


def read_audio(ctx: Context, encounter_id: int, success: Success[np.ndarray]) -> None:
    ctx.run(lambda s: decode_audio_bytes(encounter_store.read_audio(s, encounter_id)), success)


def save_edit(ctx: Context, encounter_id: int, note: Note, success: Success[int],
              decision: RouteDecision | None = None) -> None:
    """A new version of the note; a redraft that asked the on-prem server is audited with it."""
    ctx.run(lambda s: save_revision(s, encounter_id, note, decision), success)


def sign(ctx: Context, encounter_id: int, password: str, acknowledged: int, success: Success[int],
         failure: Failure | None = None) -> None:
    """Sign the latest version (``acknowledged``: how many guard-flagged statements the clinician checked)."""
    ctx.run(lambda s: sign_visit(s, encounter_id, password, flags_acknowledged=acknowledged), success, failure)


def export_text(ctx: Context, encounter_id: int, fmt: str, success: Success[str]) -> None:
    """The note as txt/md/fhir/fhir-bundle text (an audited export, the same call as ``ambientnote note export``)."""
    ctx.run(lambda s: export_note(s, encounter_id, fmt), success)


def export_file(ctx: Context, encounter_id: int, fmt: str, path: Path, success: Success[Path]) -> None:
    """Write the note to ``path`` as pdf or any text format (owner-only, atomically) and sign it in ``path.sig``
    as ``note export --out`` does; ``success`` gets ``path``.

    The export is read and audited on the store worker, as ``note export`` does it. A PDF is then painted
    on the GUI thread, where Qt's fonts live, and signed back on the worker (the key is in the store); a
    text file is written and signed on the worker.
    """
    if fmt != "pdf":
        ctx.run(lambda s: export_to_file(s, encounter_id, fmt, path), success)
        return

    def paint(doc: ExportDocument) -> None:
        try:
            write_pdf(doc, path, ctx.settings.pdf_paper)
        except AmbientNoteError as exc:
            ctx.runner.failed.emit(str(exc))
            return
        ctx.run(lambda s: sign_exported(s, path), lambda _sig: success(path))

    ctx.run(lambda s: export_document(s, encounter_id, "pdf"), paint)


def save_recording(ctx: Context, *, patient_label: str, transcript: Transcript, note: Note, audio: np.ndarray | None,
                   success: Success[int], failure: Failure | None = None, decision: RouteDecision | None = None,
                   birth_date: str | None = None, mrn: str | None = None) -> None:
    """Audio (encrypted FLAC in the store, never a temp file), transcript and draft as a new encounter."""
    ctx.run(lambda s: save_visit(s, patient_label=patient_label, transcript=transcript, note=note,
                                 decision=decision, audio=audio, birth_date=birth_date, mrn=mrn), success, failure)


def record_escalation(ctx: Context, decision: RouteDecision | None, encounter_id: int | None = None) -> None:
    """Audit an escalation whose draft was cancelled or failed (nothing is saved, the transfer is recorded)."""
    ctx.run(lambda s: audit_escalation(s, decision, encounter_id))


# --- interrupted recordings ----------------------------------------------------------------------

def find_interrupted(ctx: Context, success: Success[list[SpoolInfo]]) -> None:
    ctx.run(lambda s: interrupted_recordings(s, ctx.home), success)


def recover(ctx: Context, info: SpoolInfo, success: Success[RecoveredVisit], failure: Failure | None = None) -> None:
    """Decrypt an interrupted spool and transcribe it, off the store worker (no SQL, long); ``success`` gets a
    ``RecoveredVisit`` that goes on to drafting like a recording."""
    session = ctx.session
    if session is not None:
        ctx.runner.perform(lambda: recover_recording(session, info), success, failure, long=True)


def discard_interrupted(ctx: Context, info: SpoolInfo, success: Success[None] | None = None) -> None:
    ctx.runner.perform(lambda: discard_recording(info), success)


# --- compliance and admin --------------------------------------------------------------------------

def audit_events(ctx: Context, filters: EventFilters, success: Success[list[AuditEvent]]) -> None:
    ctx.run(lambda s: audit_export.read_events(s, newest=2000, **filters), success)


def verify_audit(ctx: Context, success: Success[VerifyResult]) -> None:
    ctx.run(audit_verify.verify_audit, success)


def export_audit(ctx: Context, fmt: str, out: Path, filters: EventFilters, success: Success[int]) -> None:
    ctx.run(lambda s: audit_export.export_audit(s, fmt, out, **filters), success)


def locked_settings(ctx: Context) -> dict[str, str]:
    """The settings this account may not change, each with why (``store.safety.locked_settings``).

    Called directly, not on the store worker: it reads the site policy and the session's roles, no SQL, and the
    Settings page must never show a locked field as editable while it waits. Locked: everything lockable.
    """
    if ctx.session is None:
        return {key: lock_reason(key) for key in sorted(policy_fields() | SAFETY_FIELDS)}
    return safety.locked_settings(ctx.session)


def save_settings(ctx: Context, changes: dict[str, object], success: Success[Settings]) -> None:
    """The Settings form: safety settings to the store (admin only, audited), the rest to the user's file; the
    window goes by the saved settings from then on, also after the next lock."""
    def saved(cfg: Settings) -> None:
        reread_settings(ctx)
        success(cfg)

    ctx.run(lambda s: safety.save_settings(s, changes), saved)


def accounts(ctx: Context, success: Success[list[AccountInfo]]) -> None:
    ctx.run(account_store.list_accounts, success)


def add_account(ctx: Context, name: str, roles: list[str], password: str, success: Success[None]) -> None:
    ctx.run(lambda s: account_store.add_account(s, name, roles, password), success)


def set_roles(ctx: Context, name: str, roles: list[str], success: Success[None]) -> None:
    ctx.run(lambda s: account_store.set_roles(s, name, roles), success)


def reset_password(ctx: Context, name: str, password: str, success: Success[str]) -> None:
    """A new password for ``name`` (admin): unlocks or re-enables it too; ``success`` gets the sentence."""
    ctx.run(lambda s: account_store.reset_password(s, name, password), success)


def disable_account(ctx: Context, name: str, success: Success[None]) -> None:
    ctx.run(lambda s: account_store.disable_account(s, name), success)


def retention_policy(ctx: Context, success: Success[dict[str, int | None]]) -> None:
    ctx.run(retention.get_policy, success)


def set_retention(ctx: Context, days: int | None, success: Success[None]) -> None:
    ctx.run(lambda s: retention.set_policy(s, "retention_audio_days", days), success)


def purge(ctx: Context, success: Success[PurgeResult]) -> None:
    ctx.run(retention.purge, success)
