"""The audit trail forwarded to the hospital's FHIR server as R4 AuditEvent resources (``audit_repository_fhir``).

A real HTTPS server on 127.0.0.1 plays the repository (tests/support/fhir_receiver.py): it stores what is
POSTed only when fhir.resources accepts it as an R4 AuditEvent, and answers the search ``audit verify`` makes.
What hospital IT and a compliance officer notice: every event arrives valid, in order, with its chain fields
and no PHI, and no connection goes anywhere else; events made while the server is down arrive, in order,
when it is back; a log rewritten by someone who can unlock the store, together with this computer's record
of what was sent, is caught by reading the repository's own copy back.
"""

from __future__ import annotations

import json
import re
import shutil
import ssl

import httpx
import pytest
from support.audit_repository import PATIENT, cli, draft_visit, rewrite_log, store_under_policy, without_dr_b
from support.fhir_receiver import FhirReceiver
from support.store import ADMIN_PW, CLIN_PW

from ambientnote.audit.events import GENESIS_HASH, SELECT_ALL, AuditEvent, event_hash
from ambientnote.audit.fhir import (
    EXT_CANONICAL,
    EXT_HASH,
    EXT_PREV,
    EXT_SEQ,
    STORE_SYSTEM,
    extension_value,
    repository_resource,
)
from ambientnote.config import load_settings
from ambientnote.store import login

STATE_FILE = "audit.forwarded-fhir"
STORE_FILES = ("store.db", "keys.json", "audit.anchor")


def _site_policy(path, receiver, *, ca: bool = True, client_cert=None) -> None:
    path.write_text(f'audit_repository_fhir = "{receiver.base_url}"\n'
                    + (f'audit_repository_ca = "{receiver.ca}"\n' if ca else "")
                    + (f'audit_repository_client_cert = "{client_cert}"\n' if client_cert else "")
                    + "audit_repository_retry_s = 0\naudit_repository_timeout_s = 3\n")


@pytest.fixture
def fhir_store(home, fhir_receiver, monkeypatch):
    """A store whose site policy names the receiver as its FHIR audit repository (retry at every commit)."""
    return store_under_policy(home, monkeypatch, lambda policy: _site_policy(policy, fhir_receiver))


def _seqs(receiver) -> list[int]:
    return [extension_value(r, EXT_SEQ) for r in receiver.events]


def test_every_event_arrives_as_a_valid_audit_event_in_order_with_no_phi(fhir_store, fhir_receiver, attempts):
    draft_visit()
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    count = int(re.search(r"verifies: (\d+) events", result.output).group(1))
    assert (f"The FHIR audit repository at {fhir_receiver.base_url} has received events up to {count}; the "
            f"newest {count} events it holds from this store (1 to {count}) agree with the log.") in result.output
    assert fhir_receiver.refused == []  # every POST was a valid R4 AuditEvent
    assert _seqs(fhir_receiver) == list(range(1, count + 2))  # and the verification, audited after it
    prev = GENESIS_HASH
    for resource in fhir_receiver.events:  # the repository's copy verifies on its own, by the export rule
        assert extension_value(resource, EXT_PREV) == prev
        assert event_hash(json.loads(extension_value(resource, EXT_CANONICAL))) == extension_value(resource, EXT_HASH)
        assert resource["source"]["observer"]["identifier"]["system"] == STORE_SYSTEM
        prev = extension_value(resource, EXT_HASH)
    create = next(r for r in fhir_receiver.events if r["subtype"][0]["code"] == "create")
    assert create["agent"][0]["who"]["identifier"]["value"] == "dr_b" and create["type"]["code"] == "110110"
    sent = b"".join(fhir_receiver.bodies).decode()
    assert PATIENT not in sent and "chest pain" not in sent and "lisinopril" not in sent
    assert attempts and set(attempts) == {"127.0.0.1"}  # the repository, and nowhere else


def test_events_made_while_the_server_is_down_arrive_in_order_when_it_is_back(fhir_store, fhir_receiver):
    before = len(fhir_receiver.events)
    assert before > 0
    fhir_receiver.stop()
    draft_visit()
    down = cli("audit", "verify")
    assert down.exit_code == 0, down.output
    where = f"the FHIR audit repository at {fhir_receiver.base_url}"
    assert re.search(rf"The FHIR audit repository at {re.escape(fhir_receiver.base_url)} cannot be reached "
                     rf"\(Connection refused\), so the log was compared only with this computer's record of what it "
                     rf"received \({STATE_FILE}\): events up to {before}; \d+ wait to be sent\.", down.output), \
        down.output
    forward = cli("audit", "forward")
    assert forward.exit_code == 1 and f"audit events wait: {where} cannot be reached" in forward.output
    assert len(fhir_receiver.events) == before

    fhir_receiver.start()
    caught_up = cli("audit", "forward")
    assert caught_up.exit_code == 0, caught_up.output
    head = int(re.search(r"has everything up to event (\d+)", caught_up.output).group(1))
    assert _seqs(fhir_receiver) == list(range(1, head + 1))  # none lost, none twice, in order
    assert fhir_receiver.refused == []


