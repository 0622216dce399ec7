"""What the forwarding queue (``ambientnote.audit.forward``) asks of each way to reach an audit repository.

Two ways exist, as IHE ATNA allows: syslog over TLS (``syslog_transport``) and FHIR AuditEvent over HTTPS
(``fhir_transport``). The queue owns order, state and retries; a transport only sends events in order, reports
each one the repository has taken (``on_sent``), and says in one sentence why it could not
(``SendFailed``). Both verify the repository with the same CA bundle and present the same workstation
certificate, since both talk to the same hospital PKI.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import NamedTuple, Protocol

from ambientnote.audit.events import AuditEvent
from ambientnote.config import Settings
from ambientnote.errors import ConfigError

OnSent = Callable[[AuditEvent], None]


class Received(NamedTuple):
    """One event as a repository holds it: its place in the chain, its hash and when it was recorded."""

    seq: int
    hash: str
    recorded: str


class SendFailed(Exception):
    """The repository did not take the events, or could not be read; ``str()`` is why, as a clause."""


class Transport(Protocol):
    @property
    def where(self) -> str:
        """How a sentence names the repository: "the audit repository at HOST:PORT"."""

    @property
    def state_file(self) -> str:
        """The file beside the store that records what this repository has received."""

    def send(self, events: list[AuditEvent], store_id: str, on_sent: OnSent) -> None:
        """Send ``events`` in order; call ``on_sent(event)`` once the repository holds everything up to it."""

    def received(self, store_id: str, count: int) -> list[Received] | None:
        """The newest ``count`` events the repository holds from this store, newest first ([] when none); None
        when this kind of repository cannot be read back (syslog). Raises ``SendFailed`` when it cannot be
        reached."""


def tls_context(cfg: Settings) -> ssl.SSLContext:
    """TLS 1.2 or later, verified against ``audit_repository_ca`` (else the system's CAs), with the workstation's
    certificate when ``audit_repository_client_cert`` names one (ATNA node authentication)."""
    context = ssl.create_default_context(cafile=str(cfg.audit_repository_ca) if cfg.audit_repository_ca else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if cfg.audit_repository_client_cert:
        try:
            context.load_cert_chain(str(cfg.audit_repository_client_cert))
        except OSError as exc:
            raise ConfigError(f"The file in audit_repository_client_cert ({cfg.audit_repository_client_cert}) "
                              "does not hold a readable certificate and key.") from exc
    return context


def describe(where: str, exc: BaseException) -> str:
    """Why ``where`` could not be reached, as a clause; looks through a client library's wrapping (httpx) to
    the socket or TLS error underneath."""
    if isinstance(exc, ConfigError):
        return str(exc).rstrip(".")
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        return f"{where} presented a certificate that audit_repository_ca does not trust"
    if isinstance(cause, ssl.SSLError):
        return f"{where} failed the TLS handshake ({cause.reason or cause})"
    if isinstance(cause, TimeoutError) or "Timeout" in type(exc).__name__:
        return f"{where} did not answer in time"
    if isinstance(cause, OSError):
        return f"{where} cannot be reached ({cause.strerror or type(cause).__name__})"
    return f"{where} cannot be reached ({type(exc).__name__})"
