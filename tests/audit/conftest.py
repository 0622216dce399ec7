"""Fixtures: a real SQLCipher store in tmp_path (see tests/support/store.py), and a real audit record
repository (rsyslogd with a TLS listener on 127.0.0.1, certificates made here)."""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from support.store import ADMIN_PW, CLIN_PW, COMP_PW, admin, clinician, compliance, created, home, transcript  # noqa: F401


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


def _self_signed_tls(folder: Path) -> None:
    """A throw-away CA and a server certificate for 127.0.0.1, as a hospital PKI would issue them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def cert(subject: str, key, issuer, signer, *, ca: bool):  # noqa: ANN001, ANN202
        builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Hospital Audit CA")])
    ca = cert("Test Hospital Audit CA", ca_key, ca_name, ca_key, ca=True)
    server = cert("127.0.0.1", server_key, ca_name, ca_key, ca=False)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(server.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))


class SyslogReceiver:
    """rsyslogd in the foreground, listening for RFC 5425 (syslog over TLS) on 127.0.0.1 only."""

    def __init__(self, work: Path) -> None:
        self.work, self.proc = work, None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        _self_signed_tls(work)
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
