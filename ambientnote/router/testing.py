"""A local llama.cpp server standing in for the hospital's on-prem LLM, for tests and the eval figures.

``python -m llama_cpp.server`` (llama-cpp-python's server extra) with the bundled
GGUF, on 127.0.0.1 only and a free port, waited for until ``/v1/models``
answers and stopped afterwards. Imported by tests/router (import pytest only there).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

API_KEY = "test-onprem-key"
MODEL_ALIAS = "onprem-test"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def llama_server(gguf: Path, log: Path, *, api_key: str | None = API_KEY, threads: int = 2,
                 n_ctx: int = 8192, wait_s: float = 90.0) -> Iterator[str]:
    """Run the server on a free loopback port; yields its base URL (no ``/v1``)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMBIENTNOTE_")}
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", str(threads),
               "--model_alias", MODEL_ALIAS, "--verbose", "False"]
    if api_key:
        command += ["--api_key", api_key]
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + wait_s
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the llama.cpp server exited with {process.returncode}; see {log}")
                try:
                    if httpx.get(f"{url}/v1/models", headers=headers, timeout=2, trust_env=False).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the llama.cpp server did not answer /v1/models within {wait_s:g} s")
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
