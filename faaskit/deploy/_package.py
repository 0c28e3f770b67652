"""Assembling what ships: the app's files, faaskit itself, and dependencies for the platform."""

from __future__ import annotations

import hashlib
import importlib.metadata as metadata
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from faaskit.deploy._boundary import tooling_parts
from faaskit.deploy._files import shipped_files
from faaskit.deploy._model import App
from faaskit.deploy._pipcache import cached_install, install_key
from faaskit.deploy._requirements import (
    checks_hashes,
    is_editable,
    is_option,
    is_url,
    map_option_paths,
    map_requirement_path,
    requirement_name,
    split_line,
)
from faaskit.exceptions import ConfigurationError

__all__ = [
    "FAASKIT_REQUIREMENTS",
    "checks_hashes",
    "copy_app",
    "copy_package",
    "copy_pure_distribution",
    "copy_runtime",
    "is_editable",
    "is_option",
    "is_url",
    "map_option_paths",
    "map_requirement_path",
    "pip_install",
    "pip_key",
    "pure_distribution_key",
    "requirement_name",
]

FAASKIT_REQUIREMENTS = ("attrs>=23.2",)
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
_LINE_OPTION = re.compile(r"\s--?[A-Za-z]")


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
    """Copy the app's files (its folder, or its top-level package) into ``target``, leaving
    out what :func:`faaskit.deploy._files.shipped_files` says never ships.
    """
    for rel in shipped_files(app.root, app.include, skip=skip, keep=Path(app.source)):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(app.root / rel, dest)


def copy_package(name: str, target: Path, *, exclude: Iterable[str] = ()) -> None:
    """Copy the importable package ``name`` (source files, no caches) into ``target/name``,
    leaving out its sub-packages listed in ``exclude``.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(f"cannot find the {name!r} package to ship with the app")
    source = Path(next(iter(spec.submodule_search_locations)))
    _copy_tree(source, target / name, [source / part for part in exclude])


def copy_runtime(name: str, target: Path) -> None:
    """Copy the runtime of package ``name`` into ``target/name``: its source files without the
    tooling modules and sub-packages the boundary (``faaskit.deploy._boundary``) lists.
    """
    parts = tooling_parts(name)
    copy_package(name, target, exclude=(*parts, *(f"{part}.py" for part in parts)))


def _pure_distribution(requirement: str) -> metadata.Distribution | None:
    """The installed distribution of ``requirement`` when it is pure Python with a file list."""
    try:
        dist = metadata.distribution(requirement_name(requirement))
    except metadata.PackageNotFoundError:
        return None
    wheel = dist.read_text("WHEEL") or ""
    if "Root-Is-Purelib: true" not in wheel or not dist.files:
        return None
    return dist


def pure_distribution_key(requirement: str) -> str | None:
    """What :func:`copy_pure_distribution` would copy, as a key (name, version and the hash of
    its ``RECORD``, which lists every file's hash); None when pip must fetch it.
    """
    dist = _pure_distribution(requirement)
    if dist is None:
        return None
    record = (dist.read_text("RECORD") or "").encode("utf-8")
    return f"{dist.metadata['Name']}=={dist.version}:{hashlib.sha256(record).hexdigest()}"


def copy_pure_distribution(requirement: str, target: Path) -> bool:
    """Copy an installed pure-Python distribution (any platform can run it) into ``target``.

    Returns False when it is not installed here or holds compiled code: pip must fetch it.
    """
    dist = _pure_distribution(requirement)
    if dist is None or not dist.files:
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


def _installs(line: str) -> bool:
    """Whether a requirements line names something to install (a requirement, or ``-r URL``)."""
    return not is_option(line) or line.lstrip().startswith(("-r", "--requirement"))


def _arguments(lines: list[str], base: Path | None) -> tuple[list[str], list[str]]:
    """The pip options and requirements of requirements-file ``lines``, local paths resolved
    against ``base``.
    """

    def absolute(path: str) -> str:
        return path if base is None or is_url(path) else str((base / path).resolve())

    options: list[str] = []
    wanted: list[str] = []
    for line in lines:
        if is_option(line):
            options += split_line(map_option_paths(line, absolute))
        else:
            wanted.append(map_requirement_path(line, absolute) or line.strip())
    return options, wanted


def pip_key(
    requirements: Iterable[str],
    *,
    platform: str,
    python_version: str,
    extra_args: Iterable[str] = (),
    base: Path | None = None,
) -> str | None:
    """The cache key of what :func:`pip_install` installs with the same arguments (the
    content of local files they name included); None when it installs nothing.
    """
    lines = list(requirements)
    if not any(_installs(line) for line in lines):
        return None
    options, wanted = _arguments(lines, base)
    return install_key([platform, python_version, "cp", *extra_args, *options, *wanted])


def pip_install(
    requirements: Iterable[str],
    target: Path,
    *,
    platform: str,
    python_version: str,
    extra_args: Iterable[str] = (),
    base: Path | None = None,
    workdir: Path | None = None,
) -> None:
    """``pip install --target`` the requirements as binary wheels built for ``platform``.

    ``requirements`` are requirements-file lines: pip option lines (``--index-url URL``,
    ``-c constraints.txt``, ``-f wheels/``) become pip arguments placed before the
    requirements, local paths (of ``-c``/``-f`` and of path requirements) are resolved against
    ``base``, and requirements with per-line options (``pkg==1.0 --hash=sha256:...``) are
    handed to pip in a requirements file written in ``workdir`` (a temporary folder otherwise).
    """
    lines = list(requirements)
    extra = list(extra_args)
    key = pip_key(lines, platform=platform, python_version=python_version, extra_args=extra,
                  base=base)  # fmt: skip
    if key is None:
        return
    options, wanted = _arguments(lines, base)
    as_file = any(_LINE_OPTION.search(line) for line in wanted)

    def run(into: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="faaskit-pip-", dir=workdir) as scratch:
            if as_file:
                listed = Path(scratch) / "requirements.txt"
                listed.write_text("".join(f"{line}\n" for line in wanted), encoding="utf-8")
                given = ["-r", str(listed)]
            else:
                given = wanted
            command = [
                sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "--no-compile", "--target", str(into), "--platform", platform,
                "--python-version", python_version, "--implementation", "cp",
                "--only-binary=:all:", "--upgrade", *extra, *options, *given,
            ]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise ConfigurationError(
                f"pip could not install {lines} for {platform}:\n{done.stderr.strip()}"
            )

    cached_install(key, target, run)
