"""Crashes, migrations, backups, rekeying, corruption, and no plaintext PHI on disk."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from ambientnote.audit.verify import verify_store
from ambientnote.bench.sandbox import synthetic_note
from ambientnote.config import load_settings
from ambientnote.db import connection as store_db
from ambientnote.db import schema
from ambientnote.errors import StoreError, StoreLocked
from ambientnote.store import maintenance
from ambientnote.store.accounts import init_store
from ambientnote.store.encounters import list_encounters, save_draft, show_encounter, sign_note
from ambientnote.store.note_export import export_note
from ambientnote.store.session import login

WRITER = """
import sys
from pathlib import Path
from ambientnote.store.encounters import save_draft
from ambientnote.bench.sandbox import synthetic_note, synthetic_transcript
from ambientnote.config import load_settings
from ambientnote.store.session import login
audio = Path(sys.argv[1])
with login("dr_b", "clinician-pass-2", cfg=load_settings()) as s:
    for i in range(100000):
        save_draft(s, patient_label=f"P{i}", transcript=synthetic_transcript(repeat=5), note_json=synthetic_note(),
                   audio_path=audio, model="m")
        print(i, flush=True)
"""


def test_kill_9_mid_write_leaves_a_consistent_store(created, home, tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(os.urandom(3 << 20))  # 3 MiB: each save spends a while inside its transaction
    for delay in (0.0, 0.05, 0.13):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(audio)], stdout=subprocess.PIPE, text=True)
        for _ in range(3):
            assert proc.stdout.readline(), "the writer died on its own"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with login("dr_b", "clinician-pass-2", cfg=load_settings()) as s:
            conn = s.store.conn
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            ids = [e.id for e in list_encounters(s, limit=None)]
            complete = conn.execute(
                "SELECT count(*) FROM encounters e JOIN transcripts t ON t.encounter_id = e.id"
                " JOIN recordings r ON r.encounter_id = e.id WHERE r.size = ?", (3 << 20,)).fetchone()[0]
            created_events = conn.execute("SELECT count(*) FROM audit_event WHERE subtype = 'create'").fetchone()[0]
            assert complete == len(ids) == created_events
            assert verify_store(s.store).ok


def test_two_processes_writing_at_once_keep_one_chain(created, home, tmp_path):
    script = WRITER.replace("range(100000)", "range(15)")
    audio = tmp_path / "small.wav"
    audio.write_bytes(b"RIFF")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(audio)], stdout=subprocess.DEVNULL)
             for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with login("dr_b", "clinician-pass-2", cfg=load_settings()) as s:
        assert len(list_encounters(s, limit=None)) == 30
        assert verify_store(s.store).ok


def _phi_fragments() -> list[bytes]:
    phrases = ["crushing chest pain", "heart attack at fifty-two", "lisinopril ten milligrams", "Jane Roe"]
    return [p.encode(enc) for p in phrases for enc in ("utf-8", "utf-16-le")]


def test_no_plaintext_phi_in_home_or_temp_after_draft_save_and_use(home, tmp_path, monkeypatch, caplog, capfd,
                                                                   transcript):
    # TODO: extend to the real `ambientnote draft --save` once the draft command is wired to save_draft.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    caplog.set_level(logging.DEBUG)
    audio_dir = tmp_path / "capture"  # the capture module's own file, outside the scanned places
    audio_dir.mkdir()
    (audio_dir / "v.wav").write_bytes(b"RIFF" + " ".join(s.text for s in transcript.segments).encode())
    session, _ = init_store("admin", "admin-pass-1", cfg=load_settings())
    with session:
        eid = save_draft(session, patient_label="Jane Roe", transcript=transcript, note_json=synthetic_note(),
                         audio_path=audio_dir / "v.wav", model="m")
        show_encounter(session, eid)
        export_note(session, eid, "fhir")
        sign_note(session, eid)
        maintenance.backup(session, home / "backup.zip")
        assert session.store.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        on_disk = [p for p in [*home.rglob("*"), *scratch.rglob("*")] if p.is_file()]
        assert any(p.name == "store.db-wal" for p in on_disk)  # the WAL is scanned while it holds the writes
        leaks = [(p.name, f) for p in on_disk for f in _phi_fragments() if f in p.read_bytes()]
    assert leaks == []
    out, err = capfd.readouterr()
    assert not any(f.decode("utf-8", "ignore") in caplog.text + out + err for f in _phi_fragments()[::2])


@pytest.mark.parametrize("start", range(1, schema.SCHEMA_VERSION))
def test_migrations_from_every_earlier_version(old_store, start, transcript):
    eid, _ = old_store(start, transcript, signed=True)
    with login("admin", "admin-pass-1", cfg=load_settings()) as s:
        assert s.store.conn.execute("PRAGMA user_version").fetchone() == (schema.SCHEMA_VERSION,)
        detail = show_encounter(s, eid)
        assert detail.summary.patient_label == "Old" and detail.latest.status == "signed"
        assert detail.summary.signed_at == "2024-01-02T00:00:00+00:00"  # v2 took it from the signed version
        assert verify_store(s.store).ok


def test_a_store_from_a_newer_app_is_refused_clearly(created):
    with created[0].store.transaction() as tx:
        tx.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer AmbientNote"):
        login("admin", "admin-pass-1", cfg=load_settings())


def test_backup_and_restore_round_trip(admin, home, tmp_path, transcript):
    eid = save_draft(admin, patient_label="Backed up", transcript=transcript, note_json="{}", audio_path=None,
                     model="m")
    backup = tmp_path / "site.bak"
    maintenance.backup(admin, backup)
    assert b"Backed up" not in backup.read_bytes()
    save_draft(admin, patient_label="After backup", transcript=transcript, note_json="{}", audio_path=None,
               model="m")
    admin.close()
    with pytest.raises(StoreLocked, match="for the backup"):
        maintenance.restore(backup, "admin", "wrong-password", cfg=load_settings())
    with pytest.raises(StoreLocked, match="admin account"):
        maintenance.restore(backup, "dr_b", "clinician-pass-2", cfg=load_settings())
    kept = maintenance.restore(backup, "admin", "admin-pass-1", cfg=load_settings())
    assert (kept / "store.db").exists()
    with login("admin", "admin-pass-1", cfg=load_settings()) as s:
        assert [e.patient_label for e in list_encounters(s)] == ["Backed up"]
        assert show_encounter(s, eid).summary.id == eid
        assert verify_store(s.store).ok


def test_rekey_changes_the_data_key_and_resets_other_accounts(created, home):
    admin, old_recovery = created
    old_key = admin.store.data_key
    new_recovery = maintenance.rekey(admin, "admin-pass-1")
    admin.close()
    with pytest.raises(StoreLocked):
        store_db.connect(home / "store.db", old_key)
    with pytest.raises(StoreLocked, match="needs a new password"):
        login("dr_b", "clinician-pass-2", cfg=load_settings())
    with login("admin", "admin-pass-1", cfg=load_settings()) as s:
        assert verify_store(s.store).ok
    from ambientnote.store.accounts import reset_with_recovery_key

    with pytest.raises(StoreLocked):
        reset_with_recovery_key("admin", old_recovery, "another-pass-1", cfg=load_settings())
    reset_with_recovery_key("admin", new_recovery, "another-pass-1", cfg=load_settings())


def test_a_crash_inside_rekey_is_finished_at_the_next_login(created, monkeypatch):
    admin, _ = created
    cfg = load_settings()  # read before monkeypatch.undo() takes the sandbox's environment away

    def crash(*_args):
        raise KeyboardInterrupt  # the process dies after PRAGMA rekey, before the key file changes

    monkeypatch.setattr(maintenance, "apply_rekey_pending", crash)
    with pytest.raises(KeyboardInterrupt):
        maintenance.rekey(admin, "admin-pass-1")
    admin.close()
    monkeypatch.undo()
    with pytest.raises(StoreLocked, match="'admin' must log in"):
        login("dr_b", "clinician-pass-2", cfg=cfg)
    with login("admin", "admin-pass-1", cfg=cfg) as s:
        assert verify_store(s.store).ok


def test_check_finds_a_damaged_page(admin, home, transcript):
    for i in range(30):
        save_draft(admin, patient_label=f"P{i}", transcript=transcript, note_json="{}", audio_path=None, model="m")
    assert maintenance.check_store(admin).ok
    admin.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray((home / "store.db").read_bytes())
    data[5 * 4096 + 100] ^= 0xFF
    (home / "store.db").write_bytes(bytes(data))
    with login("admin", "admin-pass-1", cfg=load_settings()) as s:
        result = maintenance.check_store(s)
    assert not result.ok and any("page authentication" in p for p in result.problems)


@pytest.mark.slow  # a benchmark run
def test_quick_store_bench_reports_every_figure():
    from ambientnote.bench.store import run_store_bench

    figures = run_store_bench("quick")
    for key in ("unlock_s", "unlock_cpu_s", "list_first_page_ms", "open_ms_median", "open_cpu_ms_median",
                "audit_verify_s", "audit_verify_cpu_s", "store_kb_per_encounter"):
        assert figures[key] > 0
    assert all(figures[f"{what}_load"] >= 0 for what in ("unlock", "open", "audit_verify"))  # the load beside each
    assert figures["tamper_detected_share"] == 1.0
