"""Audit events to the hospital's FHIR R4 server as AuditEvent resources (``audit_repository_fhir``).

Why one POST per event to ``[base]/AuditEvent``: the server's 201 is a receipt for that event, so a failure
part-way through a backlog loses nothing and sends nothing twice; the queue moves on event by event, and
resumes after the server's own newest event when that is further than the local record. Unlike
syslog, the repository can be read back: ``received`` searches for this store's newest AuditEvents (the store
is the identifier of ``source.observer``; ``_sort=-date``), so ``audit verify`` compares the log with the
repository's own copy, not only with this computer's record of what was sent, which a key holder could edit.

httpx with ``trust_env=False`` (no proxy variable can redirect the trail), no redirects, and the same TLS
context as syslog (``audit_repository_ca``, ``audit_repository_client_cert``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from ambientnote import egress
from ambientnote.audit.events import AuditEvent
from ambientnote.audit.fhir import EXT_HASH, EXT_SEQ, STORE_SYSTEM, extension_value, repository_resource
from ambientnote.audit.transport import OnSent, Received, SendFailed, describe, tls_context
from ambientnote.config import Settings
from ambientnote.errors import ConfigError

FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True)
class FhirTransport:
    base_url: str  # validated by the setting: https, or http to loopback
    cfg: Settings
    state_file: str = "audit.forwarded-fhir"

    @property
    def where(self) -> str:
        return f"the FHIR audit repository at {self.base_url}"

    def send(self, events: list[AuditEvent], store_id: str, on_sent: OnSent) -> None:
        with self._client() as client:
            for event in events:
                body = json.dumps(repository_resource(event, store_id), ensure_ascii=False, separators=(",", ":"))
                response = self._request(client, "POST", "/AuditEvent", content=body.encode(),
                                         headers={"Content-Type": FHIR_JSON, "Prefer": "return=minimal"})
                if response.status_code not in (200, 201):
                    raise SendFailed(f"{self.where} refused event {event.seq} ({_status(response)})")
                on_sent(event)

    def received(self, store_id: str, count: int) -> list[Received]:
        params = {"source:identifier": f"{STORE_SYSTEM}|{store_id}", "_sort": "-date", "_count": str(count)}
        with self._client() as client:
            response = self._request(client, "GET", "/AuditEvent", params=params)
        if response.status_code != 200:
            raise SendFailed(f"{self.where} did not answer the search for this computer's events "
                             f"({_status(response)})")
        try:
            bundle = response.json()
            Bundle.model_validate(bundle)
        except (ValueError, ValidationError) as exc:
            raise SendFailed(f"{self.where} answered the search with something that is not a FHIR Bundle") from exc
        found = [e["resource"] for e in bundle.get("entry", [])
                 if e.get("resource", {}).get("resourceType") == "AuditEvent"]
        held = []
        for resource in found[:count]:
            seq, digest = extension_value(resource, EXT_SEQ), extension_value(resource, EXT_HASH)
            recorded = resource.get("recorded")
            if not (isinstance(seq, int) and isinstance(digest, str) and isinstance(recorded, str)):
                raise SendFailed(f"{self.where} holds an AuditEvent from this computer without its chain fields")
            held.append(Received(seq, digest, recorded))
        return held

    def _client(self) -> httpx.Client:
        parts = urlsplit(self.base_url)
        egress.allow(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        try:
            verify = tls_context(self.cfg)
        except ConfigError as exc:
            raise SendFailed(describe(self.where, exc)) from exc
        return httpx.Client(base_url=self.base_url, verify=verify, trust_env=False, follow_redirects=False,
                            timeout=self.cfg.audit_repository_timeout_s,
                            headers={"Accept": FHIR_JSON})

    def _request(self, client: httpx.Client, method: str, path: str, *, content: bytes | None = None,
                 params: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> httpx.Response:
        try:
            return client.request(method, path, content=content, params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise SendFailed(describe(self.where, exc)) from exc


def _status(response: httpx.Response) -> str:
    """``HTTP 400: <the OperationOutcome's first diagnostics>``, as far as the server said why."""
    try:
        issues = response.json().get("issue") or [{}]
        said = str(issues[0].get("diagnostics") or "")[:200]
    except (ValueError, AttributeError):
        said = ""
    return f"HTTP {response.status_code}" + (f": {said}" if said else "")
