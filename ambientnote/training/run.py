"""``ambientnote train``: pairs → LoRA → adapter GGUF, with a report of how it was made.

The report (settings, data counts, device, wall time, loss curve) is what the
model card's training section is written from, so a run is reproducible from it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ambientnote.config import Settings
from ambientnote.errors import InputError
from ambientnote.models import resolve_model
from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.training.export import export_adapter
from ambientnote.training.lora import TrainSettings, train_lora
from ambientnote.training.pairs import aci_pairs, build_pairs


def _hardware(device: str) -> dict[str, Any]:
    import torch  # here: the optional train extra, seconds to load

    info: dict[str, Any] = {"device": device, "cpu": platform.processor() or platform.machine(),
                            "cpu_count": os.cpu_count(), "torch_threads": torch.get_num_threads(),
                            "torch": torch.__version__}
    if device == "cuda":
        info["gpu"] = torch.cuda.get_device_name(0)
    return info


def run_training(
    *, aci: list[Path], mts: list[Path], valid: Path, base: str, out: Path, settings: TrainSettings, cfg: Settings,
    on_progress: ProgressCallback = no_progress,
) -> dict[str, Any]:
    """Train the note writer and write ``out`` (adapter GGUF) and ``out``.json (the report); ``cfg`` says where a
    split base model is assembled."""
    missing = [name for name in ("torch", "transformers", "peft", "gguf") if importlib.util.find_spec(name) is None]
    if missing:
        raise InputError(f"Training needs the 'train' extra ({', '.join(missing)} missing): "
                         "pip install 'ambientnote[train]'.")
    on_progress(0, 1, "aligning note sentences to the conversations")
    train = build_pairs(aci, mts, seed=settings.seed)
    held = list(aci_pairs(valid))
    if not train:
        raise InputError("The training data gave no aligned sentence pairs; check the CSV files.")
    gguf = resolve_model(base, "note", on_progress=on_progress, cfg=cfg)
    result = train_lora(gguf, train, held, settings, on_progress=on_progress)
    export_adapter(result.model, settings.alpha, out)
    report = {
        "adapter": out.name, "base": base, "base_file": gguf.name,
        "data": {"aci": [p.name for p in aci], "mts": [p.name for p in mts], "valid": valid.name,
                 "train_pairs": result.train_pairs, "valid_pairs": result.valid_pairs},
        "settings": asdict(settings), "hardware": _hardware(result.device),
        "seconds": round(result.seconds, 1), "best_step": result.best_step,
        "best_valid_loss": result.best_valid_loss, "log": result.log,
    }
    out.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report
