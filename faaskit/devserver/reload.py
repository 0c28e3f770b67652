"""Reload on change: a supervisor runs the dev server in a child process and restarts it when
a source file under the app's folder changes (polling modification times; no dependencies).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["Supervisor", "source_files"]

_SKIP = {"__pycache__", "node_modules", "build", "dist"}


def source_files(root: Path, ignore: Sequence[Path] = ()) -> Iterator[Path]:
    """The ``.py`` files under ``root``, skipping hidden folders, caches, environments and
    the ``ignore`` folders (the dev server's data folder).
    """
    skipped = {p.resolve() for p in ignore}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _SKIP
            and "venv" not in d
            and (Path(folder) / d).resolve() not in skipped
        ]
        for name in files:
            if name.endswith(".py"):
                yield Path(folder) / name


def _stamp(root: Path, ignore: Sequence[Path]) -> dict[Path, float]:
    out: dict[Path, float] = {}
    for path in source_files(root, ignore):
        try:
            out[path] = path.stat().st_mtime
        except OSError:
            continue
    return out


class Supervisor:
    """Run ``command`` and restart it whenever a source file under ``root`` changes."""

    def __init__(
        self,
        command: Sequence[str],
        root: Path,
        *,
        interval: float = 0.5,
        ignore: Sequence[Path] = (),
    ) -> None:
        self.command = list(command)
        self.root = root
        self.ignore = list(ignore)
        self.interval = interval
        self.child: subprocess.Popen[Any] | None = None
        self._stopping = False

    def _spawn(self) -> subprocess.Popen[Any]:
        return subprocess.Popen(self.command)

    def _stop_child(self) -> int | None:
        child, self.child = self.child, None
        if child is None:
            return None
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return child.returncode

    def _on_signal(self, signum: int, frame: Any) -> None:
        self._stopping = True

    def run(self) -> int:
        """Supervise until interrupted; the exit code (the child's when it fails at first)."""
        signal.signal(signal.SIGTERM, self._on_signal)
        stamps = _stamp(self.root, self.ignore)
        self.child = self._spawn()
        first = True
        started = time.monotonic()
        try:
            while not self._stopping:
                time.sleep(self.interval)
                code = self.child.poll() if self.child else None
                if code is not None and self.child is not None:
                    self.child = None
                    if first and time.monotonic() - started < 30:
                        return code
                    print(
                        f"faaskit serve: the server stopped (exit {code}); waiting for a change",
                        file=sys.stderr,
                        flush=True,
                    )
                now = _stamp(self.root, self.ignore)
                if now != stamps:
                    changed = sorted(
                        str(p)
                        for p in set(now) ^ set(stamps)
                        | {p for p in now if p in stamps and now[p] != stamps[p]}
                    )
                    stamps = now
                    print(
                        f"faaskit serve: {', '.join(changed[:3])} changed; reloading",
                        file=sys.stderr,
                        flush=True,
                    )
                    self._stop_child()
                    self.child = self._spawn()
                    first = False
        except KeyboardInterrupt:
            self._stop_child()
            return 130
        self._stop_child()
        return 0
