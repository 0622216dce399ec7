"""The audit trail forwarded to the hospital's audit record repository (IHE ATNA: syslog over TLS).

A real rsyslogd on 127.0.0.1 with a TLS listener plays the repository. What hospital IT and a compliance
officer notice: every event arrives, in order, carrying its chain fields and no PHI; events made while the
repository is down wait and arrive later; and putting back an earlier copy of the store files, which the
local chain and anchor cannot reveal, is reported by ``audit verify``.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from support.audit_repository import PATIENT, cli, draft_visit, rewrite_log, store_under_policy, without_dr_b
from support.store import ADMIN_PW, CLIN_PW

from ambientnote.audit.events import event_hash
from ambientnote.config import load_settings
from ambientnote.store import login

STORE_FILES = ("store.db", "keys.json", "audit.anchor")
UNSEEN = (r" No audit repository is configured \(audit_repository or audit_repository_fhir in the site policy\), so "
          r"the audit chain proves nothing against anyone who can unlock the store: any account's password is enough "
          r"to rewrite the log, or put back an earlier copy of the store files, and it would still verify\.\n")


def _site_policy(path, receiver, *, ca: bool = True) -> None:
    path.write_text(f'audit_repository = "127.0.0.1:{receiver.port}"\n'
                    + (f'audit_repository_ca = "{receiver.ca}"\n' if ca else "")
                    + "audit_repository_retry_s = 0\naudit_repository_timeout_s = 3\n")


@pytest.fixture
def forwarding_store(home, syslog_receiver, monkeypatch):
    """A store whose site policy names the receiver as its audit repository (retry at every commit)."""
    return store_under_policy(home, monkeypatch, lambda policy: _site_policy(policy, syslog_receiver))


def _all_received(home, receiver) -> int:
    """How many events the store counts as received, once the receiver has them all in its file (rsyslogd may
    still be writing the last of them when the TLS session has closed)."""
    count = json.loads((home / "audit.forwarded").read_text(encoding="utf-8"))["seq"]
    assert len(receiver.messages(at_least=count)) == count
    return count


def _parsed(lines: list[str]) -> list[dict]:
    """Each received message's header, chain fields and body, checked against RFC 5424 as it goes."""
    events = []
    for line in lines:
        m = re.match(r'<85>1 (\S+) (\S+) ambientnote - IHE\+RFC-3881 \[ambientnote@32473 (.*?)\] \ufeff(<AuditMessage>.*)$',
                     line)
        assert m, line
        params = {k: v.replace('\\"', '"').replace("\\]", "]").replace("\\\\", "\\")
                  for k, v in re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3))}
        events.append({"recorded": m.group(1), **params, "xml": ET.fromstring(m.group(4))})
    return events


@pytest.mark.slow  # starts a syslog daemon
def test_every_event_arrives_in_order_with_its_chain_and_no_phi(forwarding_store, syslog_receiver):
    draft_visit()
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    count = int(re.search(r"verifies: (\d+) events", result.output).group(1))
    received = _parsed(syslog_receiver.messages(at_least=count + 1))
    assert [int(e["seq"]) for e in received] == list(range(1, count + 2))  # and the verification, audited after it
    assert received[-1]["xml"].find("EventIdentification/EventTypeCode").get("csd-code") == "audit-verify"
    assert f"The audit repository at 127.0.0.1:{syslog_receiver.port} has received events up to {count}." \
        in result.output
    prev = "0" * 64
    for event in received:  # the repository's copy verifies on its own, by the export rule
        assert event["prev"] == prev and event_hash(json.loads(event["canonical"])) == event["hash"]
        prev = event["hash"]
    create = next(e for e in received if e["xml"].find("EventIdentification/EventTypeCode").get("csd-code") == "create")
    assert create["xml"].find("ActiveParticipant").get("UserID") == "dr_b"
    assert create["xml"].find("EventIdentification/EventID").get("csd-code") == "110110"
    raw = syslog_receiver.received.read_text(encoding="utf-8")
    assert PATIENT not in raw and "chest pain" not in raw and "lisinopril" not in raw
    checked = cli("db", "check", user="admin", password=ADMIN_PW)  # anchored outside: no caveat to add
    assert checked.output == "The store is intact: pages, page authentication, references and audit chain all " \
                             "check out.\n", checked.output


@pytest.mark.slow  # starts a syslog daemon
def test_events_wait_while_the_repository_is_down_and_catch_up(forwarding_store, syslog_receiver):
    before = _all_received(forwarding_store, syslog_receiver)
    syslog_receiver.stop()
    draft_visit()
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert re.search(rf"has received events up to {before}; \d+ wait to be sent \(the audit repository at "
                     rf"127\.0\.0\.1:{syslog_receiver.port} cannot be reached \(Connection refused\)\)", result.output)
    down = cli("audit", "forward")
    assert down.exit_code == 1 and "audit events wait: the audit repository at" in down.output

    syslog_receiver.start()
    caught_up = cli("audit", "forward")
    assert caught_up.exit_code == 0, caught_up.output
    head = int(re.search(r"everything up to event (\d+)", caught_up.output).group(1))
    received = _parsed(syslog_receiver.messages(at_least=head))
    assert [int(e["seq"]) for e in received] == list(range(1, head + 1))  # none lost, none twice


