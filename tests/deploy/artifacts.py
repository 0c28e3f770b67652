"""Helpers for the artifact tests: unpacking, listing modules, importing them in a clean
interpreter, and a site folder holding only some distributions of this environment.
"""

from __future__ import annotations

import importlib.metadata as metadata
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")

# Imports every module named on the command line; prints the failures as JSON. ``-I -S``
# leaves only the standard library on sys.path: the artifact (and the site folder) come first.
_IMPORT_ALL = """
import importlib, json, sys
paths, names = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.path[:0] = paths
failed = []
for name in names:
    try:
        module = importlib.import_module(name)
    except BaseException as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
        continue
    where = getattr(module, "__file__", None) or ""
    if where and not any(where.startswith(p) for p in paths):
        failed.append(f"{name}: loaded from {where}, outside the artifact")
print(json.dumps(failed))
"""


def unzip(zip_path: Path, folder: Path) -> Path:
    """Unpack ``zip_path`` into ``folder``; returns ``folder``."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    return folder


def files(folder: Path) -> list[str]:
    """Every file under ``folder``, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def module_names(folder: Path) -> list[str]:
    """The dotted name of every Python module under ``folder`` (packages included)."""
    names = []
    for path in sorted(folder.rglob("*.py")):
        parts = list(path.relative_to(folder).with_suffix("").parts)
        if any(not part.isidentifier() for part in parts[:-1]) or "__pycache__" in parts:
            continue
        if parts[-1] == "__init__":
            parts.pop()
        if parts and parts[-1].isidentifier():
            names.append(".".join(parts))
    return names


def import_all(paths: Iterable[Path], names: Iterable[str]) -> list[str]:
    """Import each module in a clean interpreter whose path holds only ``paths`` and the
    standard library; returns the failures (``name: error``).
    """
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _IMPORT_ALL,
         json.dumps([str(p) for p in paths]), json.dumps(list(names))],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    failed: list[str] = json.loads(done.stdout)
    return failed


def _requires(dist: metadata.Distribution) -> list[str]:
    wanted = []
    for line in dist.requires or []:
        requirement, _, marker = line.partition(";")
        if "extra" in marker:
            continue
        found = _NAME.match(requirement)
        if found:
            wanted.append(found.group(1))
    return wanted


def site_folder(folder: Path, requirements: Iterable[str]) -> Path:
    """A folder linking to the installed files of ``requirements`` and what they require (not
    their extras), and nothing else: what ``pip install -r`` would put on the path.
    """
    folder.mkdir(parents=True, exist_ok=True)
    todo, seen = list(requirements), set()
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        seen.add(name)
        dist = metadata.distribution(name)
        base = Path(str(dist.locate_file("")))
        for entry in dist.files or []:
            if entry.parts[0] in ("..", "__pycache__") or entry.suffix in (".pth", ".pyc"):
                continue
            link = folder / entry
            if not link.exists() and (base / entry).is_file():
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(base / entry)
        todo.extend(_requires(dist))
    return folder
