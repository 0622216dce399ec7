"""A trained LoRA adapter as a GGUF file llama.cpp applies to the shipped base model.

The layout is llama.cpp's adapter format (what its convert_lora_to_gguf.py
writes): ``general.type = adapter``, ``adapter.type = lora``, the alpha, and for
each adapted weight ``blk.N.<tensor>.weight.lora_a`` (rank × in) and
``.lora_b`` (out × rank), named after the base GGUF's tensors. Only the
projections whose GGUF layout equals transformers' are adapted (lora.py), so
no tensor needs re-permuting.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ambientnote.files import atomic_path

if TYPE_CHECKING:
    from torch.nn import Module

# transformers' Llama module names → llama.cpp's GGUF tensor names
GGUF_NAMES = {
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_PEFT = re.compile(r"layers\.(?P<layer>\d+)\.(?P<module>[a-z_]+\.[a-z_]+)\.lora_(?P<ab>[AB])\.default\.weight$")


def gguf_tensors(model: Module) -> dict[str, np.ndarray]:
    """{GGUF tensor name: float16 array} for every LoRA matrix of a peft model."""
    out: dict[str, np.ndarray] = {}
    for name, tensor in model.state_dict().items():
        match = _PEFT.search(name)
        if not match:
            continue
        gguf_name = GGUF_NAMES.get(match["module"])
        if gguf_name is None:
            raise ValueError(f"{match['module']} has no GGUF mapping; adapt only {', '.join(GGUF_NAMES)}.")
        suffix = "lora_a" if match["ab"] == "A" else "lora_b"
        out[f"blk.{match['layer']}.{gguf_name}.weight.{suffix}"] = tensor.detach().cpu().numpy().astype(np.float16)
    if not out:
        raise ValueError("The model holds no LoRA weights to export.")
    return out


def export_adapter(model: Module, alpha: float, path: Path, *, architecture: str = "llama") -> Path:
    """Write the adapter GGUF atomically (a partial file never takes the final name)."""
    import gguf  # here: the optional train extra

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path, mode=0o644) as tmp:  # adapter weights, no PHI
        writer = gguf.GGUFWriter(str(tmp), architecture)
        writer.add_type(gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
        for name, array in sorted(gguf_tensors(model).items()):
            writer.add_tensor(name, array)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
    return path
