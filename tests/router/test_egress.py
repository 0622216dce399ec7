"""Zero egress: the whole pipeline (audio → transcript → local draft → on-prem route → audit) with every
non-loopback connection blocked twice (pytest-socket below, the app's own guard above) and every attempt
recorded, so an attempt swallowed by some library's ``except`` still fails the test."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from ambientnote import egress
from ambientnote.asr import transcribe_file
from ambientnote.config import load_settings
from ambientnote.router.route import draft_routed

pytestmark = pytest.mark.allow_hosts(["127.0.0.1", "::1"])


def test_pipeline_connects_to_loopback_only(attempts, site_policy, short_sample, clinician):
    site_policy(onprem_max_tokens=24)  # a short answer: this test is about sockets, not note quality
    transcript = transcribe_file(short_sample, cfg=load_settings(), model="tiny.en")
    note, decision = draft_routed(transcript, cfg=load_settings(), route="onprem", session=clinician)
    assert decision.escalated and decision.onprem_model and note.sections
    assert attempts, "the on-prem request never reached the socket layer"
    assert all(ipaddress.ip_address(host.split("%")[0]).is_loopback for host in attempts), attempts


def test_blocked_connection_is_refused_and_recorded(attempts):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(egress.EgressBlocked):
        sock.connect(("198.51.100.20", 80))  # TEST-NET-2: refused before any packet is sent
    assert attempts == ["198.51.100.20"]


def test_the_cli_refuses_a_connection_outside_the_policy_in_one_sentence(tmp_path):
    """The guard is on from the moment the ``ambientnote`` command starts (a real process, no test plugin)."""
    import subprocess
    import sys

    code = (
        "import socket\n"
        "from ambientnote.cli import main\n"
        "@main.command('phone-home')\n"
        "def phone_home():\n"
        "    socket.create_connection(('198.51.100.20', 443), timeout=2)\n"
        "main()\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "AMBIENTNOTE_HOME": str(tmp_path / "home"),
           "AMBIENTNOTE_POLICY": str(tmp_path / "policy.toml")}
    (tmp_path / "policy.toml").write_text('routing_allowed = true\nonprem_url = "http://10.1.2.3:8000"\n')
    result = subprocess.run([sys.executable, "-c", code, "phone-home"], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 4, result.stderr
    assert result.stderr.strip() == ("Error: AmbientNote blocked a connection to 198.51.100.20: only this computer "
                                     "and the site policy's on-prem endpoint may be reached.")
    allowed = subprocess.run(
        [sys.executable, "-c", "from ambientnote import egress\nfrom ambientnote.config import load_settings\n"
         "print(egress.install_for_site(load_settings()))"],
        capture_output=True, text=True, env=env, timeout=120)
    assert allowed.stdout.strip() == "['10.1.2.3']", allowed.stderr