def test_the_same_server_under_another_name_is_sent_nothing_twice(fhir_store, fhir_receiver):
    """Hospital IT names the server differently (an alias): AmbientNote resumes after the server's own newest
    event from this store instead of sending the whole log again."""
    before = len(fhir_receiver.events)
    (fhir_store.parent / "policy.toml").write_text(
        f'audit_repository_fhir = "https://localhost:{fhir_receiver.port}/fhir"\n'
        f'audit_repository_ca = "{fhir_receiver.ca}"\naudit_repository_retry_s = 0\n')
    result = cli("audit", "forward")
    assert result.exit_code == 0, result.output
    assert f"the FHIR audit repository at https://localhost:{fhir_receiver.port}/fhir has everything" in result.output
    assert len(fhir_receiver.events) > before  # carol's login went out, and only what was new
    assert _seqs(fhir_receiver) == list(range(1, len(fhir_receiver.events) + 1))


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(fhir_store, fhir_receiver):
    received = len(fhir_receiver.events)
    _site_policy(fhir_store.parent / "policy.toml", fhir_receiver, ca=False)  # the system's CAs only
    result = cli("audit", "forward")
    assert result.exit_code == 1
    assert result.output.endswith(f"audit events wait: the FHIR audit repository at {fhir_receiver.base_url} "
                                  "presented a certificate that audit_repository_ca does not trust.\n")
    assert len(fhir_receiver.events) == received


def test_a_server_that_asks_for_the_workstations_certificate_gets_it(fhir_store, tmp_path_factory):
    """ATNA node authentication (mutual TLS): a new server that takes events only from a workstation whose
    certificate its CA issued; without one, the events wait and the sentence says the handshake failed."""
    receiver = FhirReceiver(tmp_path_factory.mktemp("fhir-mtls"), client_certificates=True)
    receiver.start()
    try:
        policy = fhir_store.parent / "policy.toml"
        _site_policy(policy, receiver)
        refused = cli("audit", "forward")
        assert refused.exit_code == 1 and receiver.events == []
        assert refused.output.endswith(f"audit events wait: the FHIR audit repository at {receiver.base_url} failed "
                                       "the TLS handshake (TLSV13_ALERT_CERTIFICATE_REQUIRED).\n"), refused.output
        _site_policy(policy, receiver, client_cert=receiver.work / "client.pem")
        sent = cli("audit", "forward")
        assert sent.exit_code == 0, sent.output
        # a repository that replaces another is sent the whole log, from the first event
        assert _seqs(receiver) == list(range(1, len(receiver.events) + 1)) and receiver.events
    finally:
        receiver.stop()


def _rewrite_log(session, home, rewrite) -> list[tuple]:
    """The insider's rewrite (``rewrite_log``), with this computer's record of what was sent moved to the new
    head too, so every local record agrees."""
    rows = rewrite_log(session, rewrite)
    record = home / STATE_FILE
    record.write_text(json.dumps(json.loads(record.read_text()) | {"seq": len(rows), "hash": rows[-1][-1]}))
    return rows


def _mismatch(receiver, problem: str) -> str:
    return (rf"Error: The audit log does not match what the FHIR audit repository at {re.escape(receiver.base_url)} "
            rf"received: {problem}\.\n")


def test_a_log_rewritten_with_the_record_of_what_was_sent_is_caught_by_the_repository(fhir_store, fhir_receiver):
    """Issue 14's insider, one step further than with syslog: they delete their own events, re-hash the chain,
    reseal the anchor and also rewrite ``audit.forwarded-fhir`` to the new head, so every local record agrees.
    ``audit verify`` reads the repository's newest events back, and the store no longer holds them."""
    draft_visit()
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        _rewrite_log(session, fhir_store, without_dr_b)
    result = cli("audit", "verify", "--quiet")
    assert result.exit_code == 7
    assert re.fullmatch(_mismatch(fhir_receiver, r"(the repository already received events up to \d+, but the "
                                                 r"store's log ends at \d+|event \d+ differs from the one the "
                                                 r"repository received) \(.*\)"), result.output), result.output
    assert any(r["agent"][0]["who"]["identifier"]["value"] == "dr_b"
               for r in fhir_receiver.events)  # the repository kept what was deleted
    assert _seqs(fhir_receiver) == list(range(1, len(fhir_receiver.events) + 1))  # and took no forged continuation
    held = cli("audit", "forward")
    assert held.exit_code == 1 and "holds no longer matches the log" in held.output


