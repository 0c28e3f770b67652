"""Writing artifacts: all-or-nothing output folders that keep unchanged files, reproducible
zips, plain YAML and JSON.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from faaskit.deploy._zip import write_zip

__all__ = ["dump_json", "dump_yaml", "keep_unchanged", "staged", "write_zip"]

_PLAIN = re.compile(r"^[A-Za-z_/$][A-Za-z0-9_./${}:+-]*$")
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"})


@contextlib.contextmanager
def staged(out: Path, parts: Iterable[str]) -> Iterator[Path]:
    """Yield an empty staging folder beside ``out``; on success move each of its ``parts``
    (sub-folders) into ``out``, replacing what was there, but for the files whose content did
    not change (:func:`keep_unchanged`). On error nothing in ``out`` changes and the staging
    folder is removed.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        yield stage
        out.mkdir(exist_ok=True)
        for part in parts:
            target = out / part
            old = stage / f".{part}-old"
            if target.is_dir():
                keep_unchanged(stage / part, target)
            if target.exists():
                os.replace(target, old)
            os.replace(stage / part, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def keep_unchanged(new: Path, old: Path) -> int:
    """Put in the folder ``new`` the very files of ``old`` (hard links: the same file, with its
    modification time) wherever content and permissions did not change; returns how many.

    A rebuild then changes only what changed, for the tools that compare times (``func``
    publishing, rsync, make) as for people. ``old`` itself is left as it is.
    """
    kept = 0
    for path in sorted(new.rglob("*")):
        before = old / path.relative_to(new)
        try:
            now, was = path.lstat(), before.lstat()
            if not (stat.S_ISREG(now.st_mode) and stat.S_ISREG(was.st_mode)):
                continue
            if (now.st_size, stat.S_IMODE(now.st_mode)) != (was.st_size, stat.S_IMODE(was.st_mode)):
                continue
            if not filecmp.cmp(path, before, shallow=False):
                continue
            link = path.with_name(f".{path.name}.kept")
            os.link(before, link)
            os.replace(link, path)
            kept += 1
        except OSError:  # no such file before, or no hard links here: the new file stays
            continue
    return kept


def dump_json(data: Any) -> str:
    """Stable, indented JSON with a trailing newline."""
    return json.dumps(data, indent=2) + "\n"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    # A plain scalar may not end with ":" (it would read as a mapping key).
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and not text.endswith(":"):
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar; anything not printable is escaped by code point."""
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char.isprintable() and char not in "\u2028\u2029\ufeff":
            out.append(char)
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def _lines(value: Any, indent: int) -> Iterator[str]:
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            yield pad + "{}"
        for key, item in value.items():
            head = f"{pad}{_scalar(key)}:"
            if isinstance(item, (dict, list)) and item:
                yield head
                yield from _lines(item, indent + 1)
            else:
                yield f"{head} {_inline(item)}"
    elif isinstance(value, list):
        if not value:
            yield pad + "[]"
        for item in value:
            if isinstance(item, (dict, list)) and item:
                nested = list(_lines(item, indent + 1))
                yield f"{pad}- {nested[0].lstrip()}"
                yield from nested[1:]
            else:
                yield f"{pad}- {_inline(item)}"
    else:
        yield pad + _scalar(value)


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def dump_yaml(data: Any) -> str:
    """Block-style YAML for plain data (dicts, lists, strings, numbers, booleans).

    Strings that could read as anything else are double-quoted (JSON quoting is valid YAML).
    """
    return "\n".join(_lines(data, 0)) + "\n"
