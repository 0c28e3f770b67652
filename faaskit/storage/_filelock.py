"""Locks that serialise conditional writes to a ``file://`` store across threads and processes.

A key hashes to one of 64 lock files under ``<root>/.faaskit/locks``, held with ``flock`` (on
Windows, ``msvcrt.locking``) for the check-then-rename of one conditional write, so two
writers of one key (in one process or several) never both see their condition hold. Each
lock opens its own file description, which is what makes ``flock`` exclude threads too.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Iterator

__all__ = ["key_lock", "next_mtime_ns"]

STRIPES = 64


@contextlib.contextmanager
def key_lock(lock_dir: str, key: str) -> Iterator[None]:
    """Hold the lock of ``key`` (one of :data:`STRIPES` files in ``lock_dir``)."""
    os.makedirs(lock_dir, exist_ok=True)
    stripe = hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=2).digest()
    path = os.path.join(lock_dir, f"{int.from_bytes(stripe, 'big') % STRIPES:02d}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        _acquire(fd)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _acquire(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue

    def _release(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _acquire(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def next_mtime_ns(previous: os.stat_result | None) -> int:
    """A modification time for a new version: now, but always after ``previous``'s, so the
    ETag (made of the time and size) changes even when the clock's tick is coarse.
    """
    current = time.time_ns()
    return current if previous is None else max(current, previous.st_mtime_ns + 1)