def test_an_old_event_rewritten_and_sent_on_to_the_repository_is_caught(fhir_store, fhir_receiver):
    """The insider goes further still: they rewrite an event the repository received long ago (dr_b's saving
    of the visit now names the admin), re-hash everything after it, and post the rewritten events to the
    repository themselves, so its newest event is the new head. The repository now holds two different
    events under the same numbers, and ``audit verify`` says which is the first."""
    draft_visit()
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        store_id = session.store.store_id
        created = next(r[0] for r in session.store.conn.execute(SELECT_ALL + " ORDER BY seq")
                       if r[3] == "create" and r[6] == "dr_b")
        rows = _rewrite_log(session, fhir_store, lambda rows: [
            (*r[:6], "admin", *r[7:]) if r[0] == created else r for r in rows])
    with httpx.Client(base_url=fhir_receiver.base_url, verify=ssl.create_default_context(cafile=fhir_receiver.ca)) as repository:
        for row in rows[created - 1:]:  # the rewrite, sent with the workstation's own trust
            resource = repository_resource(AuditEvent.from_row(row), store_id)
            assert repository.post("/AuditEvent", json=resource,
                                   headers={"Content-Type": "application/fhir+json"}).status_code == 201
    result = cli("audit", "verify", "--quiet")
    assert result.exit_code == 7
    assert re.fullmatch(_mismatch(fhir_receiver, rf"it holds two different events numbered {created} \(the log "
                                                 r"was rewritten from there on and the rewrite sent to it as "
                                                 r"well\)"), result.output), result.output


def test_putting_back_the_store_files_with_the_record_of_what_was_sent_is_caught(fhir_store, fhir_receiver,
                                                                                 tmp_path):
    """A rollback of every local file, this computer's record of what was sent included: only the repository
    still knows the events in between."""
    saved = tmp_path / "copy"
    saved.mkdir()
    for name in (*STORE_FILES, STATE_FILE):
        shutil.copy2(fhir_store / name, saved / name)
    draft_visit()
    assert cli("audit", "verify").exit_code == 0
    for name in (*STORE_FILES, STATE_FILE):
        shutil.copy2(saved / name, fhir_store / name)
    result = cli("audit", "verify", "--quiet")
    assert result.exit_code == 7
    assert re.fullmatch(_mismatch(fhir_receiver, r"the repository already received events up to \d+, but the "
                                                 r"store's log ends at \d+ \(the store files were put back to an "
                                                 r"earlier copy, or the log was cut\)"), result.output), result.output


def test_a_restore_from_backup_goes_back_on_purpose_and_the_server_is_told(fhir_store, fhir_receiver, tmp_path):
    backup = tmp_path / "store.backup"
    assert cli("db", "backup", "--out", str(backup), user="admin", password=ADMIN_PW).exit_code == 0
    draft_visit()
    restored = cli("db", "restore", str(backup), user="admin", password=ADMIN_PW)
    assert restored.exit_code == 0, restored.output
    result = cli("audit", "verify", "--quiet")
    assert result.exit_code == 0, result.output
    assert "The store was restored from a backup on" in result.output
    restore = [r for r in fhir_receiver.events if r["subtype"][0]["code"] == "store-restore"]
    assert len(restore) == 1  # the server holds the events the restore went back over, and the restore itself


def test_only_an_admin_names_the_fhir_repository_and_only_over_https(created):
    refused = cli("db", "policy", "audit_repository_fhir", "https://fhir.hospital.example/fhir", user="dr_b",
                   password=CLIN_PW)
    assert refused.exit_code != 0 and "only an administrator changes" in refused.output
    clear = cli("db", "policy", "audit_repository_fhir", "http://10.1.2.3/fhir", user="admin", password=ADMIN_PW)
    assert clear.exit_code == 4
    assert clear.output == ("Error: The setting 'audit_repository_fhir' is invalid: it must be an https:// URL "
                            "(plain http:// only to this computer).\n")
