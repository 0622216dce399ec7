"""Signed exports: a compliance officer can prove an export came from this installation and was not changed.

The attacker here knows the export formats and the hash rules, so a forged export is re-hashed into a valid
chain; only the install's private key (inside the encrypted store) can make its signature.
"""

from __future__ import annotations

import json

from click.testing import CliRunner
from support.store import ADMIN_PW, CLIN_PW, COMP_PW

from ambientnote.audit.events import CHAINED_FIELDS, event_hash
from ambientnote.audit.export import HEADER_KEY, export_audit
from ambientnote.audit.signing import installation_public_key
from ambientnote.audit.verify import verify_file
from ambientnote.bench.sandbox import synthetic_note
from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.store import encounters as enc


def _cli(*args: str, user: str = "carol", password: str = COMP_PW):
    return CliRunner().invoke(main, list(args), env={"AMBIENTNOTE_USER": user, "AMBIENTNOTE_PASSWORD": password})


def _forge_rehashed(path) -> None:
    """Change who did event 3 and re-hash every event after it, as a forger who knows the rules would."""
    lines = path.read_text().splitlines()
    header, events = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    events[2]["account"] = "somebody_else"
    prev = events[1]["hash"]
    for event in events[2:]:
        event["prev_hash"] = prev
        event["hash"] = prev = event_hash([event[f] for f in CHAINED_FIELDS])
    header[HEADER_KEY]["head"] = prev
    path.write_text("\n".join([json.dumps(header), *map(json.dumps, events)]) + "\n")


def test_untouched_export_verifies_against_the_published_key(admin, compliance, tmp_path):
    pem = tmp_path / "ambientnote-signing.pem"
    assert _cli("audit", "public-key", "--out", str(pem), user="admin", password=ADMIN_PW).exit_code == 0
    out = tmp_path / "audit.jsonl"
    result = _cli("audit", "export", "--format", "jsonl", "--out", str(out))
    assert result.exit_code == 0 and "audit.jsonl.sig" in result.output
    checked = _cli("audit", "verify", "--file", str(out), "--public-key", str(pem))
    assert checked.exit_code == 0, checked.output
    assert "The audit log verifies" in checked.output and "signed by the key in ambientnote-signing.pem" in checked.output


def test_forged_rehashed_export_fails_with_one_sentence(compliance, tmp_path):
    out = tmp_path / "audit.jsonl"
    export_audit(compliance, "jsonl", out)
    _forge_rehashed(out)
    result = _cli("audit", "verify", "--file", str(out))
    assert result.exit_code == 7
    message = result.output.strip().removeprefix("Error: ")
    assert message == "audit.jsonl was changed after AmbientNote signed it (its SHA-256 no longer matches the signature)."


def test_a_forger_who_signs_with_their_own_key_is_named(compliance, admin, tmp_path, home, monkeypatch):
    """A second installation's signature (or the forger's own) does not pass for ours."""
    from ambientnote.store.accounts import init_store

    pem = tmp_path / "published.pem"
    pem.write_text(installation_public_key(admin))
    elsewhere = tmp_path / "other-install"
    monkeypatch.setenv("AMBIENTNOTE_HOME", str(elsewhere))
    other, _ = init_store("mallory", "another-strong-pass-9", cfg=load_settings())
    other.roles = frozenset({"admin", "compliance"})
    out = tmp_path / "forged.csv"
    export_audit(other, "csv", out)
    other.close()
    result = verify_file(out, pem, home=load_settings().home)
    assert not result.ok and "was signed with key" in result.sentence() and "not with the key in published.pem" \
        in result.sentence()


def test_a_missing_or_garbled_signature_fails(compliance, tmp_path):
    out = tmp_path / "audit.json"
    export_audit(compliance, "fhir", out)
    sig = out.with_name("audit.json.sig")
    data = json.loads(sig.read_text())
    data["signature"] = data["signature"][:-4] + ("AAA=" if not data["signature"].endswith("AAA=") else "BBB=")
    sig.write_text(json.dumps(data))
    assert "does not verify" in verify_file(out, home=load_settings().home).sentence()
    sig.unlink()
    assert verify_file(out, home=load_settings().home).sentence() == ("audit.json has no signature (audit.json.sig is missing), so it cannot be "
                                           "shown to come from AmbientNote.")


def test_note_exports_are_signed_and_checked_by_audit_verify(clinician, transcript, tmp_path):
    encounter = enc.save_draft(clinician, patient_label="Test Patient", transcript=transcript,
                               note_json=json.dumps(synthetic_note()), audio_path=None, model="m")
    out = tmp_path / "note.md"
    made = _cli("note", "export", str(encounter), "--format", "md", "--out", str(out), user="dr_b", password=CLIN_PW)
    assert made.exit_code == 0, made.output
    assert _cli("audit", "verify", "--file", str(out)).exit_code == 0
    out.write_text(out.read_text().replace("Crushing", "Mild"))
    result = _cli("audit", "verify", "--file", str(out))
    assert result.exit_code == 7 and "note.md was changed after AmbientNote signed it" in result.output


def test_stores_made_before_signing_get_a_key_when_first_needed(admin, tmp_path):
    """Stores created before this release: the first signed export makes the key (an audited event)."""
    admin.store.conn.execute("DELETE FROM meta WHERE key = 'signing_key'")
    pem = installation_public_key(admin)
    events = [r[0] for r in admin.store.conn.execute("SELECT subtype FROM audit_event")]
    assert events.count("signing-key-create") == 2 and "PUBLIC KEY" in pem
