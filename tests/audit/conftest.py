"""Fixtures: a real SQLCipher store in tmp_path (see tests/support/store.py), and real audit record
repositories on 127.0.0.1 with certificates made here: rsyslogd with a TLS listener, and a FHIR receiver
(tests/support/fhir_receiver.py)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from support.fhir_receiver import FhirReceiver
from support.store import ADMIN_PW, CLIN_PW, COMP_PW, admin, clinician, compliance, created, home, transcript  # noqa: F401
from support.tls import free_port, self_signed_tls


# --- a real audit record repository: rsyslogd with a TLS listener on loopback ------------------------------------

_RSYSLOG_CONF = """\
global(workDirectory="{work}" maxMessageSize="64k" DefaultNetstreamDriver="ossl"
       DefaultNetstreamDriverCAFile="{work}/ca.pem" DefaultNetstreamDriverCertFile="{work}/server.pem"
       DefaultNetstreamDriverKeyFile="{work}/server.key")
module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
input(type="imtcp" port="{port}" address="127.0.0.1")
template(name="raw" type="string" string="%rawmsg%\\n")
if $inputname == "imtcp" then action(type="omfile" file="{work}/received.log" template="raw")
"""


class SyslogReceiver:
    """rsyslogd in the foreground, listening for RFC 5425 (syslog over TLS) on 127.0.0.1 only."""

    def __init__(self, work: Path) -> None:
        self.work, self.proc, self.port = work, None, free_port()
        self_signed_tls(work)
        (work / "rsyslog.conf").write_text(_RSYSLOG_CONF.format(work=work, port=self.port))
        self.ca = work / "ca.pem"
        self.received = work / "received.log"

    def start(self) -> None:
        daemon = shutil.which("rsyslogd") or shutil.which("rsyslogd", path="/usr/sbin:/sbin")
        if daemon is None:
            pytest.fail("rsyslogd is not installed; run packaging/dev-setup (apt-get install rsyslog rsyslog-openssl).")
        log = (self.work / "rsyslogd.log").open("ab")
        self.proc = subprocess.Popen([daemon, "-n", "-f", str(self.work / "rsyslog.conf"), "-i",
                                      str(self.work / "rsyslogd.pid")], stdout=log, stderr=log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"rsyslogd did not listen on 127.0.0.1:{self.port}: {(self.work / 'rsyslogd.log').read_text()}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=15)
            self.proc = None

    def messages(self, at_least: int = 0, timeout: float = 10.0) -> list[str]:
        """The raw messages received so far (waiting up to ``timeout`` for ``at_least`` of them)."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.received.read_text(encoding="utf-8") if self.received.exists() else ""
            lines = text.split("\n")[:-1]  # complete lines only: rsyslogd may be half-way through writing the last
            if len(lines) >= at_least or time.monotonic() > deadline:
                return lines
            time.sleep(0.1)


@pytest.fixture
def syslog_receiver(tmp_path_factory):
    receiver = SyslogReceiver(tmp_path_factory.mktemp("rsyslog"))
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture
def fhir_receiver(tmp_path_factory):
    receiver = FhirReceiver(tmp_path_factory.mktemp("fhir"))
    receiver.start()
    yield receiver
    receiver.stop()
