"""Run a command against a local llama.cpp server standing in for the hospital's on-prem LLM.

``python -m ambientnote.router.stand_in [--model M] [--threads N] [--set KEY=VALUE …] -- COMMAND …``

Starts ``python -m llama_cpp.server`` with a local GGUF (a manifest name or a path) on a free
127.0.0.1 port, writes a site policy that allows routing to it (plus any ``--set`` keys, TOML values),
runs COMMAND with ``AMBIENTNOTE_POLICY`` and the API key in its environment, and stops the server.
This is how the routing figures in docs/router.md were measured::

    python -m ambientnote.router.stand_in -- ambientnote eval --data valid.csv --route auto --out route-auto.json
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from ambientnote.router.testing import API_KEY, llama_server


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
    from ambientnote.models import resolve_model

    gguf = resolve_model(args.model, args.role)
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
