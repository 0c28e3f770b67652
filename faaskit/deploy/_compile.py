"""Precompiling an artifact's Python files for its runtime.

Lambda cannot write ``__pycache__`` (the code folder is read-only), so without shipped byte
code every cold start compiles every module it imports. The byte code is written as
*unchecked-hash* pycs (PEP 552): the interpreter uses them without comparing source mtimes,
which a zip does not keep, and they hold no timestamp, so the same sources always give the
same bytes. Byte code only fits the interpreter version that wrote it: files are compiled only
when the build interpreter is the runtime's version.
"""

from __future__ import annotations

import importlib.util
import marshal
import sys
from functools import partial
from pathlib import Path

from faaskit.deploy._cache import digest, remember

__all__ = ["compiler_key", "matches_runtime", "precompile"]


def matches_runtime(runtime: str) -> bool:
    """Whether this interpreter writes byte code the runtime (``python3.12``) can load."""
    return runtime == f"python{sys.version_info.major}.{sys.version_info.minor}"


def _pyc(source: bytes, name: str) -> bytes:
    """An unchecked-hash pyc of ``source`` (PEP 552 header: magic, flags, source hash)."""
    code = compile(source, name, "exec", dont_inherit=True)
    header = importlib.util.MAGIC_NUMBER + (0b01).to_bytes(4, "little")
    return header + importlib.util.source_hash(source) + marshal.dumps(code)


def precompile(folder: Path) -> int:
    """Compile every ``.py`` file under ``folder`` into its ``__pycache__``; returns how many.

    Each pyc records the file's path relative to ``folder`` (tracebacks show ``app.py``, not
    the build's scratch folder) and is cached by that path and the source. Files this
    interpreter cannot compile (a dependency's Python 2 example, a template named ``.py``)
    are left as source, as pip leaves them.
    """
    done = 0
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        name = path.relative_to(folder).as_posix()
        source = path.read_bytes()
        key = digest(importlib.util.MAGIC_NUMBER, b"%d" % sys.flags.optimize, name.encode(), source)
        try:
            data = remember("pyc", key, partial(_pyc, source, name))
        except (SyntaxError, ValueError):
            continue
        cached = Path(importlib.util.cache_from_source(str(path)))
        cached.parent.mkdir(exist_ok=True)
        cached.write_bytes(data)
        done += 1
    return done


def compiler_key() -> str:
    """What the byte code :func:`precompile` writes depends on: this interpreter's cache tag,
    magic number and optimisation level.
    """
    tag = sys.implementation.cache_tag or "none"
    return f"{tag}:{importlib.util.MAGIC_NUMBER.hex()}:{sys.flags.optimize}"
