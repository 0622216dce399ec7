"""The OpenAI-compatible client of the hospital's own LLM server (vLLM, llama.cpp server, TGI).

httpx with ``trust_env=False`` so no proxy variable can redirect a transcript,
TLS verified against the site's CA bundle, the API key from the keyring or the
environment and only ever in a header. Every way the server can fail (down,
slow, refusing, answering garbage) ends in ``OnPremUnavailable`` with one
sentence; the router then keeps the local draft and shows that sentence.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from ambientnote.errors import OnPremUnavailable
from ambientnote.router.policy import Endpoint, api_key


class OnPremClient:
    """One server; use as a context manager so the connection closes."""

    def __init__(self, endpoint: Endpoint, *, timeout_s: float) -> None:
        self.endpoint = endpoint
        self.timeout_s = timeout_s
        self.bytes_sent = 0  # request bodies, for the audit record
        headers = {"Accept": "application/json"}
        key = api_key(endpoint.host)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        verify: Any = str(endpoint.ca_bundle) if endpoint.ca_bundle else True
        self._http = httpx.Client(
            base_url=endpoint.base_url, headers=headers, verify=verify, trust_env=False, follow_redirects=False,
            timeout=httpx.Timeout(timeout_s, connect=min(5.0, timeout_s)),
        )

    @property
    def where(self) -> str:
        return f"{self.endpoint.host}:{self.endpoint.port}"

    def __enter__(self) -> OnPremClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def _post_or_get(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8") if body else None
        try:
            if payload:
                self.bytes_sent += len(payload)
            response = self._http.request(method, path, content=payload,
                                          headers={"Content-Type": "application/json"} if payload else None)
        except httpx.TimeoutException as exc:
            raise OnPremUnavailable(f"The on-prem server at {self.where} did not answer within "
                                    f"{self.timeout_s:g} s.") from exc
        except httpx.HTTPError as exc:
            raise OnPremUnavailable(f"The on-prem server at {self.where} cannot be reached (is it running?).") from exc
        if response.status_code in (401, 403):
            raise OnPremUnavailable(f"The on-prem server at {self.where} refused the API key (HTTP "
                                    f"{response.status_code}); ask hospital IT for one.")
        if response.status_code >= 300:
            raise OnPremUnavailable(f"The on-prem server at {self.where} answered HTTP {response.status_code}.")
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise OnPremUnavailable(f"The on-prem server at {self.where} did not answer in JSON.") from exc
        if not isinstance(data, dict):
            raise OnPremUnavailable(f"The on-prem server at {self.where} answered something that is not an API reply.")
        return data

    def model_name(self) -> str:
        """The configured model, else the first the server lists at ``/v1/models``."""
        if self.endpoint.model:
            return self.endpoint.model
        data = self._post_or_get("GET", "/models").get("data") or []
        if not data or not isinstance(data[0], dict) or not data[0].get("id"):
            raise OnPremUnavailable(f"The on-prem server at {self.where} lists no model.")
        return str(data[0]["id"])

    def chat_json(
        self, model: str, messages: list[dict[str, str]], schema: dict[str, Any], *, max_tokens: int,
        response_format: str = "json_object",
    ) -> tuple[str, int]:
        """One schema-constrained chat completion: (the answer's text, tokens generated)."""
        if response_format == "json_schema":
            fmt: dict[str, Any] = {"type": "json_schema", "json_schema": {"name": "note", "schema": schema,
                                                                          "strict": True}}
        else:
            fmt = {"type": "json_object", "schema": schema}
        body = {"model": model, "messages": messages, "response_format": fmt, "max_tokens": max_tokens,
                "temperature": 0.0, "stream": False}
        data = self._post_or_get("POST", "/chat/completions", body)
        try:
            content = data["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError) as exc:
            raise OnPremUnavailable(f"The on-prem server at {self.where} answered without a completion.") from exc
        usage = data.get("usage") or {}
        return str(content), int(usage.get("completion_tokens") or 0)
