"""A throw-away certificate authority and a server certificate for 127.0.0.1 (and localhost), as a hospital PKI
would issue them.

Shared by the test audit repositories (rsyslogd over TLS, the FHIR receiver), so each checks the client's
verification against ``audit_repository_ca`` the way a real deployment does.
"""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path


def self_signed_tls(folder: Path) -> None:
    """Write ``ca.pem``, ``server.pem`` and ``server.key`` (valid for a day) into ``folder``, and ``client.pem``
    (a workstation's certificate and key in one file, as ``audit_repository_client_cert`` takes it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def cert(subject: str, key, issuer, signer, *, ca: bool):  # noqa: ANN001, ANN202
        builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                             x509.DNSName("localhost")]), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Hospital Audit CA")])
    ca = cert("Test Hospital Audit CA", ca_key, ca_name, ca_key, ca=True)
    server = cert("127.0.0.1", server_key, ca_name, ca_key, ca=False)
    client_key = ec.generate_private_key(ec.SECP256R1())
    client = cert("workstation-17", client_key, ca_name, ca_key, ca=False)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (folder / "server.pem").write_bytes(server.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(_pem_key(server_key))
    (folder / "client.pem").write_bytes(client.public_bytes(serialization.Encoding.PEM) + _pem_key(client_key))


def _pem_key(key) -> bytes:  # noqa: ANN001
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
