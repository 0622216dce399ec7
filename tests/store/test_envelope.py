"""Per-clinician envelope encryption: another account's password, the data key itself, or an admin's reset
opens no clinician's content; the owner reads as before; compliance sees metadata; break-glass with the
recovery key reads one encounter and leaves an audit event with its reason."""

from __future__ import annotations

import json

import pytest

from ambientnote.audit.verify import verify_store
from ambientnote.bench.sandbox import synthetic_note
from ambientnote.config import load_settings
from ambientnote.db.envelope import break_glass_private, new_key_pair, open_sealed, seal
from ambientnote.errors import AccessDenied, InputError, StoreLocked
from ambientnote.store import accounts
from ambientnote.store import encounters as enc
from ambientnote.store.break_glass import break_glass, encounter_overview
from ambientnote.store.session import login

from .conftest import ADMIN_PW, CLIN_PW

NOTE_TEXT = "Crushing chest pain"  # in synthetic_note()
SAID = "cardiology"  # in the synthetic transcript
AUDIO = b"RIFF-pretend-audio-of-the-visit-" * 64
LABEL = "Hayworth, Rita"
A_PW = "clinician-pass-7"


@pytest.fixture
def visit(created, clinician, transcript, tmp_path):
    """dr_b's encounter (label, DOB, MRN, transcript, note, audio) and a second clinician, dr_a."""
    audio = tmp_path / "visit.wav"
    audio.write_bytes(AUDIO)
    eid = enc.save_draft(clinician, patient_label=LABEL, transcript=transcript, note_json=synthetic_note(),
                         audio_path=audio, model="m", birth_date="1961-03-14", mrn="MRN-4471")
    accounts.add_account(created[0], "dr_a", ["clinician"], A_PW)
    return eid


def _raw_content(session, eid) -> bytes:
    """Every content column of the encounter as the data key alone reads it."""
    conn = session.store.conn
    rows = [*conn.execute("SELECT patient_label, birth_date, mrn FROM encounters WHERE id = ?", (eid,)),
            *conn.execute("SELECT body FROM transcripts WHERE encounter_id = ?", (eid,)),
            *conn.execute("SELECT body FROM note_versions WHERE encounter_id = ?", (eid,)),
            *conn.execute("SELECT c.data FROM recording_chunks c JOIN recordings r ON r.id = c.recording_id"
                          " WHERE r.encounter_id = ?", (eid,))]
    return b"".join(v if isinstance(v, bytes) else str(v).encode() for row in rows for v in row)


def _events(session, subtype):
    return [(r[0], json.loads(r[1]), r[2]) for r in session.store.conn.execute(
        "SELECT account, detail, outcome FROM audit_event WHERE subtype = ? ORDER BY seq", (subtype,))]


def test_seal_opens_only_with_its_private_key_and_its_aad():
    (private, public), (other, _) = new_key_pair(), new_key_pair()
    sealed = seal(public, b"encounter key", "store:1")
    assert open_sealed(private, sealed, "store:1") == b"encounter key"
    assert open_sealed(other, sealed, "store:1") is None
    assert open_sealed(private, sealed, "store:2") is None  # moved to another encounter: does not open


def test_another_clinicians_password_reads_none_of_the_content(visit):
    with login("dr_a", A_PW, cfg=load_settings()) as insider:  # holds the data key: the SQLCipher file is open to them
        raw = _raw_content(insider, visit)
        for text in (NOTE_TEXT, SAID, LABEL, "MRN-4471", "1961-03-14"):
            assert text.encode() not in raw
        assert AUDIO[:32] not in raw
        with pytest.raises(AccessDenied, match="belongs to another clinician"):
            enc.show_encounter(insider, visit)
        # The insider makes the encounter theirs in the database: the content stays sealed to dr_b's key.
        with insider.store.transaction() as tx:
            tx.execute("UPDATE encounters SET author_id = ? WHERE id = ?", (insider.account_id, visit))
        for read in (enc.show_encounter, enc.read_audio, enc.encounter_cipher):
            with pytest.raises(AccessDenied) as err:
                read(insider, visit)
            assert str(err.value).startswith(f"Encounter {visit} is sealed to another clinician's key, not yours,")
        listed = enc.list_encounters(insider)
        assert (list(listed), listed.withheld) == ([], (visit,))  # not shown as theirs (tests/store/test_key_tags.py)


