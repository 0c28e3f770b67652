"""Assembling what ships: the app's files, faaskit itself, and dependencies for the platform."""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from faaskit.deploy._model import App
from faaskit.exceptions import ConfigurationError

__all__ = [
    "FAASKIT_REQUIREMENTS",
    "copy_app",
    "copy_package",
    "copy_pure_distribution",
    "pip_install",
    "requirement_name",
]

FAASKIT_REQUIREMENTS = ("attrs>=23.1",)
_SKIP_DIRS = frozenset(
    {
        "__pycache__",
        ".git",
        ".venv",
        "venv",
        "node_modules",
        ".aws-sam",
        "build",
        "dist",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
    }
)
_SKIP_SUFFIXES = (".pyc", ".pyo", ".egg-info")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def requirement_name(line: str) -> str:
    """The normalised project name of a requirement line (``boto3>=1.28`` -> ``boto3``)."""
    found = _NAME.match(line)
    return re.sub(r"[-_.]+", "-", found.group(1)).lower() if found else ""


def _wanted(path: Path, root: Path, skip: Iterable[Path]) -> bool:
    rel = path.relative_to(root)
    if any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts):
        return False
    if path.name.endswith(_SKIP_SUFFIXES) or any(s in (path, *path.parents) for s in skip):
        return False
    return path.is_file()


def _copy_tree(source: Path, target: Path, skip: Iterable[Path] = ()) -> None:
    skipped = [s.resolve() for s in skip]
    for path in sorted(source.rglob("*")):
        if _wanted(path, source, skipped):
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


def copy_app(app: App, target: Path, *, skip: Iterable[Path] = ()) -> None:
    """Copy the app's files (its folder, or its top-level package) into ``target``."""
    if app.include:
        for entry in app.include:
            _copy_tree(app.root / entry, target / entry, skip)
    else:
        _copy_tree(app.root, target, skip)


def copy_package(name: str, target: Path, *, exclude: Iterable[str] = ()) -> None:
    """Copy the importable package ``name`` (source files, no caches) into ``target/name``,
    leaving out its sub-packages listed in ``exclude``.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(f"cannot find the {name!r} package to ship with the app")
    source = Path(next(iter(spec.submodule_search_locations)))
    _copy_tree(source, target / name, [source / part for part in exclude])


def copy_pure_distribution(requirement: str, target: Path) -> bool:
    """Copy an installed pure-Python distribution (any platform can run it) into ``target``.

    Returns False when it is not installed here or holds compiled code: pip must fetch it.
    """
    try:
        dist = metadata.distribution(requirement_name(requirement))
    except metadata.PackageNotFoundError:
        return False
    wheel = dist.read_text("WHEEL") or ""
    if "Root-Is-Purelib: true" not in wheel or not dist.files:
        return False
    base = Path(str(dist.locate_file("")))
    for entry in dist.files:
        path = Path(str(dist.locate_file(entry)))
        if path.suffix in (".pyc", ".so", ".pyd") or ".." in entry.parts or not path.is_file():
            continue
        if path.is_relative_to(base):
            dest = target / entry
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return True


def pip_install(
    requirements: Iterable[str],
    target: Path,
    *,
    platform: str,
    python_version: str,
    extra_args: Iterable[str] = (),
) -> None:
    """``pip install --target`` the requirements as binary wheels built for ``platform``."""
    wanted = list(requirements)
    if not wanted:
        return
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-compile", "--target", str(target), "--platform", platform,
        "--python-version", python_version, "--implementation", "cp",
        "--only-binary=:all:", "--upgrade", *extra_args, *wanted,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise ConfigurationError(
            f"pip could not install {wanted} for {platform}:\n{done.stderr.strip()}"
        )
