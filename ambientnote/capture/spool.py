"""Crash-safe, encrypted spooling of a recording while it is made.

Why: a visit can last half an hour and the machine can crash or lose power at
any moment; the clinician must not lose the consultation, and PHI must never
sit on disk in plaintext. So every ``CHUNK_SECONDS`` of audio is written as its
own small file, AES-256-GCM encrypted and fsynced: after a crash at most one
unwritten chunk (≤ 0.5 s, plus the block in flight) is lost, and a torn last
chunk simply fails its tag and is skipped.

Keys: each recording gets a random key, sealed to the recording clinician's
public key (``ambientnote.db.envelope``), so only that clinician's password opens
a spool (not the store's shared data key, not another account), while the
recorder itself needs no password and holds no private key; the seal is bound
to the store id and the spool id. The spool's header holds no PHI (ids, the
account name, times, the sealed key); the patient label lives in an encrypted
``meta.bin``.

Layout under ``<home>/spool/<id>/``::

    header.json       format, store id, account, created, rate, sealed key, recipient (the key's fingerprint)
    meta.bin          nonce + AES-GCM(JSON {patient_label})
    000001.chunk …    nonce + AES-GCM(int16 PCM), AAD "<id>:<index>"
    owner.lock        locked while a recorder writes (free: interrupted)

Writing happens on the spool's own thread (never PortAudio's callback, never
the transcriber, which may lag by seconds).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import queue
import shutil
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ambientnote.capture.audio import SAMPLE_RATE, to_mono_16k
from ambientnote.db.envelope import decrypt, encrypt, new_content_key, open_sealed, public_of, seal
from ambientnote.db.keys import derive_subkey
from ambientnote.errors import InputError, StoreLocked
from ambientnote.files import HeldLock, LockBusy, locked_file, write_atomic

CHUNK_SECONDS = 0.5
SPOOL_FORMAT = 2  # 2: the key is sealed to the clinician's public key (1: wrapped under a data-key subkey)
_V1_SUBKEY = "ambientnote-spool-v1"


def spool_root(home: Path) -> Path:
    return Path(home) / "spool"


@dataclass(frozen=True)
class SpoolInfo:
    """An interrupted recording found on disk (no PHI: the label needs the key)."""

    id: str
    path: Path
    account: str
    created: str
    seconds: float


class AudioSpool:
    """One recording being spooled: ``write(block)`` from any thread, ``close()`` at the end.

    ``written_seconds`` is how much audio is durably on disk (what a crash keeps).
    """

    def __init__(self, public_key: bytes, store_id: str, home: Path, *, account: str,
                 patient_label: str = "", chunk_seconds: float = CHUNK_SECONDS) -> None:
        self.id = uuid.uuid4().hex
        self.path = spool_root(home) / self.id
        self.path.mkdir(parents=True, mode=0o700)
        os.chmod(spool_root(home), 0o700)
        self._owner = HeldLock(self.path / "owner.lock")  # held for the recording's life
        self._key = new_content_key()
        header = {
            "format": SPOOL_FORMAT, "id": self.id, "store_id": store_id, "account": account,
            "created": datetime.now(UTC).isoformat(timespec="seconds"), "rate": SAMPLE_RATE,
            "chunk_seconds": chunk_seconds,
            "key": base64.b64encode(seal(public_key, self._key, f"{store_id}:{self.id}")).decode(),
            "recipient": _fingerprint(public_key),
        }
        write_atomic(self.path / "header.json", json.dumps(header).encode())
        self.set_label(patient_label)
        self._chunk = max(1, int(chunk_seconds * SAMPLE_RATE))
        self._buffer = np.zeros(0, dtype=np.int16)
        self._index = 0
        self.written_samples = 0
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="audio-spool", daemon=True)
        self._thread.start()

    @property
    def written_seconds(self) -> float:
        return self.written_samples / SAMPLE_RATE

    def set_label(self, patient_label: str) -> None:
        """Keep the patient label with the recording (encrypted), so a recovery knows whose it is."""
        meta = json.dumps({"patient_label": patient_label}).encode()
        write_atomic(self.path / "meta.bin", encrypt(self._key, meta, f"{self.id}:meta"))

    def write(self, block: np.ndarray) -> None:
        """Queue 16 kHz mono float32 audio; cheap enough for an audio callback."""
        self._queue.put(np.asarray(block, dtype=np.float32).reshape(-1).copy())

    def _run(self) -> None:
        while True:
            block = self._queue.get()
            try:
                if block is None:
                    self._flush(final=True)
                    return
                pcm = (np.clip(block, -1.0, 1.0) * 32767.0).astype(np.int16)
                self._buffer = np.concatenate([self._buffer, pcm])
                self._flush(final=False)
            except OSError as exc:  # disk full or gone: keep recording in memory, report at close
                self._error = exc

    def _flush(self, *, final: bool) -> None:
        while self._buffer.size >= self._chunk or (final and self._buffer.size):
            piece, self._buffer = self._buffer[: self._chunk], self._buffer[self._chunk :]
            self._index += 1
            blob = encrypt(self._key, piece.tobytes(), f"{self.id}:{self._index}")
            write_atomic(self.path / f"{self._index:06d}.chunk", blob)
            self.written_samples += piece.size

    def close(self) -> None:
        """Write what is buffered and stop the writer (the spool stays until saved or discarded)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._owner.release()
        if self._error is not None:
            raise InputError("The recording could not be saved to disk as it went (the disk may be full); "
                             "free some space before the next recording.") from self._error

    def read_audio(self) -> np.ndarray:
        """Everything spooled so far (after ``close()`` this is the whole recording)."""
        return _read_chunks(self.path, self._key, self.id)

    def discard(self) -> None:
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)


