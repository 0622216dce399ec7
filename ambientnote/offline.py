"""Switch off every hub download and telemetry before any model library is imported.

No model may be fetched at run time; the defaults come from PyPI packages. These
variables make huggingface_hub (pulled in by faster-whisper) refuse to touch the
network instead of trying and timing out.

onnxruntime (faster-whisper's Silero VAD runs on it) otherwise keeps a device id
and a telemetry queue under ``~/.cache/Microsoft/DeveloperTools/.onnxruntime``
from its first session on; ``ORT_DISABLE_TELEMETRY`` stops that, and must be set
before the library loads.
"""

import os

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY",
              "ORT_DISABLE_TELEMETRY"):
    os.environ[_name] = "1"
