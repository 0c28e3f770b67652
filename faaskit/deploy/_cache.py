"""The build cache: results that depend only on their inputs, kept between builds.

``FAASKIT_CACHE_DIR`` moves it (default ``$XDG_CACHE_HOME/faaskit`` or ``~/.cache/faaskit``);
``FAASKIT_NO_CACHE=1`` turns it off. Entries are written to a temporary name and renamed, so
builds running side by side never read a partial entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["cache_dir", "digest", "remember"]


def cache_dir(kind: str) -> Path | None:
    """The folder holding cached ``kind`` entries; None when the cache is off."""
    if os.environ.get("FAASKIT_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("FAASKIT_CACHE_DIR")
    if chosen:
        return Path(chosen) / kind
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "faaskit" / kind


def digest(*parts: bytes) -> str:
    """A cache key for ``parts`` (their lengths count, so parts never run into each other)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(len(part).to_bytes(8, "little"))
        hashed.update(part)
    return hashed.hexdigest()


def remember(kind: str, key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes cached as ``kind``/``key``, made by ``make()`` and stored on a miss."""
    folder = cache_dir(kind)
    if folder is None:
        return make()
    entry = folder / key[:2] / key
    with contextlib.suppress(OSError):
        return entry.read_bytes()
    data = make()
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(prefix=".", dir=entry.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(scratch, entry)
    return data
