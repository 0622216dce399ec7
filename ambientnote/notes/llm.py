"""The local note model: a GGUF file run by llama.cpp, answers constrained to a JSON schema.

Loading is verified (SHA-256 against the manifest) and a corrupt or missing
file is one clear sentence. The schema constrains decoding, so the answer always
parses; the evidence ids are an enum of the turns shown, so the model cannot
cite a turn that does not exist.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ambientnote.config import Settings
from ambientnote.errors import ModelError
from ambientnote.models import load_manifest, resolve_model
from ambientnote.progress import ProgressCallback, no_progress


@dataclass
class NoteModel:
    """A loaded GGUF model and what it is called in notes and audit records."""

    llm: Any
    name: str
    n_ctx: int
    writes_notes: bool = False  # carries the fine-tuned note-writer adapter (ambientnote/training/prompt.py)
    generated_tokens: int = 0
    generation_s: float = 0.0

    @property
    def tokens_per_second(self) -> float:
        """Decoding speed over every answer so far (prompt reading included)."""
        return self.generated_tokens / self.generation_s if self.generation_s else 0.0

    def count_tokens(self, text: str) -> int:
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def _timed(self, started: float, tokens: int) -> None:
        self.generated_tokens += tokens
        self.generation_s += time.perf_counter() - started

    def complete_text(self, messages: list[dict[str, str]], *, max_tokens: int) -> str:
        """One greedy chat completion in plain text ("" when the prompt does not fit)."""
        started = time.perf_counter()
        try:
            result = self.llm.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0.0,
                                                     seed=1234)
        except ValueError:
            return ""
        self._timed(started, int(result["usage"]["completion_tokens"]))
        return result["choices"][0]["message"]["content"] or ""

    def complete_json(
        self, messages: list[dict[str, str]], schema: dict[str, Any], *, max_tokens: int, temperature: float = 0.0
    ) -> tuple[dict[str, Any] | None, int]:
        """One schema-constrained chat completion: (parsed answer or None, tokens generated)."""
        started = time.perf_counter()
        try:
            result = self.llm.create_chat_completion(
                messages=messages,
                response_format={"type": "json_object", "schema": schema},
                max_tokens=max_tokens,
                temperature=temperature,
                repeat_penalty=1.15,
                seed=1234,
            )
        except ValueError:  # the prompt did not fit the context: no answer, the caller falls back
            return None, 0
        content = result["choices"][0]["message"]["content"] or ""
        tokens = int(result["usage"]["completion_tokens"])
        self._timed(started, tokens)
        try:
            return json.loads(content), tokens
        except json.JSONDecodeError:
            return None, tokens  # cut off by max_tokens: the caller retries or falls back


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """llama.cpp prints its load log on fd 2; keep the CLI's stderr for our one-line messages."""
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def load_note_model(
    name_or_path: str | None = None, *, cfg: Settings, n_ctx: int | None = None, adapter: Path | None = None,
    on_progress: ProgressCallback = no_progress,
) -> NoteModel:
    """Load a manifest model (with its note-writer adapter, if the manifest gives one) or a GGUF path.

    ``adapter`` applies a LoRA GGUF not (yet) in the manifest, e.g. one just trained, to be evaluated. ``cfg``
    gives the default model, its context window and the threads.
    """
    name = name_or_path or cfg.note_model
    path: Path = resolve_model(name, "note", on_progress=on_progress, cfg=cfg)
    entry = load_manifest().get(name)
    if adapter is None and entry is not None and entry.adapter:
        adapter = path.parent / entry.adapter
    on_progress(0, 1, f"loading {path.name}")
    from llama_cpp import Llama  # heavy: llama.cpp loads only when drafting with a model

    try:
        with _quiet_stderr():
            llm = Llama(
                model_path=str(path),
                lora_path=str(adapter) if adapter else None,
                n_ctx=n_ctx or cfg.note_context,
                n_threads=cfg.threads,
                verbose=False,
            )
        # llama-cpp-python checks a failed adapter load with `is None`, which a NULL ctypes pointer never is
        if adapter is not None and not llm._lora_adapter:
            raise ValueError("the LoRA adapter did not load")
    except (ValueError, RuntimeError, OSError) as exc:
        what = f"{path.name} with {adapter.name}" if adapter else path.name
        raise ModelError(f"The note model {what} could not be loaded; it is not a valid GGUF file.") from exc
    on_progress(1, 1, f"loaded {path.name}")
    label = path.stem if name == str(path) else name
    if adapter and (entry is None or adapter.name != entry.adapter):
        label += f"+{adapter.stem}"
    return NoteModel(llm=llm, name=label, n_ctx=llm.n_ctx(), writes_notes=adapter is not None)
