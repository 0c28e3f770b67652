"""Reading requirements-file lines: project names, pip options, local paths, hash mode."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable

from faaskit.exceptions import ConfigurationError

__all__ = [
    "checks_hashes",
    "is_editable",
    "is_option",
    "is_url",
    "map_option_paths",
    "map_requirement_path",
    "requirement_name",
    "split_line",
]

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


# pip options whose value is a file or folder (relative to the requirements file holding them)
_PATH_OPTIONS = ("-c", "--constraint", "-f", "--find-links")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: not a drive letter
_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar")
_EXTRAS = re.compile(r"\[[^\]]*\]$")


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


def split_line(line: str) -> list[str]:
    """The shell-like tokens of a requirements line; a clear error when they do not parse."""
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise ConfigurationError(f"cannot read the requirements line {line!r}: {exc}") from exc


def map_option_paths(line: str, change: Callable[[str], str]) -> str:
    """``line`` with each local path given to ``-c/--constraint`` or ``-f/--find-links``
    (URLs left alone) replaced by ``change(path)``; the line itself when nothing changed.
    """
    tokens = split_line(line)
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
