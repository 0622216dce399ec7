"""Switch off every hub download before any model library is imported.

No model may be fetched at run time; the defaults come from PyPI packages. These
variables make huggingface_hub (pulled in by faster-whisper) refuse to touch the
network instead of trying and timing out.
"""

import os

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
    os.environ[_name] = "1"
