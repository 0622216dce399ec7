"""LoRA fine-tuning of the note model on (source, note sentence) pairs, on the CPU or a GPU.

The base is the shipped GGUF itself, dequantized by transformers' GGUF loader,
so the adapter is trained on exactly the weights llama.cpp will apply it to.
Two choices keep a CPU run to tens of minutes: only the top layers carry
adapters (gradients stop there), and the vocabulary projection is computed only
at the answer's positions (the loss needs no other logits). Adapters sit on the
value/output projections and the MLP, not on query/key, whose GGUF layout is
permuted for RoPE and would need the same permutation in the export.
The step with the lowest validation loss is the one kept.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from ambientnote.progress import ProgressCallback, no_progress
from ambientnote.training.pairs import Pair
from ambientnote.training.prompt import rewrite_messages

if TYPE_CHECKING:  # torch, transformers and peft load only when training starts
    from peft import PeftModel
    from torch import Tensor
    from torch.nn import Module
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    Batch = tuple[Tensor, Tensor, Tensor]  # token ids, attention mask, labels


class _CausalLM(Protocol):
    """What ``answer_loss`` uses of a transformers causal LM: the decoder stack and the vocabulary projection."""

    model: Module
    lm_head: Module

TARGET_MODULES = ("v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass
class TrainSettings:
    steps: int = 200
    batch_size: int = 8
    learning_rate: float = 4e-4
    rank: int = 16
    alpha: float = 32.0
    top_layers: int = 12  # adapters on the last N transformer layers
    max_tokens: int = 192
    eval_every: int = 25
    valid_pairs: int = 120
    seed: int = 0
    threads: int | None = None


@dataclass
class TrainResult:
    model: PeftModel  # best validation step loaded
    settings: TrainSettings
    device: str
    seconds: float
    train_pairs: int
    valid_pairs: int
    best_step: int
    best_valid_loss: float
    log: list[dict[str, float]] = field(default_factory=list)


def load_base(gguf: Path, device: str) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """(model, tokenizer) from the GGUF file, dequantized to float32."""
    # here: the optional train extra, seconds to load
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer  # optional: the train extra

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    return model.to(device), tokenizer


def encode(tokenizer: PreTrainedTokenizerBase, pair: Pair, max_tokens: int) -> tuple[list[int], int] | None:
    """(token ids of prompt + answer + end of turn, prompt length), or None when too long."""
    messages = rewrite_messages(pair.section, pair.source)
    prompt = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    answered = messages + [{"role": "assistant", "content": pair.target}]
    full = tokenizer.apply_chat_template(answered, tokenize=False)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    full_ids = tokenizer(full.rstrip("\n"), add_special_tokens=False)["input_ids"]
    if len(full_ids) > max_tokens or full_ids[: len(prompt_ids)] != prompt_ids:
        return None
    return full_ids, len(prompt_ids)


def _batch(examples: list[tuple[list[int], int]], pad_id: int, device: str) -> Batch:
    import torch  # here: the optional train extra, seconds to load

    width = max(len(ids) for ids, _ in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    labels = torch.full((len(examples), width), -100, dtype=torch.long)
    for row, (tokens, n_prompt) in enumerate(examples):
        ids[row, : len(tokens)] = torch.tensor(tokens)
        mask[row, : len(tokens)] = 1
        labels[row, n_prompt: len(tokens)] = torch.tensor(tokens[n_prompt:])
    return ids.to(device), mask.to(device), labels.to(device)


def answer_loss(model: PeftModel, ids: Tensor, mask: Tensor, labels: Tensor) -> Tensor:
    """Cross-entropy over the answer tokens only, projecting to the vocabulary only there."""
    import torch.nn.functional as F  # here: the optional train extra, seconds to load

    causal = cast("_CausalLM", model.get_base_model())
    hidden = causal.model(input_ids=ids, attention_mask=mask).last_hidden_state[:, :-1]
    targets = labels[:, 1:]
    keep = targets != -100
    logits = causal.lm_head(hidden[keep])
    return F.cross_entropy(logits.float(), targets[keep])


def _valid_loss(model: PeftModel, batches: list[Batch]) -> float:
    import torch  # here: the optional train extra, seconds to load

    model.eval()
    with torch.no_grad():
        losses = [answer_loss(model, *b).item() for b in batches]
    model.train()
    return sum(losses) / len(losses)


def train_lora(
    gguf: Path, train: list[Pair], valid: list[Pair], settings: TrainSettings,
    on_progress: ProgressCallback = no_progress,
) -> TrainResult:
    # here: the optional train extra, seconds to load
    import torch
    from peft import LoraConfig, get_peft_model  # optional: the train extra

    started = time.perf_counter()
    torch.manual_seed(settings.seed)
    if settings.threads:
        torch.set_num_threads(settings.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    base, tokenizer = load_base(gguf, device)
    layers = base.config.num_hidden_layers
    model = get_peft_model(base, LoraConfig(
        r=settings.rank, lora_alpha=settings.alpha, lora_dropout=0.05, target_modules=list(TARGET_MODULES),
        layers_to_transform=list(range(max(0, layers - settings.top_layers), layers)), task_type="CAUSAL_LM",
    ))
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    encoded = [e for p in train if (e := encode(tokenizer, p, settings.max_tokens))]
    held = [e for p in valid[: settings.valid_pairs] if (e := encode(tokenizer, p, settings.max_tokens))]
    size = settings.batch_size
    valid_batches = [_batch(held[i: i + size], pad, device) for i in range(0, len(held), size)]
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=settings.learning_rate, weight_decay=0.0)
    warmup = max(1, settings.steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (
        1 + math.cos(math.pi * min(1.0, s / settings.steps))))
    rng = random.Random(settings.seed)
    order: list[int] = []
    log: list[dict[str, float]] = []
    best = (_valid_loss(model, valid_batches) if valid_batches else math.inf, 0)
    best_state = {k: v.detach().clone() for k, v in model.state_dict().items() if "lora_" in k}
    log.append({"step": 0, "valid_loss": best[0]})
    model.train()
    for step in range(1, settings.steps + 1):
        if len(order) < settings.batch_size:
            order += rng.sample(range(len(encoded)), len(encoded))
        chosen, order = order[: settings.batch_size], order[settings.batch_size:]
        loss = answer_loss(model, *_batch([encoded[i] for i in chosen], pad, device))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        entry = {"step": step, "train_loss": round(loss.item(), 4)}
        if valid_batches and (step % settings.eval_every == 0 or step == settings.steps):
            entry["valid_loss"] = round(_valid_loss(model, valid_batches), 4)
            if entry["valid_loss"] < best[0]:
                best = (entry["valid_loss"], step)
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items() if "lora_" in k}
        log.append(entry)
        on_progress(step, settings.steps, f"step {step}: loss {loss.item():.3f}"
                    + (f", valid {entry['valid_loss']:.3f}" if "valid_loss" in entry else ""))
    model.load_state_dict(best_state, strict=False)
    return TrainResult(model=model, settings=settings, device=device, seconds=time.perf_counter() - started,
                       train_pairs=len(encoded), valid_pairs=len(held), best_step=best[1],
                       best_valid_loss=best[0], log=log)
