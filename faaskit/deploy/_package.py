"""Assembling what ships: the app's files, faaskit itself, and dependencies for the platform."""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from faaskit.deploy._boundary import tooling_parts
from faaskit.deploy._files import shipped_files
from faaskit.deploy._model import App
from faaskit.deploy._pipcache import cached_install, install_key
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
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


# pip options whose value is a file or folder (relative to the requirements file holding them)
_PATH_OPTIONS = ("-c", "--constraint", "-f", "--find-links")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: not a drive letter
_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar")
_EXTRAS = re.compile(r"\[[^\]]*\]$")
_LINE_OPTION = re.compile(r"\s--?[A-Za-z]")


def requirement_name(line: str) -> str:
    """The normalised project name of a requirement line (``boto3>=1.28`` -> ``boto3``); empty
    for a pip option line (``--index-url URL``) and a path requirement (``./wheels/x.whl``).
    """
    if is_option(line) or map_requirement_path(line, lambda path: path) is not None:
        return ""
    found = _NAME.match(line)
    return re.sub(r"[-_.]+", "-", found.group(1)).lower() if found else ""


def is_option(line: str) -> bool:
    """Whether a requirements-file line is a pip option (``--index-url URL``, ``-c file``)
    rather than a requirement (which may carry per-line options such as ``--hash``).
    """
    return line.lstrip().startswith("-")


def checks_hashes(lines: Iterable[str]) -> bool:
    """Whether pip reads ``lines`` in hash-checking mode (a ``--hash`` on any requirement, or
    ``--require-hashes``), where every requirement must carry its hashes.
    """
    # Tokens, not text: a URL may hold "--hash"; an option line may hold several options.
    return any(
        "--require-hashes" in line.split()
        if is_option(line)
        else any(token == "--hash" or token.startswith("--hash=") for token in line.split())
        for line in lines
    )


def is_editable(line: str) -> bool:
    """Whether a requirements-file line is ``-e``/``--editable`` (not shippable)."""
    token = line.lstrip()
    return token.startswith(("--editable", "-e")) and not token.startswith("--editable-")


def is_url(value: str) -> bool:
    """Whether a requirements-file value is a URL (``https://``, ``file:``), not a path."""
    return bool(_SCHEME.match(value))


def _split(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise ConfigurationError(f"cannot read the requirements line {line!r}: {exc}") from exc


def map_option_paths(line: str, change: Callable[[str], str]) -> str:
    """``line`` with each local path given to ``-c/--constraint`` or ``-f/--find-links``
    (URLs left alone) replaced by ``change(path)``; the line itself when nothing changed.
    """
    tokens = _split(line)
    out: list[str] = []
    changed = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        option, value, joiner = "", "", ""
        if token in _PATH_OPTIONS and index < len(tokens):
            option, value, joiner = token, tokens[index], " "
            index += 1
        elif token.startswith(("--constraint=", "--find-links=")):
            option, _, value = token.partition("=")
            joiner = "="
        elif token[:2] in ("-c", "-f") and len(token) > 2 and not token.startswith("--"):
            option, value = token[:2], token[2:]
        if not option:
            out.append(token)
            continue
        new = value if is_url(value) else change(value)
        changed = changed or new != value
        out.extend([option, new] if joiner == " " else [f"{option}{joiner}{new}"])
    return shlex.join(out) if changed else line


def map_requirement_path(line: str, change: Callable[[str], str]) -> str | None:
    """For a requirement naming a local path (``./libs/pkg``, ``../x.whl``, ``dist/y.tar.gz``,
    extras and markers allowed) the line with that path replaced by ``change(path)``; None for
    any other line (names, URLs, options).
    """
    if is_option(line):
        return None
    stripped = line.strip()
    found = re.match(r"[^\s;]+", stripped)
    if not found:
        return None
    first = found.group(0)
    path = _EXTRAS.sub("", first)
    if is_url(path) or "@" in path:
        return None
    looks = path.startswith((".", "/", "~")) or "/" in path or "\\" in path
    if not (looks or path.lower().endswith(_ARCHIVES)):
        return None
    return change(path) + first[len(path) :] + stripped[len(first) :]


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


def _installs(line: str) -> bool:
    """Whether a requirements line names something to install (a requirement, or ``-r URL``)."""
    return not is_option(line) or line.lstrip().startswith(("-r", "--requirement"))


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
    if not any(_installs(line) for line in lines):
        return

    def absolute(path: str) -> str:
        return path if base is None or is_url(path) else str((base / path).resolve())

    options: list[str] = []
    wanted: list[str] = []
    for line in lines:
        if is_option(line):
            options += _split(map_option_paths(line, absolute))
        else:
            wanted.append(map_requirement_path(line, absolute) or line.strip())
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
                "--only-binary=:all:", "--upgrade", *extra_args, *options, *given,
            ]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise ConfigurationError(
                f"pip could not install {lines} for {platform}:\n{done.stderr.strip()}"
            )

    key = install_key([platform, python_version, "cp", *extra_args, *options, *wanted])
    cached_install(key, target, run)