def test_the_owner_reads_as_before(visit, clinician):
    detail = enc.show_encounter(clinician, visit)
    assert (detail.summary.patient_label, detail.summary.birth_date, detail.summary.mrn) == \
        (LABEL, "1961-03-14", "MRN-4471")
    assert NOTE_TEXT in detail.latest.body and SAID in " ".join(s.text for s in detail.transcript.segments)
    assert enc.read_audio(clinician, visit) == AUDIO
    assert [e.patient_label for e in enc.list_encounters(clinician)] == [LABEL]
    assert enc.edit_note(clinician, visit, {"subjective": ["Edited."]}) == 2
    assert json.loads(enc.show_encounter(clinician, visit).latest.body) == {"subjective": ["Edited."]}
    assert b"Edited." not in _raw_content(clinician, visit)


def test_compliance_sees_metadata_and_is_refused_content(visit, compliance):
    [row] = encounter_overview(compliance)
    assert (row.id, row.clinician, row.status, row.versions, row.has_audio) == (visit, "dr_b", "draft", 1, True)
    assert LABEL not in row.model_dump_json()
    with pytest.raises(AccessDenied, match="Encounter content is its clinician's alone"):
        enc.show_encounter(compliance, visit)
    assert _events(compliance, "list")[-1][1]["scope"] == "all clinicians, metadata"


def test_break_glass_reads_with_the_recovery_key_and_is_audited(created, visit, compliance):
    opened = break_glass(compliance, visit, created[1], "Complaint review CR-118")
    detail = opened.detail
    assert opened.clinician == "dr_b" and NOTE_TEXT in detail.latest.body and detail.summary.patient_label == LABEL
    assert _events(compliance, "break-glass") == [("carol", {"reason": "Complaint review CR-118"}, "0")]
    assert verify_store(compliance.store).ok


def test_a_wrong_recovery_key_or_no_reason_is_one_sentence(created, visit, compliance):
    with pytest.raises(StoreLocked) as err:
        break_glass(compliance, visit, "AAAA-BBBB-CCCC", "Complaint review")
    assert str(err.value) == ("That is not this store's recovery key (the one shown at 'ambientnote db init'); "
                              "nothing was opened.")
    assert _events(compliance, "break-glass")[-1][2] == "4"  # the attempt is on the record
    with pytest.raises(InputError, match="Say why"):
        break_glass(compliance, visit, created[1], "  ")


def test_changing_ones_password_keeps_access(visit, clinician):
    accounts.change_password(clinician, "a-new-pass-42")
    with login("dr_b", "a-new-pass-42", cfg=load_settings()) as again:
        assert NOTE_TEXT in enc.show_encounter(again, visit).latest.body


def test_an_admin_reset_neither_exposes_nor_loses_the_content(created, visit):
    admin, recovery_key = created
    message = accounts.reset_password(admin, "dr_b", "reset-by-admin-9")
    assert "restore-keys" in message
    with login("dr_b", "reset-by-admin-9", cfg=load_settings()) as after_reset:
        with pytest.raises(AccessDenied, match="restore-keys"):
            enc.show_encounter(after_reset, visit)
        assert enc.list_encounters(after_reset)[0].patient_label == enc.SEALED_LABEL
    assert accounts.restore_account_keys(admin, "dr_b", recovery_key) == (1, 0)
    with login("dr_b", "reset-by-admin-9", cfg=load_settings()) as restored:
        assert NOTE_TEXT in enc.show_encounter(restored, visit).latest.body
        assert enc.read_audio(restored, visit) == AUDIO


