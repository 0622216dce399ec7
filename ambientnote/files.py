"""Writing and locking files so that a crash, a full disk or a planted link loses nothing and leaks nothing.

Every file AmbientNote writes (key file, audit anchor, spool chunks, notes,
backups, exports, settings) goes through ``write_atomic``/``atomic_writer``:

- the bytes go to a temporary file in the target's own folder (a rename across
  file systems is not atomic), created with ``O_CREAT | O_EXCL | O_NOFOLLOW``
  under a random name, so a link planted at a guessable name (``OUT.tmp``) is
  never followed and another user cannot pre-create it;
- the file is created 0600 (PHI and wrapped keys are for the owner only);
- it is fsynced, renamed over the target (a crash leaves the old file or the
  new one, never half), and the folder is fsynced so the rename itself
  survives power loss (POSIX only: Windows cannot open a folder, and NTFS
  journals the rename);
- on any failure the temporary file is removed and the target is untouched.

File locks (``locked_file``) are ``filelock``'s: ``flock`` on POSIX,
``LockFileEx`` on Windows, so no module needs ``fcntl``.

Errors stay ``OSError`` here (this layer knows no user); ``explain`` turns one
into the end of a sentence a user can act on.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout

PRIVATE = 0o600
MAX_NAME_BYTES = 255  # ext4, APFS, NTFS (in UTF-16 units, but UTF-8 bytes is the stricter count here)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) \
    | getattr(os, "O_CLOEXEC", 0)
_SUFFIX_BYTES = 1 + 16 + 4  # ".<16 hex>.tmp"


def check_name(path: Path) -> None:
    """Raise ENAMETOOLONG before any work when the file name itself cannot exist on disk."""
    if len(os.fsencode(Path(path).name)) > MAX_NAME_BYTES:
        raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), str(path))


def _temp_name(target: Path) -> str:
    """``.<as much of the name as fits>.<random>.tmp``: hidden, unguessable, never over 255 bytes."""
    stem = os.fsencode(target.name)[: MAX_NAME_BYTES - 1 - _SUFFIX_BYTES].decode(errors="ignore")
    return f".{stem}.{secrets.token_hex(8)}.tmp"


def create_private(folder: Path, target_name: str = "file", mode: int = PRIVATE) -> tuple[int, Path]:
    """A new, empty file in ``folder`` opened for writing (fd, path): exclusive, random name, ``mode``."""
    for _ in range(16):
        path = Path(folder) / _temp_name(Path(target_name))
        try:
            return os.open(path, _CREATE, mode), path
        except FileExistsError:  # a collision or something planted there: pick another name
            continue
    raise OSError(errno.EEXIST, "could not create a unique temporary file", str(folder))


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); Windows cannot open a folder and journals renames itself."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _replacing(path: Path, mode: int) -> Iterator[tuple[int, Path]]:
    """A new private file (fd, name) beside ``path`` that replaces it if the block succeeds, else is removed.

    The block writes and fsyncs; an error without a file name (a full disk) or naming
    the temporary file is re-raised naming ``path``, the file the user asked for.
    """
    path = Path(path)
    check_name(path)
    try:
        fd, tmp = create_private(path.parent, path.name, mode)
    except OSError as exc:
        raise _naming(exc, path, None) from exc
    try:
        yield fd, tmp
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _naming(exc, path, tmp) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _naming(exc: OSError, path: Path, tmp: Path | None) -> OSError:
    if exc.filename not in (None, str(tmp)):
        return exc  # about another file (a source being copied): keep it
    return OSError(exc.errno, exc.strerror or str(exc), str(path))


@contextmanager
def atomic_path(path: Path, mode: int = PRIVATE) -> Iterator[Path]:
    """A private temporary path beside ``path`` for libraries that write by name (SQLite, Qt, GGUF).

    The file exists (empty, ``mode``) when the block starts; when the block ends
    without error it is fsynced and renamed over ``path``; otherwise removed.
    """
    with _replacing(path, mode) as (fd, tmp):
        os.close(fd)
        yield tmp
        os.chmod(tmp, mode)  # a library may have replaced the file by name; keep it private
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def atomic_writer(path: Path, mode: int = PRIVATE) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new contents into; they replace ``path`` only if the block succeeds."""
    with _replacing(path, mode) as (fd, _), os.fdopen(fd, "wb") as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def write_atomic(path: Path, data: bytes | str, mode: int = PRIVATE) -> None:
    """Replace ``path`` with ``data`` (text as UTF-8) so that a crash leaves the old or the new file, never half."""
    with atomic_writer(path, mode) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def explain(exc: OSError) -> str:
    """Why a file operation failed, worded so the user knows what to do (no trailing period)."""
    code = exc.errno
    if code == errno.ENAMETOOLONG:
        return f"the file name is longer than the {MAX_NAME_BYTES} bytes a file system allows; choose a shorter name"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return "the disk is full; free some space or choose another place"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied; choose a folder you can write to"
    if code in (errno.ENOENT, errno.ENOTDIR):
        return "the folder does not exist"
    if code == errno.EISDIR:
        return "it is a folder; give a file name"
    return exc.strerror or str(exc)


class LockBusy(Exception):
    """A non-blocking ``locked_file`` found the lock held (by another process or another handle)."""


@contextmanager
def locked_file(lock_path: Path, *, blocking: bool = True) -> Iterator[None]:
    """An exclusive lock on ``lock_path`` shared by every AmbientNote process (flock / LockFileEx).

    ``blocking=False`` raises ``LockBusy`` at once instead of waiting. Each call
    takes a fresh handle, so two users of one path in one process exclude each
    other too (as two processes would).
    """
    lock = FileLock(str(lock_path), mode=PRIVATE, thread_local=False, is_singleton=False)
    try:
        lock.acquire(timeout=-1 if blocking else 0)
    except Timeout as exc:
        raise LockBusy(str(lock_path)) from exc
    try:
        yield
    finally:
        lock.release()


class HeldLock:
    """A lock held for an object's lifetime (a recording holds its spool's lock until closed)."""

    def __init__(self, lock_path: Path) -> None:
        self._lock = FileLock(str(lock_path), mode=PRIVATE, thread_local=False, is_singleton=False)
        try:
            self._lock.acquire(timeout=0)
        except Timeout as exc:
            raise LockBusy(str(lock_path)) from exc

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()
