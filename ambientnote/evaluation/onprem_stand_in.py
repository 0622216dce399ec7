"""A local llama.cpp server standing in for the hospital's on-prem LLM, for the routing figures and the tests.

``python -m ambientnote.evaluation.onprem_stand_in [--model M] [--threads N] [--set KEY=VALUE …] -- COMMAND …``

Starts ``python -m llama_cpp.server`` (llama-cpp-python's server extra) with a local GGUF (a manifest name or
a path) on 127.0.0.1 only and a free port, waits until ``/v1/models`` answers, writes a site policy that
allows routing to it (plus any ``--set`` keys, TOML values), runs COMMAND with ``AMBIENTNOTE_POLICY`` and the
API key in its environment, and stops the server. This is how the routing figures in docs/router.md were
measured::

    python -m ambientnote.evaluation.onprem_stand_in -- \\
        ambientnote eval --data valid.csv --route auto --out route-auto.json

The tests of ``tests/router`` and ``tests/gui`` start the same server through ``llama_server``. The app never
imports this module, and the frozen bundle leaves it out (``packaging/ambientnote.spec``).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ambientnote.config import load_settings
from ambientnote.models import resolve_model

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


def policy_text(url: str, settings: list[str]) -> str:
    """A site policy allowing routing to ``url``; each ``KEY=VALUE`` (a TOML value) is added or replaces one."""
    keys = {"routing_allowed": "true", "onprem_url": f'"{url}"'}
    for item in settings:
        key, _, value = item.partition("=")
        tomllib.loads(f"{key.strip()} = {value.strip()}")  # a typo fails here, not halfway through a run
        keys[key.strip()] = value.strip()
    return "".join(f"{key} = {value}\n" for key, value in keys.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2-135m", help="GGUF served: manifest name or path.")
    parser.add_argument("--role", default="note", help="Manifest role of --model (gemma3-270m is note-base).")
    parser.add_argument("--threads", type=int, default=2, help="Server threads (1 is faster on a busy machine).")
    parser.add_argument("--ctx", type=int, default=8192, help="Server context (tokens): the longest visit must fit.")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="A site policy key (TOML value), e.g. --set onprem_max_tokens=768.")
    parser.add_argument("--log", type=Path, default=None, help="Server log (default: a temporary file).")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run.")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    gguf = resolve_model(args.model, args.role, cfg=load_settings())  # a face: it reads the settings once
    with tempfile.TemporaryDirectory(prefix="ambientnote-stand-in-") as tmp:
        log = args.log or Path(tmp) / "server.log"
        with llama_server(gguf, log, threads=args.threads, n_ctx=args.ctx) as url:
            policy = Path(tmp) / "policy.toml"
            policy.write_text(policy_text(url, args.settings), encoding="utf-8")
            env = {**os.environ, "AMBIENTNOTE_POLICY": str(policy), "AMBIENTNOTE_ONPREM_API_KEY": API_KEY}
            print(f"stand-in on-prem server: {gguf.name} at {url} ({args.threads} threads)", file=sys.stderr)
            return subprocess.call(command, env=env)


if __name__ == "__main__":
    raise SystemExit(main())