def test_a_reset_with_the_recovery_key_keeps_the_key(created, visit):
    accounts.reset_with_recovery_key("dr_b", created[1], "forgot-it-once-3", cfg=load_settings())
    with login("dr_b", "forgot-it-once-3", cfg=load_settings()) as s:
        assert enc.show_encounter(s, visit).summary.patient_label == LABEL


def test_a_store_from_before_v5_is_encrypted_at_its_owners_first_login(old_store, transcript):
    eid, recovery_key = old_store(4, transcript, note=json.dumps(synthetic_note()), audio=AUDIO, signed=True)
    with login("admin", ADMIN_PW, cfg=load_settings()) as s:
        assert NOTE_TEXT.encode() not in _raw_content(s, eid) and AUDIO[:32] not in _raw_content(s, eid)
        detail = enc.show_encounter(s, eid)
        assert NOTE_TEXT in detail.latest.body and detail.latest.status == "signed"
        assert enc.read_audio(s, eid) == AUDIO
        assert _events(s, "edit")[-1][1] == {"encrypted": "content"}
        assert verify_store(s.store).ok
        # The old store had no break-glass key: the recovery key's first use sets it, the next login seals to it.
        accounts.add_account(s, "carol", ["compliance"], "compliance-pass-3")
    with login("carol", "compliance-pass-3", cfg=load_settings()) as officer, pytest.raises(AccessDenied, match="next login"):
        break_glass(officer, eid, recovery_key, "Audit sample")
    login("admin", ADMIN_PW, cfg=load_settings()).close()
    with login("carol", "compliance-pass-3", cfg=load_settings()) as officer:
        assert NOTE_TEXT in break_glass(officer, eid, recovery_key, "Audit sample").detail.latest.body


def test_the_break_glass_key_is_derived_from_the_recovery_key(created):
    admin, recovery_key = created
    stored = admin.store.conn.execute("SELECT value FROM meta WHERE key = 'break_glass_public'").fetchone()[0]
    sealed = seal(bytes.fromhex(stored), b"x", "aad")
    assert open_sealed(break_glass_private(recovery_key.lower().replace("-", " "), admin.store.store_id),
                       sealed, "aad") == b"x"


def test_the_spool_opens_only_with_its_clinicians_key(clinician, home):
    import numpy as np

    from ambientnote.capture.spool import AudioSpool, interrupted_spools, read_spool

    spool = AudioSpool(clinician.account_key().public, clinician.store.store_id, home, account="dr_b")
    spool.write(np.zeros(16000, dtype=np.float32))
    spool.close()
    [info] = interrupted_spools(home, clinician.store.store_id, "dr_b")
    assert read_spool(clinician.account_key().private, clinician.store.store_id, info).audio.size == 16000
    with login("admin", ADMIN_PW, cfg=load_settings()) as other, pytest.raises(StoreLocked, match="sealed to another key than your account.s"):
        read_spool(other.account_key().private, other.store.store_id, info)


def test_a_recording_interrupted_before_the_upgrade_is_resealed_at_the_next_login(clinician, home):
    import base64

    import numpy as np

    from ambientnote.capture.spool import AudioSpool, interrupted_spools, read_spool
    from ambientnote.db.envelope import encrypt
    from ambientnote.db.keys import derive_subkey

    store_id = clinician.store.store_id
    spool = AudioSpool(clinician.account_key().public, store_id, home, account="dr_b", patient_label="Visit")
    spool.write(np.zeros(16000, dtype=np.float32))
    spool.close()
    header = json.loads((spool.path / "header.json").read_text())  # as the previous release wrote it:
    wrapped = encrypt(derive_subkey(clinician.store.data_key, "ambientnote-spool-v1"), spool._key,
                      f"{store_id}:{spool.id}")  # the key wrapped under a subkey of the data key
    (spool.path / "header.json").write_text(json.dumps(header | {"format": 1,
                                                                 "key": base64.b64encode(wrapped).decode()}))
    with login("dr_b", CLIN_PW, cfg=load_settings()) as again:
        [info] = interrupted_spools(home, store_id, "dr_b")
        recovered = read_spool(again.account_key().private, store_id, info)
    assert (recovered.patient_label, recovered.audio.size) == ("Visit", 16000)
    assert json.loads((spool.path / "header.json").read_text())["format"] == 2


