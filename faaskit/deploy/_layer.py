"""A package's dependencies as one cached *layer*: installed, precompiled and compressed once.

A rebuild whose dependencies did not change copies the layer's compressed entries into the
new package (:func:`faaskit.deploy._zip.write_zip`) instead of copying, compiling and
compressing thousands of files again: only the app and faaskit's runtime are zipped afresh.
The layer's key holds everything it is made of: each install's key (the pip cache key of
``faaskit.deploy._pipcache``, or a pure distribution's name, version and ``RECORD``), whether
byte code is written and by which interpreter (``compiler_key``), faaskit's version and the
layer format. A layer is written under a temporary name and renamed, and read back only when
whole (:func:`faaskit.deploy._zip.read_layer`), so a build that crashed while writing one
leaves nothing another build would use.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import faaskit
from faaskit.deploy._cache import cache_dir, digest
from faaskit.deploy._compile import compiler_key, precompile
from faaskit.deploy._package import (
    copy_pure_distribution,
    pip_install,
    pip_key,
    pure_distribution_key,
)
from faaskit.deploy._zip import Layer, read_layer, write_zip
from faaskit.exceptions import ConfigurationError

__all__ = ["Dependencies", "drop_shadowed"]

_FORMAT = "faaskit-layer-1"


class Dependencies:
    """The installs that make a package's dependencies, in order; they run only when no
    cached layer has their key.
    """

    def __init__(self, *, platform: str, python_version: str, extra_args: Iterable[str],
                 workdir: Path) -> None:  # fmt: skip
        self._platform = platform
        self._version = python_version
        self._extra = tuple(extra_args)
        self._workdir = workdir
        self._steps: list[tuple[str, tuple[str, ...], Path | None]] = []

    def pure(self, requirement: str) -> None:
        """Copy ``requirement`` from this machine when it is pure Python, else pip it."""
        self._steps.append(("pure", (requirement,), None))

    def pip(self, requirements: Iterable[str], *, base: Path | None = None) -> None:
        """``pip install`` requirements-file lines (local paths relative to ``base``)."""
        self._steps.append(("pip", tuple(requirements), base))

    def _pip_key(self, lines: tuple[str, ...], base: Path | None) -> str:
        key = pip_key(lines, platform=self._platform, python_version=self._version,
                      extra_args=self._extra, base=base)  # fmt: skip
        return f"pip:{key or ''}"

    def key(self, *, compiled: bool) -> str:
        """The layer's cache key."""
        parts = [_FORMAT, faaskit.__version__, compiler_key() if compiled else "source"]
        for kind, lines, base in self._steps:
            pure = pure_distribution_key(lines[0]) if kind == "pure" else None
            parts.append(f"pure:{pure}" if pure else self._pip_key(lines, base))
        return digest(*(part.encode("utf-8") for part in parts))

    def _install(self, folder: Path) -> None:
        for kind, lines, base in self._steps:
            if kind == "pure" and copy_pure_distribution(lines[0], folder):
                continue
            pip_install(lines, folder, platform=self._platform, python_version=self._version,
                        extra_args=self._extra, base=base, workdir=self._workdir)  # fmt: skip

    def layer(self, *, compiled: bool) -> Layer:
        """The dependencies' layer, from the build cache or made now (byte code included
        when ``compiled``).
        """
        key = self.key(compiled=compiled)
        root = cache_dir("layer")
        entry = root / f"{key}.zip" if root is not None else None
        if entry is not None:
            found = read_layer(entry)
            if found is not None:
                return found
        folder = Path(tempfile.mkdtemp(prefix="dependencies-", dir=self._workdir))
        try:
            self._install(folder)
            if compiled:
                precompile(folder)
            made = self._workdir / f"{folder.name}.zip"
            write_zip(folder, made)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        layer = read_layer(made)
        if layer is None:  # pragma: no cover - write_zip's own output always reads back
            raise ConfigurationError(f"cannot read back the dependencies' zip {made}")
        if entry is not None:
            _keep(made, entry)
        return layer


def _keep(made: Path, entry: Path) -> None:
    """Copy ``made`` into the cache as ``entry``: a temporary name, then a rename."""
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(prefix=f".{entry.stem[:16]}-", dir=entry.parent)
        try:
            with os.fdopen(handle, "wb") as out, made.open("rb") as source:
                shutil.copyfileobj(source, out)
            os.replace(scratch, entry)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(scratch)


def drop_shadowed(folder: Path, layer: Layer) -> None:
    """Remove from ``folder`` the files the layer replaces: those of the same name, and those
    under a top-level name the layer has (``pip install --target --upgrade`` replaces a
    top-level folder or module whole).
    """
    names = layer.names()
    tops = {name.split("/", 1)[0] for name in names} - {"__pycache__"}
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and (rel in names or rel.split("/", 1)[0] in tops):
            path.unlink()
