"""A few-step fine-tune, end to end: pairs → LoRA → GGUF adapter → llama.cpp answers with it.

Only a smoke test (the real run is `ambientnote train`, recorded in models/notes/MODEL_CARD.md):
it proves the adapter llama.cpp loads is the one trained and that it answers the prompt it was trained on.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ambientnote.cli import main
from ambientnote.config import load_settings
from ambientnote.notes.llm import load_note_model
from ambientnote.training.prompt import rewrite_messages

from .conftest import DIALOGUE

pytest.importorskip("peft", reason="the 'train' extra is not installed")
pytestmark = pytest.mark.model  # trains SmolLM2 (transformers) and loads it in llama.cpp


@pytest.fixture(scope="module")
def trained(aci_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("train") / "writer.lora.gguf"
    result = CliRunner().invoke(main, [
        "train", "--aci", str(aci_csv), "--valid", str(aci_csv), "--steps", "2", "--batch-size", "2",
        "--top-layers", "1", "--rank", "4", "--eval-every", "1", "--valid-pairs", "2", "--threads", "2",
        "--out", str(out),
    ])
    assert result.exit_code == 0, result.output
    return out


def test_training_writes_an_adapter_and_its_report(trained):
    report = json.loads(trained.with_suffix(".json").read_text())
    assert report["data"]["train_pairs"] > 0 and report["settings"]["steps"] == 2
    assert report["hardware"]["device"] in {"cpu", "cuda"} and report["seconds"] > 0
    assert [e["step"] for e in report["log"]] == [0, 1, 2] and "valid_loss" in report["log"][-1]
    assert trained.read_bytes()[:4] == b"GGUF"


def test_llama_cpp_answers_with_the_trained_adapter(trained):
    model = load_note_model("smollm2-135m", cfg=load_settings(), adapter=trained, n_ctx=2048)
    assert model.writes_notes and model.name.endswith("+writer.lora")
    source = "\n".join(f"{line.split(']')[0].strip('[').capitalize()}:{line.split(']', 1)[1]}"
                       for line in DIALOGUE.splitlines()[:2])
    answer = model.complete_text(rewrite_messages("history", source), max_tokens=24)
    assert answer.strip() and model.generated_tokens > 0


def test_a_corrupt_adapter_is_one_clear_error(tmp_path):
    from ambientnote.errors import ModelError

    bad = tmp_path / "bad.lora.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ModelError, match="bad.lora.gguf"):
        load_note_model("smollm2-135m", cfg=load_settings(), adapter=bad, n_ctx=2048)