def test_break_glass_reads_an_encounter_its_clinician_has_not_unlocked_since_the_upgrade(old_store, transcript):
    eid, recovery_key = old_store(4, transcript, note=json.dumps(synthetic_note()),
                                  others=(("carol", "compliance-pass-3", "compliance"),))
    with login("carol", "compliance-pass-3", cfg=load_settings()) as officer:  # the clinician ("admin") has not logged in since
        assert NOTE_TEXT in break_glass(officer, eid, recovery_key, "Audit sample").detail.latest.body
        assert _events(officer, "break-glass")[-1][1] == {"reason": "Audit sample"}


def test_after_a_rekey_a_reset_clinician_gets_their_encounters_back_with_the_first_recovery_key(created, visit):
    from ambientnote.store import maintenance

    admin, first_key = created
    new_key = maintenance.rekey(admin, ADMIN_PW)
    accounts.reset_password(admin, "dr_b", "after-rekey-pass-5")
    with pytest.raises(StoreLocked, match="not this store's recovery key"):
        accounts.restore_account_keys(admin, "dr_b", new_key)  # opens the store, not the break-glass key
    assert accounts.restore_account_keys(admin, "dr_b", first_key) == (1, 0)
    with login("dr_b", "after-rekey-pass-5", cfg=load_settings()) as s:
        assert enc.read_audio(s, visit) == AUDIO


def test_a_public_key_swapped_in_the_store_gets_nothing_sealed_to_it(visit, clinician, transcript):
    from ambientnote.errors import StoreCorrupt

    insider_private, insider_public = new_key_pair()
    with login("dr_a", A_PW, cfg=load_settings()) as insider, insider.store.transaction() as tx:
        tx.execute("UPDATE account_keys SET public_key = ? WHERE account_id = ?", (insider_public, clinician.account_id))
    later = enc.save_draft(clinician, patient_label="After the swap", transcript=transcript, note_json="{}",
                           audio_path=None, model="m")  # the open session seals to the key it checked at login
    key_id, owner_seal = clinician.store.conn.execute(
        "SELECT owner_key_id, owner_seal FROM encounter_keys WHERE encounter_id = ?", (later,)).fetchone()
    aad = f"ambientnote:{clinician.store.store_id}:encounter:{later}:key:{key_id}"
    assert open_sealed(insider_private, owner_seal, aad) is None
    assert open_sealed(clinician.account_key().private, owner_seal, aad) is not None
    with pytest.raises(StoreCorrupt, match="content key does not match the store"):
        login("dr_b", "clinician-pass-2", cfg=load_settings())  # and the clinician's next login says so


def test_a_break_glass_key_swapped_in_the_store_gets_nothing_sealed_to_it(created, visit, clinician, transcript):
    from ambientnote.errors import StoreCorrupt

    insider_private, insider_public = new_key_pair()
    with login("dr_a", A_PW, cfg=load_settings()) as insider, insider.store.transaction() as tx:
        tx.execute("UPDATE meta SET value = ? WHERE key = 'break_glass_public'", (insider_public.hex(),))
    later = enc.save_draft(clinician, patient_label="After the swap", transcript=transcript, note_json="{}",
                           audio_path=None, model="m")
    bg_seal = clinician.store.conn.execute("SELECT break_glass_seal FROM encounter_keys WHERE encounter_id = ?",
                                           (later,)).fetchone()[0]
    aad = f"ambientnote:{clinician.store.store_id}:encounter:{later}:key:break-glass"
    assert open_sealed(insider_private, bg_seal, aad) is None  # the session seals to the key its wrap vouches for
    assert open_sealed(break_glass_private(created[1], clinician.store.store_id), bg_seal, aad) is not None
    with pytest.raises(StoreCorrupt, match="break-glass key is not the one this account was given"):
        login("dr_b", "clinician-pass-2", cfg=load_settings())
