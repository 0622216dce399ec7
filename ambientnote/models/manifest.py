"""The model manifest (``models/manifest.toml``) as pydantic models.

Sites may add their own entries (a 3-8B medical GGUF, large-v3-turbo) in a
manifest named by ``AMBIENTNOTE_MODEL_MANIFEST``, so that a preferred model is
verified exactly like the defaults.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from ambientnote.errors import ConfigError, ModelError
from ambientnote.paths import models_dir


class ModelFile(BaseModel):
    name: str
    size: int
    sha256: str
    parts: list[str]
    """``module:relative/path`` inside an installed package, or an absolute path."""


class ModelEntry(BaseModel):
    name: str
    role: Literal["asr", "note", "note-base"]
    format: Literal["ctranslate2", "gguf"]
    package: str
    licence: str
    description: str = ""
    files: list[ModelFile]
    adapter: str | None = None
    """The file (one of ``files``) holding a LoRA adapter that llama.cpp applies to the first file."""

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


def _manifest_paths() -> list[Path]:
    paths = [models_dir() / "manifest.toml"]
    extra = os.environ.get("AMBIENTNOTE_MODEL_MANIFEST")
    if extra:
        paths.append(Path(extra))
    return paths


def load_manifest() -> dict[str, ModelEntry]:
    """All known models by name; a site manifest may add or replace entries."""
    entries: dict[str, ModelEntry] = {}
    for path in _manifest_paths():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            for raw in data.get("model", []):
                entry = ModelEntry.model_validate(raw)
                entries[entry.name] = entry
        except FileNotFoundError as exc:
            raise ModelError(f"The model manifest {path} is missing; reinstall AmbientNote.") from exc
        except (tomllib.TOMLDecodeError, ValidationError) as exc:
            raise ConfigError(f"The model manifest {path} is invalid; fix it or reinstall AmbientNote.") from exc
    return entries
