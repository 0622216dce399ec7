"""The shipped note writer: base GGUF plus LoRA adapter, both verified, loaded as one note model."""

from __future__ import annotations

import pytest

from ambientnote.config import load_settings
from ambientnote.errors import ModelError
from ambientnote.models import load_manifest, resolve_model
from ambientnote.notes.llm import load_note_model


@pytest.mark.model
def test_the_note_writer_loads_with_its_adapter():
    model = load_note_model("smollm2-135m-notewriter", cfg=load_settings(), n_ctx=2048)
    assert model.writes_notes and model.name == "smollm2-135m-notewriter"


def test_a_tampered_adapter_fails_its_checksum():
    entry = load_manifest()["smollm2-135m-notewriter"]
    base = resolve_model(entry.name, "note", cfg=load_settings())
    adapter = base.parent / entry.adapter
    original = adapter.read_bytes()
    try:
        adapter.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
        with pytest.raises(ModelError, match="checksum"):
            load_note_model(entry.name, cfg=load_settings(), n_ctx=2048)
    finally:
        adapter.write_bytes(original)
