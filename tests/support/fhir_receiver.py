"""A small FHIR R4 audit repository for tests, on 127.0.0.1 over HTTPS (a throw-away CA, ``support.tls``).

It does what a hospital's FHIR server does with AmbientNote's trail, no more: ``POST [base]/AuditEvent`` stores
a resource that fhir.resources accepts as an R4 AuditEvent (anything else gets 400 and an OperationOutcome),
assigning the id as a server would (201 with a Location; no body when the client prefers
``return=minimal``), and ``GET [base]/AuditEvent?source:identifier=SYSTEM|VALUE&_sort=-date&_count=N``
answers the search ``audit verify`` makes with a searchset Bundle. Any other request or search parameter is
refused, so the client cannot lean on something a real server would not do. ``stop()`` and
``start()`` model a repository that goes down and comes back at the same address. With ``client_certificates``
it asks each client for a certificate from its CA, as ATNA node authentication does (mutual TLS).
"""

from __future__ import annotations

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fhir.resources.R4B.auditevent import AuditEvent
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from support.tls import free_port, self_signed_tls

BASE_PATH = "/fhir"
SEARCH_PARAMS = {"source:identifier", "_sort", "_count"}


class FhirReceiver:
    """The repository: ``events`` are the stored resources in arrival order, ``bodies`` the raw requests."""

    def __init__(self, work: Path, *, client_certificates: bool = False) -> None:
        self.work, self.port, self._server, self.client_certificates = work, free_port(), None, client_certificates
        self_signed_tls(work)
        self.ca = work / "ca.pem"
        self.events: list[dict[str, Any]] = []
        self.bodies: list[bytes] = []
        self.refused: list[str] = []  # why each refused POST was refused
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}{BASE_PATH}"

    def start(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.work / "server.pem", self.work / "server.key")
        if self.client_certificates:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(self.ca)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._server = server

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def store(self, body: bytes) -> tuple[int, dict[str, Any]]:
        """A POSTed AuditEvent: (201, the stored resource) or (400, an OperationOutcome)."""
        with self._lock:
            self.bodies.append(body)
            try:
                resource = json.loads(body)
                AuditEvent.model_validate(resource)
            except (ValueError, ValidationError) as exc:
                self.refused.append(str(exc))
                return 400, _outcome(f"Not a valid R4 AuditEvent: {str(exc)[:300]}")
            resource = {**resource, "id": str(len(self.events) + 1), "meta": {"versionId": "1"}}
            self.events.append(resource)
            return 201, resource

    def search(self, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        if unknown := set(query) - SEARCH_PARAMS:
            return 400, _outcome(f"Unknown search parameter {sorted(unknown)[0]}")
        system, _, value = query.get("source:identifier", ["|"])[0].partition("|")
        with self._lock:
            found = [(i, r) for i, r in enumerate(self.events)
                     if r["source"].get("observer", {}).get("identifier") == {"system": system, "value": value}]
        if query.get("_sort") == ["-date"]:
            found.sort(key=lambda pair: (pair[1]["recorded"], pair[0]), reverse=True)
        count = int(query.get("_count", ["100"])[0])
        bundle = {"resourceType": "Bundle", "type": "searchset", "total": len(found),
                  "entry": [{"fullUrl": f"{self.base_url}/AuditEvent/{r['id']}", "resource": r,
                             "search": {"mode": "match"}} for _, r in found[:count]]}
        Bundle.model_validate(bundle)
        return 200, bundle


def _outcome(text: str) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "invalid",
                                                           "diagnostics": text}]}


def _handler(receiver: FhirReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = -1  # one write per answer, headers and body together (else each answer waits on a delayed ACK)

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if urlsplit(self.path).path != f"{BASE_PATH}/AuditEvent":
                return self._answer(404, _outcome(f"No such endpoint {self.path}"))
            if self.headers.get("Content-Type", "").split(";")[0] != "application/fhir+json":
                return self._answer(415, _outcome("Send application/fhir+json"))
            status, resource = receiver.store(body)
            location = f"{receiver.base_url}/AuditEvent/{resource.get('id')}/_history/1" if status == 201 else None
            minimal = status == 201 and self.headers.get("Prefer") == "return=minimal"
            self._answer(status, None if minimal else resource, location)

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            if parts.path != f"{BASE_PATH}/AuditEvent":
                return self._answer(404, _outcome(f"No such endpoint {parts.path}"))
            self._answer(*receiver.search(parse_qs(parts.query)))

        def _answer(self, status: int, body: dict[str, Any] | None, location: str | None = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            if body is not None:
                self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(data)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # the tests read what was stored, not an access log

    return Handler
