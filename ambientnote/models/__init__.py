"""Model manifest, verification and resolution: nothing loads unless its SHA-256 matches."""

from ambientnote.models.manifest import ModelEntry, load_manifest
from ambientnote.models.resolve import resolve_model, verify_model

__all__ = ["ModelEntry", "load_manifest", "resolve_model", "verify_model"]