def _read_chunks(path: Path, key: bytes, spool_id: str) -> np.ndarray:
    parts = []
    for chunk in sorted(path.glob("*.chunk")):
        try:
            plain = decrypt(key, chunk.read_bytes(), f"{spool_id}:{int(chunk.stem)}")
        except (ValueError, OSError):
            plain = None
        if plain is not None:  # else a chunk torn by the crash: at most CHUNK_SECONDS lost
            parts.append(np.frombuffer(plain, np.int16))
    pcm = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
    return pcm.astype(np.float32) / 32767.0


def _header(path: Path) -> dict | None:
    try:
        header = json.loads((path / "header.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return header if isinstance(header, dict) else None


def _is_live(path: Path) -> bool:
    """True while a recorder (in any process) still holds the spool's lock.

    A spool still being made or being removed has no header yet (or any more), which
    ``interrupted_spools`` skips before asking.
    """
    lock = path / "owner.lock"
    if not lock.exists():  # released and removed (Windows removes a lock file on release): nobody holds it
        return False
    try:
        with locked_file(lock, blocking=False):
            return False
    except LockBusy:
        return True
    except OSError:
        return False


def interrupted_spools(home: Path, store_id: str, account: str) -> list[SpoolInfo]:
    """Recordings of ``account`` on this store that no recorder holds any more (oldest first)."""
    root = spool_root(home)
    found = []
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        header = _header(path)
        if not header or header.get("store_id") != store_id or header.get("account") != account or _is_live(path):
            continue
        chunks = len(list(path.glob("*.chunk")))
        created, chunk = header.get("created"), header.get("chunk_seconds")  # an edited header is still listed
        found.append(SpoolInfo(path.name, path, account, created if isinstance(created, str) else "",
                               chunks * (chunk if isinstance(chunk, int | float) else CHUNK_SECONDS)))
    return sorted(found, key=lambda s: s.created)


@dataclass(frozen=True)
class RecoveredAudio:
    audio: np.ndarray
    patient_label: str
    created: str


def read_spool(private_key: bytes, store_id: str, info: SpoolInfo) -> RecoveredAudio:
    """Decrypt an interrupted recording with its clinician's private key.

    InputError when the header is damaged or was edited, StoreLocked when the recording was sealed to another
    key; either way the spool stays on disk untouched.
    """
    header = _header(info.path)
    if header is None:
        raise InputError("The interrupted recording's header is damaged; it cannot be recovered.")
    key = _open_key(private_key, store_id, info, header)
    try:
        meta = decrypt(key, (info.path / "meta.bin").read_bytes(), f"{info.id}:meta")
        label = json.loads(meta or b"")["patient_label"]
    except (ValueError, OSError, KeyError):
        label = ""
    return RecoveredAudio(_read_chunks(info.path, key, info.id), label, info.created)


def _open_key(private_key: bytes, store_id: str, info: SpoolInfo, header: dict) -> bytes:
    """The recording's key, or the one sentence that says why it does not open.

    The header's ``recipient`` names the key the recording was sealed to, which tells an edited header (sealed
    to this very key, yet the seal no longer opens) from a recording sealed to another key. Which other key
    the header alone cannot tell: another account's (its header relabelled) or this account's before an
    administrator reset its password, so that sentence names both.
    """
    try:
        sealed = base64.b64decode(header["key"], validate=True)
        well_formed = header["format"] == SPOOL_FORMAT and header["id"] == info.path.name
    except (KeyError, TypeError, ValueError):
        well_formed = False
    if not well_formed:
        raise InputError("The interrupted recording's header was edited or damaged after it was written, so it "
                         "cannot be recovered; its files are left as they are.")
    key = open_sealed(private_key, sealed, f"{store_id}:{info.id}")
    if key is not None:
        return key
    recipient = header.get("recipient")
    if recipient == _fingerprint(public_of(private_key)):
        raise InputError("The interrupted recording's header was edited after it was written (its sealed key no "
                         "longer opens with your key, to which it was sealed), so it cannot be recovered; its "
                         "files are left as they are.")
    if recipient is None:  # written before headers named their recipient
        raise StoreLocked("The interrupted recording does not open with your key: it was made for another "
                          "account, or before an administrator reset your password, or its header was edited.")
    raise StoreLocked("The interrupted recording was sealed to another key than your account's, so it does not "
                      "open: it is another account's recording under your name, or it was made before an "
                      "administrator reset your password.")


def _fingerprint(public_key: bytes) -> str:
    """Names a public key in a header without adding anything secret (it is public already)."""
    return hashlib.sha256(public_key).hexdigest()[:32]


def reseal_v1_spools(home: Path, store_id: str, account: str, data_key: bytes, public_key: bytes) -> int:
    """Re-seal to the clinician's public key the recordings a crash left under format 1 (key wrapped under a
    subkey of the data key), at their first login after the upgrade, so the upgrade loses no recording."""
    done = 0
    for info in interrupted_spools(home, store_id, account):
        header = _header(info.path)
        aad = f"{store_id}:{info.id}"
        if header is None or header.get("format") != 1:
            continue
        key = decrypt(derive_subkey(data_key, _V1_SUBKEY), base64.b64decode(header["key"]), aad)
        if key is not None:
            header |= {"format": SPOOL_FORMAT, "key": base64.b64encode(seal(public_key, key, aad)).decode(),
                       "recipient": _fingerprint(public_key)}
            write_atomic(info.path / "header.json", json.dumps(header).encode())
            done += 1
    return done


def discard_spool(info: SpoolInfo) -> None:
    """Delete a spool (after its audio reached the store, or when the clinician discards it)."""
    shutil.rmtree(info.path, ignore_errors=True)


def encode_flac(audio: np.ndarray) -> bytes:
    """16 kHz mono float32 → FLAC bytes in memory (what the store keeps; never a plaintext temp file)."""
    import soundfile  # heavy: libsndfile loads only when audio is encoded

    buf = io.BytesIO()
    soundfile.write(buf, np.asarray(audio, dtype=np.float32), SAMPLE_RATE, format="FLAC", subtype="PCM_16")
    return buf.getvalue()


def decode_audio_bytes(data: bytes) -> np.ndarray:
    """Stored audio bytes (FLAC/WAV) → 16 kHz mono float32, in memory."""
    import soundfile  # heavy: libsndfile loads only when audio is decoded

    try:
        audio, rate = soundfile.read(io.BytesIO(data), dtype="float32")
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        raise InputError("The stored audio cannot be decoded for playback.") from exc
    return to_mono_16k(audio, rate)
