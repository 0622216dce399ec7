"""The encrypted crash-safe spool: round trip, nothing plaintext, torn chunks, wrong key, live vs interrupted."""

from __future__ import annotations

import numpy as np
import pytest

from ambientnote.capture.spool import (
    AudioSpool,
    decode_audio_bytes,
    discard_spool,
    encode_flac,
    interrupted_spools,
    read_spool,
)
from ambientnote.db.envelope import new_key_pair
from ambientnote.errors import StoreLocked

(KEY, PUBLIC), (OTHER, _) = new_key_pair(), new_key_pair()  # the clinician's key pair, another account's


def _tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * 16000)) / 16000
    return (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def test_round_trip_and_no_plaintext(tmp_path):
    audio = _tone(2.3)
    spool = AudioSpool(PUBLIC, "store1", tmp_path, account="dr_a", patient_label="Jane Q Patient")
    assert interrupted_spools(tmp_path, "store1", "dr_a") == []  # live: not offered for recovery
    for i in range(0, audio.size, 1600):
        spool.write(audio[i : i + 1600])
    spool.close()
    assert spool.written_seconds == pytest.approx(2.3, abs=1e-3)
    files = [p for p in spool.path.iterdir() if p.is_file()]
    assert len([p for p in files if p.suffix == ".chunk"]) == 5  # 0.5 s chunks
    pcm = (audio[:8000] * 32767).astype(np.int16).tobytes()
    raw = b"".join(p.read_bytes() for p in files)
    assert b"Jane" not in raw and pcm[:64] not in raw
    [info] = interrupted_spools(tmp_path, "store1", "dr_a")
    assert interrupted_spools(tmp_path, "store1", "someone_else") == []
    recovered = read_spool(KEY, "store1", info)
    assert recovered.patient_label == "Jane Q Patient"
    assert np.allclose(recovered.audio, audio, atol=1e-4)
    with pytest.raises(StoreLocked):
        read_spool(OTHER, "store1", info)
    discard_spool(info)
    assert interrupted_spools(tmp_path, "store1", "dr_a") == []


def test_torn_last_chunk_loses_at_most_one_chunk(tmp_path):
    spool = AudioSpool(PUBLIC, "s", tmp_path, account="a")
    spool.write(_tone(3.0))
    spool.close()
    last = sorted(spool.path.glob("*.chunk"))[-1]
    last.write_bytes(last.read_bytes()[:100])  # power loss mid-write
    [info] = interrupted_spools(tmp_path, "s", "a")
    assert read_spool(KEY, "s", info).audio.size == int(2.5 * 16000)


def test_flac_in_memory_round_trip():
    audio = _tone(1.0)
    assert np.allclose(decode_audio_bytes(encode_flac(audio)), audio, atol=1e-3)
