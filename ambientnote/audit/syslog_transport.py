"""Audit events to the repository as IHE ATNA syslog over TLS (RFC 5424 messages, RFC 5425 framing).

One TLS session per batch; a clean TLS close after the last frame is the only receipt syslog gives, so the
batch counts as received once the close succeeded.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from ambientnote import egress
from ambientnote.audit.atna import octet_counted, syslog_message
from ambientnote.audit.events import AuditEvent
from ambientnote.audit.transport import OnSent, SendFailed, describe, tls_context
from ambientnote.config import Settings
from ambientnote.errors import ConfigError


def repository_address(cfg: Settings) -> tuple[str, int] | None:
    """``(host, port)`` of the configured syslog repository, or None when the site names none."""
    if not cfg.audit_repository:
        return None
    host, sep, port = cfg.audit_repository.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"The setting 'audit_repository' must be HOST:PORT (got '{cfg.audit_repository}').")
    return host.strip("[]"), int(port)


@dataclass(frozen=True)
class SyslogTransport:
    address: tuple[str, int]
    cfg: Settings
    state_file: str = "audit.forwarded"

    @property
    def where(self) -> str:
        return f"the audit repository at {self.address[0]}:{self.address[1]}"

    def send(self, events: list[AuditEvent], store_id: str, on_sent: OnSent) -> None:
        egress.allow(*self.address)  # the site policy named it: the process's network guard lets it through
        try:
            with socket.create_connection(self.address, timeout=self.cfg.audit_repository_timeout_s) as raw, \
                    tls_context(self.cfg).wrap_socket(raw, server_hostname=self.address[0]) as tls:
                tls.sendall(b"".join(octet_counted(syslog_message(e, store_id)) for e in events))
                tls.unwrap()  # a clean TLS close: the repository has read everything before we count it as sent
        except (OSError, ConfigError) as exc:
            raise SendFailed(describe(self.where, exc)) from exc
        on_sent(events[-1])

    def received(self, store_id: str, count: int) -> None:
        return None  # syslog is write-only: what it received is known only from what was sent
