"""Rebuild time of ``faaskit build`` for an app that needs Pillow, as a user runs it.

Each build is a fresh ``python -m faaskit build`` process with its own build cache
(``FAASKIT_CACHE_DIR`` in a temporary folder), timed from process start to exit:

- cold: empty build cache (pip downloads or takes Pillow from pip's own cache);
- unchanged: the same app built again;
- one file changed: a helper module of the app edited before each build.

Byte code is written as Python does by default (``PYTHONDONTWRITEBYTECODE`` is dropped), so
the CLI imports faaskit compiled, as a user's does. The floor is ``python -m faaskit --help``
(interpreter start and the CLI's imports): what no build can go below. Times are the median
and best of ``--rounds`` builds; ratios are to the cold build and to the floor of the same
run.
Run: ``python benchmarks/bench_rebuild.py [--rounds N] [--target all|aws|azure]
[--requirement Pillow==11.0.0]``; with ``PYTHONPATH`` naming another checkout (its root and
``adapters``) it times that one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP = '''"""A thumbnail service: the smallest app whose package carries a compiled wheel."""

import faaskit

from helpers import thumbnail_size


@faaskit.handler(faaskit.http("GET", "/thumb/{side}"))
def thumb(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, object]:
    """The size of a thumbnail of a square image of ``side`` pixels."""
    return {"size": thumbnail_size(int(req.path_params["side"]))}
'''
HELPERS = '''"""Image helpers."""


def thumbnail_size(side: int) -> tuple[int, int]:
    """Pillow's thumbnail of a ``side`` x ``side`` image bounded by 128 x 128."""
    from PIL import Image

    image = Image.new("RGB", (side, side))
    image.thumbnail((128, 128))
    return image.size
'''


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return elapsed


def _line(label: str, times: list[float], cold: float, floor: float) -> str:
    median = statistics.median(times)
    return (
        f"{label:18s} {median:7.3f} s (best {min(times):.3f})"
        f"  {median / cold:5.2f} x cold  {median / floor:5.2f} x floor"
    )


def main() -> None:
    """Build the Pillow app cold, unchanged and after one change; print the times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--target", default="all", choices=("all", "aws", "azure"))
    parser.add_argument("--requirement", default="Pillow==11.0.0")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="faaskit-bench-rebuild-") as scratch:
        root = Path(scratch)
        app = root / "app"
        app.mkdir()
        (app / "app.py").write_text(APP, encoding="utf-8")
        (app / "helpers.py").write_text(HELPERS, encoding="utf-8")
        (app / "requirements.txt").write_text(args.requirement + "\n", encoding="utf-8")
        env = {**os.environ, "FAASKIT_CACHE_DIR": str(root / "cache")}
        env.pop("FAASKIT_NO_CACHE", None)
        # as a user's shell runs it: faaskit's own modules imported from their byte code
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        build = [sys.executable, "-m", "faaskit", "build", "app.py", "--target", args.target,
                 "--out", str(root / "out")]  # fmt: skip
        floor = min(
            _run([sys.executable, "-m", "faaskit", "--help"], app, env) for _ in range(args.rounds)
        )
        cold = _run(build, app, env)
        unchanged = [_run(build, app, env) for _ in range(args.rounds)]
        changed = []
        for round_ in range(args.rounds):
            with (app / "helpers.py").open("a", encoding="utf-8") as helpers:
                helpers.write(f"\nEDIT = {round_}\n")
            changed.append(_run(build, app, env))
        package = root / "out" / "aws" / "package.zip"
        size = f", package.zip {package.stat().st_size / 1e6:.1f} MB" if package.exists() else ""
    print(f"faaskit build --target {args.target}, requirements: {args.requirement}{size}")
    print(f"{'floor (--help)':18s} {floor:7.3f} s")
    print(f"{'cold':18s} {cold:7.3f} s")
    print(_line("unchanged", unchanged, cold, floor))
    print(_line("one file changed", changed, cold, floor))


if __name__ == "__main__":
    main()
