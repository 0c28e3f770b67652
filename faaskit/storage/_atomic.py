"""Files written whole or not at all: a temporary file beside the target, flushed, renamed.

A reader, or a store after a crash, sees the old file or the new one, never part of one; with
``durable`` the data and the rename are on disk when the write returns.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from typing import IO

__all__ = ["SourceFailed", "atomic_write", "sync_directory"]


def sync_directory(path: str) -> None:
    """Flush a directory entry (a rename) to disk where the platform allows it."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class SourceFailed(Exception):
    """Reading the caller's stream failed; the caller's own error is the ``__cause__``."""


def _copy(source: IO[bytes], file: IO[bytes]) -> None:
    while True:
        try:
            chunk = source.read(1024 * 1024)
        except Exception as exc:
            raise SourceFailed() from exc
        if not chunk:
            return
        file.write(chunk)


def atomic_write(
    path: str,
    data: bytes | IO[bytes],
    tmp_dir: str,
    *,
    durable: bool,
    mtime_ns: int | None = None,
) -> os.stat_result:
    """Write ``data`` to ``path`` whole or not at all; the new file's ``stat``.

    ``mtime_ns`` sets the new file's modification time (before it becomes visible).
    """
    fd, tmp = _temp_file(tmp_dir)
    try:
        with open(fd, "wb") as file:
            if isinstance(data, bytes):
                file.write(data)
            else:
                _copy(data, file)
            file.flush()
            if mtime_ns is not None:
                os.utime(file.fileno(), ns=(mtime_ns, mtime_ns))
            if durable:
                os.fsync(file.fileno())
            stat = os.fstat(file.fileno())
        _rename(tmp, path, tmp_dir)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        sync_directory(os.path.dirname(path))
    return stat


_CREATE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
)


def _temp_file(tmp_dir: str) -> tuple[int, str]:
    """A new empty file in ``tmp_dir`` with the permissions the umask gives new files
    (``tempfile.mkstemp`` would make every object readable by its owner only).
    """
    while True:
        tmp = os.path.join(tmp_dir, f"put-{secrets.token_hex(8)}")
        try:
            return os.open(tmp, _CREATE, 0o666), tmp
        except FileExistsError:
            continue


def _rename(tmp: str, path: str, tmp_dir: str) -> None:
    """``os.replace``, making the target's folder again if a concurrent delete pruned it."""
    for attempt in range(3):
        try:
            os.replace(tmp, path)
            return
        except FileNotFoundError:
            if attempt == 2 or not os.path.isdir(tmp_dir) or not os.path.exists(tmp):
                raise
            os.makedirs(os.path.dirname(path), exist_ok=True)