@pytest.mark.slow  # starts a syslog daemon
def test_a_repository_whose_certificate_is_not_trusted_gets_nothing(forwarding_store, syslog_receiver):
    received = _all_received(forwarding_store, syslog_receiver)
    _site_policy(forwarding_store.parent / "policy.toml", syslog_receiver, ca=False)  # the system's CAs only
    result = cli("audit", "forward")
    assert result.exit_code == 1
    assert result.output.endswith(f"audit events wait: the audit repository at 127.0.0.1:{syslog_receiver.port} "
                                  "presented a certificate that audit_repository_ca does not trust.\n")
    assert len(syslog_receiver.messages()) == received


@pytest.mark.slow  # starts a syslog daemon
def test_putting_back_an_earlier_copy_of_the_store_files_is_reported(forwarding_store, syslog_receiver, tmp_path):
    saved = tmp_path / "copy"
    saved.mkdir()
    for name in STORE_FILES:
        shutil.copy2(forwarding_store / name, saved / name)
    draft_visit()  # forwarded as it happens
    assert cli("audit", "verify").exit_code == 0
    for name in STORE_FILES:  # an insider puts yesterday's files back: chain and anchor agree with each other
        shutil.copy2(saved / name, forwarding_store / name)
    result = cli("audit", "verify", "--quiet")
    assert result.exit_code == 7
    assert re.fullmatch(r"Error: The audit log does not match what the audit repository at 127\.0\.0\.1:\d+ received: "
                        r"the repository "
                        r"already received events up to \d+, but the store's log ends at \d+ \(the store files were "
                        r"put back to an earlier copy, or the log was cut\)\.\n", result.output), result.output


def test_without_a_repository_a_key_holder_rewrites_the_log_unseen_and_verify_says_so(created):
    """H1b, stated rather than hidden: with no repository, dr_b's password is enough to delete their own events,
    re-hash the chain and reseal the anchor; the log then verifies, and ``audit verify`` says plainly that this
    is exactly what it cannot see."""
    draft_visit()
    assert "dr_b" in cli("audit", "show", "--user", "dr_b").output
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        rewrite_log(session, without_dr_b)
    result = cli("audit", "verify", "--quiet")
    assert result.exit_code == 0
    assert re.fullmatch(r"The audit log verifies: \d+ events, head \w+…" + UNSEEN, result.output), result.output
    assert cli("audit", "show", "--user", "dr_b").output == ""  # dr_b's saving of the visit is gone


def test_without_a_repository_db_check_says_its_intact_store_may_hide_a_rewritten_log(created):
    """The admin's ``db check`` passes the same rewrite, here dr_b hiding their logins (their encounter's creation
    stays, so the authorship cross-check has nothing to find), and says the same as ``audit verify``."""
    draft_visit()
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        rewrite_log(session, lambda rows: [r for r in rows if (r[3], r[6]) != ("login", "dr_b")])
    checked = cli("db", "check", user="admin", password=ADMIN_PW)
    assert checked.exit_code == 0, checked.output
    assert re.fullmatch(r"The store is intact: pages, page authentication, references and audit chain all check "
                        r"out\." + UNSEEN, checked.output), checked.output


@pytest.mark.slow  # starts a syslog daemon
def test_a_restore_from_backup_is_accepted_but_told_to_the_repository(forwarding_store, syslog_receiver, tmp_path):
    backup = tmp_path / "store.backup"
    assert cli("db", "backup", "--out", str(backup), user="admin", password=ADMIN_PW).exit_code == 0
    draft_visit()
    restored = cli("db", "restore", str(backup), user="admin", password=ADMIN_PW)
    assert restored.exit_code == 0, restored.output
    result = cli("audit", "verify", "--quiet")
    assert result.exit_code == 0, result.output
    assert "The store was restored from a backup on" in result.output and "the repository keeps the events in between" \
        in result.output
    received = _parsed(syslog_receiver.messages(at_least=1))
    restore = [e for e in received if e["xml"].find("EventIdentification/EventTypeCode").get("csd-code") == "store-restore"]
    assert len(restore) == 1
    detail = json.loads(json.loads(restore[0]["canonical"])[12])
    assert detail["forwarded_before"] >= int(restore[0]["seq"])  # the repository hears how far back the store went


@pytest.mark.slow  # starts a syslog daemon
def test_the_insider_who_deletes_their_events_rehashes_and_reseals_is_caught(forwarding_store, syslog_receiver):
    """Issue 14's insider: a clinician's password opens the data key; they drop the append-only triggers, delete
    their own events, re-hash the chain and reseal the anchor. Chain and anchor agree; the repository does not."""
    draft_visit()
    with login("dr_b", CLIN_PW, cfg=load_settings()) as session:
        rewrite_log(session, without_dr_b)
    result = cli("audit", "verify", "--quiet")
    assert result.exit_code == 7
    assert result.output.startswith("Error: The audit log does not match what the audit repository at 127.0.0.1:")
    assert any(e["xml"].find("ActiveParticipant").get("UserID") == "dr_b"
               for e in _parsed(syslog_receiver.messages()))  # the repository kept what was deleted
