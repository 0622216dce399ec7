"""dr_a's recording is interrupted; dr_b looks for it, claims it in its header and tries to read it (E17)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
from common import PASSWORDS, attempt

from ambientnote.config import load_settings
from ambientnote.capture.spool import AudioSpool, read_spool, spool_root
from ambientnote.store.session import login
from ambientnote.visits.recover import discard_recording, interrupted_recordings

home = Path(os.environ["AMBIENTNOTE_HOME"])
with login("dr_a", PASSWORDS["dr_a"], cfg=load_settings()) as a:
    spool = AudioSpool(a.account_key().public, a.store.store_id, home, account=a.account,
                       patient_label="Quillon Marbury")
    spool.write((np.sin(np.arange(32000) / 10) * 8000).astype(np.int16))
    spool.close()
header_file = spool_root(home) / spool.id / "header.json"
header = json.loads(header_file.read_text())
with login("dr_b", PASSWORDS["dr_b"], cfg=load_settings()) as b:
    attempt("dr_b lists", lambda: interrupted_recordings(b, home))
    header_file.write_text(json.dumps(header | {"account": "dr_b"}))
    claimed = interrupted_recordings(b, home)
    attempt("dr_b reads it after claiming it", lambda: read_spool(b.account_key().private, b.store.store_id,
                                                                  claimed[0]).patient_label)
header_file.write_text(json.dumps(header))
found = subprocess.run(["grep", "-rl", "Quillon", str(spool_root(home))], capture_output=True, text=True, check=False)
print("label in plaintext:", found.stdout or "nowhere")
with login("dr_a", PASSWORDS["dr_a"], cfg=load_settings()) as a:
    info = interrupted_recordings(a, home)[0]
    attempt("dr_a reads the label", lambda: read_spool(a.account_key().private, a.store.store_id, info).patient_label)
    discard_recording(info)
