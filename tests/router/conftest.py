"""A real llama.cpp server on loopback stands in for the hospital's on-prem LLM (the bundled GGUF).

The server is started once per session on a free 127.0.0.1 port, with an API key
so the key path is exercised too, and killed afterwards. ``site_policy`` writes
a policy file that allows routing to it; tests tweak single keys.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ambientnote.store.testing import admin, clinician, created, home  # noqa: F401  (store fixtures)

API_KEY = "test-onprem-key"
MODEL_ALIAS = "onprem-test"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def onprem_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running ``python -m llama_cpp.server`` with the bundled SmolLM2 GGUF."""
    from ambientnote.models import resolve_model

    gguf = resolve_model("smollm2-135m", "note")
    port = free_port()
    log = (tmp_path_factory.mktemp("onprem") / "server.log").open("wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMBIENTNOTE_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", "8192", "--n_threads", "2", "--model_alias", MODEL_ALIAS, "--api_key", API_KEY,
         "--verbose", "False"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"the llama.cpp server exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(f"{url}/v1/models", headers={"Authorization": f"Bearer {API_KEY}"},
                             timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the llama.cpp server did not answer /v1/models within 90 s")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def site_policy(home: Path, monkeypatch: pytest.MonkeyPatch, onprem_server: str  # noqa: F811
                ) -> Callable[..., Path]:
    """``site_policy(**keys)`` writes the site policy (routing to the test server allowed) and reloads settings."""
    from ambientnote.store.sandbox import reload_settings

    path = home / "policy.toml"
    monkeypatch.setenv("AMBIENTNOTE_POLICY", str(path))
    monkeypatch.setenv("AMBIENTNOTE_ONPREM_API_KEY", API_KEY)

    def write(**overrides: Any) -> Path:
        keys: dict[str, Any] = {"routing_allowed": True, "onprem_url": onprem_server, "onprem_timeout_s": 120.0,
                                "onprem_max_tokens": 700, "note_context": 4096}
        keys.update(overrides)
        lines = []
        for key, value in keys.items():
            if value is None:
                continue
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, int | float):
                lines.append(f"{key} = {value!r}")
            elif isinstance(value, list):
                lines.append(f"{key} = [{', '.join(repr(str(v)).replace(chr(39), chr(34)) for v in value)}]")
            else:
                lines.append(f'{key} = "{value}"')
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        reload_settings()
        return path

    write()
    return write
