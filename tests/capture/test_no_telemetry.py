"""Voice detection runs on onnxruntime, which must leave nothing behind in the user's home (no telemetry queue)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent("""
    import ambientnote.asr  # what every face imports before faster-whisper
    import numpy as np
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    tone = np.sin(np.arange(16000 * 2) * 2 * np.pi * 220 / 16000).astype(np.float32)
    get_speech_timestamps(tone, VadOptions())  # builds the Silero VAD onnxruntime session
    print("vad ran")
""")


def test_onnxruntime_writes_no_telemetry_under_home(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORT_", "XDG_"))} | {"HOME": str(tmp_path)}
    child = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, cwd=tmp_path,
                           timeout=300)
    assert child.returncode == 0 and "vad ran" in child.stdout, child.stderr[-2000:]
    assert not (tmp_path / ".cache" / "Microsoft").exists()
    assert [p for p in tmp_path.rglob("*") if "onnxruntime" in p.name.lower()] == []
