"""The encrypted crash-safe spool: round trip, nothing plaintext, torn chunks, wrong key, live vs interrupted."""

from __future__ import annotations

import base64
import json

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
from ambientnote.errors import InputError, StoreLocked

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


def _interrupted(tmp_path, account="dr_a"):
    spool = AudioSpool(PUBLIC, "store1", tmp_path, account=account)
    spool.write(_tone(1.0))
    spool.close()
    return spool.path / "header.json", json.loads((spool.path / "header.json").read_text())


def _edit(header_file, header, **fields):
    header_file.write_text(json.dumps({k: v for k, v in (header | fields).items() if v is not None}))


def _reason(key, tmp_path, account="dr_a"):
    [info] = interrupted_spools(tmp_path, "store1", account)
    with pytest.raises((InputError, StoreLocked)) as refused:
        read_spool(key, "store1", info)
    assert interrupted_spools(tmp_path, "store1", account) == [info]  # refused, nothing lost
    return refused.value


def test_another_accounts_recording_relabelled_is_not_blamed_on_a_reset_alone(tmp_path):
    header_file, header = _interrupted(tmp_path)
    _edit(header_file, header, account="dr_b")  # E17: dr_b claims dr_a's recording
    refused = _reason(OTHER, tmp_path, "dr_b")
    assert isinstance(refused, StoreLocked)
    assert "another account's recording under your name" in str(refused)
    assert "or it was made before an administrator reset your password" in str(refused)


@pytest.mark.parametrize("edit", [
    lambda sealed: {"key": base64.b64encode(sealed[:-1] + bytes([sealed[-1] ^ 1])).decode()},  # its sealed key
    lambda sealed: {"id": "0" * 32},  # the id its seal and chunks are bound to
    lambda sealed: {"format": 3},
    lambda sealed: {"key": "not base64 at all"},
    lambda sealed: {"key": None, "created": None, "chunk_seconds": "x"},  # fields gone: still listed, not a traceback
], ids=["sealed key", "id", "format", "garbage", "fields gone"])
def test_an_edited_header_is_called_edited_not_a_reset(tmp_path, edit):
    header_file, header = _interrupted(tmp_path)
    _edit(header_file, header, **edit(base64.b64decode(header["key"])))
    refused = _reason(KEY, tmp_path)  # the clinician's own key, whose recording it is
    assert isinstance(refused, InputError)
    assert "header was edited" in str(refused) and "reset" not in str(refused)


def test_a_header_without_its_recipient_names_every_cause(tmp_path):
    header_file, header = _interrupted(tmp_path)
    _edit(header_file, header, recipient=None)  # as the previous release wrote it
    refused = _reason(OTHER, tmp_path)
    assert "another account, or before an administrator reset your password, or its header was edited" in str(refused)
    assert read_spool(KEY, "store1", interrupted_spools(tmp_path, "store1", "dr_a")[0]).audio.size == 16000


def test_flac_in_memory_round_trip():
    audio = _tone(1.0)
    assert np.allclose(decode_audio_bytes(encode_flac(audio)), audio, atol=1e-3)
