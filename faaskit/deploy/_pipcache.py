"""A cache of ``pip install --target`` results, keyed by everything the install depends on.

An unchanged rebuild of an app that needs a sizeable wheel (Pillow: 7.5 s) then copies the
cached tree instead of running pip. The key hashes the requirement lines, pip options, target
platform and Python version, and a fingerprint of every local file or folder they name
(constraints, find-links folders, local wheels), so changing any of them installs afresh. An
unpinned requirement (``requests``) keeps the version first installed until its line changes
(``FAASKIT_NO_CACHE=1`` turns the cache off: ``faaskit.deploy._cache``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from faaskit.deploy._cache import cache_dir

__all__ = ["cached_install", "install_key"]

_PATHLIKE = re.compile(r"[^\[;\s]+")


def _fingerprint(path: Path) -> str:
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    listing = sorted(
        (p.relative_to(path).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in path.rglob("*")
        if p.is_file()
    )
    return hashlib.sha256(json.dumps(listing).encode("utf-8")).hexdigest()


def install_key(parts: Iterable[str]) -> str:
    """The cache key of an install given by ``parts`` (options, requirement lines, platform),
    with the content of each local path they name.
    """
    listed = list(parts)
    local: dict[str, str] = {}
    for part in listed:
        for token in part.split():
            for value in {token, token.partition("=")[2]}:
                found = _PATHLIKE.match(value.removeprefix("file:"))
                candidate = Path(found.group(0)) if found else None
                if candidate is not None and candidate.is_absolute() and candidate.exists():
                    local[str(candidate)] = _fingerprint(candidate)
    text = json.dumps([listed, sorted(local.items())], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _merge(source: Path, target: Path) -> None:
    """Copy each top-level entry of ``source`` into ``target``, replacing an entry of the same
    name, as ``pip install --target --upgrade`` does.
    """
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        dest = target / entry.name
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        elif dest.exists() or dest.is_symlink():
            dest.unlink()
        if entry.is_dir():
            shutil.copytree(entry, dest)
        else:
            shutil.copyfile(entry, dest)


def cached_install(key: str, target: Path, install: Callable[[Path], None]) -> bool:
    """Put the result of ``install(folder)`` into ``target``, running it only when no cached
    result has ``key``; returns whether the cache answered.
    """
    root = cache_dir("pip")
    if root is None:
        install(target)
        return False
    entry = root / key
    hit = (entry / "done").is_file()
    if not hit:
        root.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
        try:
            (scratch / "tree").mkdir()
            install(scratch / "tree")
            (scratch / "done").write_text("", encoding="utf-8")
            with contextlib.suppress(OSError):  # another build filled it meanwhile
                os.replace(scratch, entry)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    _merge(entry / "tree", target)
    return hit
