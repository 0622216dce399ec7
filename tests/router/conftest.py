"""A real llama.cpp server on loopback stands in for the hospital's on-prem LLM (the bundled GGUF).

The server is started once per session on a free 127.0.0.1 port, with an API key
so the key path is exercised too, and killed afterwards. ``site_policy`` writes
a policy file that allows routing to it; tests tweak single keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.store import admin, clinician, created, home  # noqa: F401  (store fixtures)

from ambientnote.evaluation.onprem_stand_in import API_KEY, llama_server


@pytest.fixture(scope="session")
def onprem_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running ``python -m llama_cpp.server`` with the bundled SmolLM2 GGUF."""
    from ambientnote.config import load_settings
    from ambientnote.models import resolve_model

    log = tmp_path_factory.mktemp("onprem") / "server.log"
    try:
        with llama_server(resolve_model("smollm2-135m", "note", cfg=load_settings()), log) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def site_policy(home: Path, monkeypatch: pytest.MonkeyPatch, onprem_server: str  # noqa: F811
                ) -> Callable[..., Path]:
    """``site_policy(**keys)`` writes the site policy (routing to the test server allowed); a test reads it with ``load_settings()``."""

    home.mkdir(parents=True, exist_ok=True)
    path = home / "policy.toml"
    monkeypatch.setenv("AMBIENTNOTE_POLICY", str(path))
    monkeypatch.setenv("AMBIENTNOTE_ONPREM_API_KEY", API_KEY)

    def write(**overrides: Any) -> Path:
        keys: dict[str, Any] = {"routing_allowed": True, "onprem_url": onprem_server, "onprem_timeout_s": 120.0,
                                "onprem_max_tokens": 64, "note_context": 4096}
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
        return path

    write()
    return write


@pytest.fixture(scope="session")
def knee_transcript(sample_audio: list[Path]):
    """The knee-pain sample's reference transcript: short, so the on-prem calls stay quick."""
    from ambientnote.transcript.formats import load_transcript

    return load_transcript(next(p for p in sample_audio if "knee" in p.name).with_suffix(".txt"))
