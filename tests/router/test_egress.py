"""Zero egress: the whole pipeline (audio → transcript → local draft → on-prem route → audit) with every
non-loopback connection blocked twice (pytest-socket below, the app's own guard above) and every attempt
recorded, so an attempt swallowed by some library's ``except`` still fails the test."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from ambientnote.asr import transcribe_file
from ambientnote.router import egress
from ambientnote.router.route import draft_routed

pytestmark = pytest.mark.allow_hosts(["127.0.0.1", "::1"])


@pytest.fixture
def attempts():
    """Every host a socket of this process tries to connect to during the test."""
    seen: list[str] = []
    egress.install()
    stop = egress.watch(seen.append)
    yield seen
    stop()


def test_pipeline_connects_to_loopback_only(attempts, site_policy, short_sample, note_model, clinician):
    site_policy(onprem_max_tokens=24)  # a short answer: this test is about sockets, not note quality
    transcript = transcribe_file(short_sample, model="tiny.en")
    note, decision = draft_routed(transcript, route="onprem", model=note_model, session=clinician)
    assert decision.escalated and decision.onprem_model and note.sections
    assert attempts, "the on-prem request never reached the socket layer"
    assert all(ipaddress.ip_address(host.split("%")[0]).is_loopback for host in attempts), attempts


def test_blocked_connection_is_refused_and_recorded(attempts):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(egress.EgressBlocked):
        sock.connect(("198.51.100.20", 80))  # TEST-NET-2: refused before any packet is sent
    assert attempts == ["198.51.100.20"]
