"""The app as the builders see it: :func:`faaskit.tooling.apps.load_app` (the one app loader)
plus the functions to deploy and the app's ``requirements.txt``.
"""

from __future__ import annotations

import os
import re
from functools import partial
from pathlib import Path

from faaskit.deploy._model import App, Function
from faaskit.deploy._package import (
    is_editable,
    is_option,
    is_url,
    map_option_paths,
    map_requirement_path,
)
from faaskit.exceptions import ConfigurationError
from faaskit.tooling import apps

__all__ = ["load_app"]

_COMMENT = re.compile(r"(^|\s+)#.*$")  # pip's rule: a '#' of a URL fragment is no comment
_INCLUDE = re.compile(r"^(?:-r\s*|--requirement(?:\s*=\s*|\s+))(\S.*)$")


def _requirements(root: Path) -> tuple[str, ...]:
    """The lines of the app's ``requirements.txt``: requirements and pip options, in order.

    ``-r other.txt`` includes are read in place (``-r URL`` is kept for pip to fetch); the
    local paths of ``-c``/``-f`` in an included file are rewritten to be relative to the app
    root (where ``requirements.txt`` is), as pip reads them relative to the file holding them.
    """
    path = root / "requirements.txt"
    return tuple(_requirement_lines(path, set(), root)) if path.is_file() else ()


def _joined(text: str) -> list[tuple[int, str]]:
    r"""``(line number, line)`` with comments stripped and ``\\``-continued lines joined, as pip
    reads a requirements file.
    """
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    first = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.endswith("\\") and not _COMMENT.match(raw):
            if not pending:
                first = number
            pending.append(raw[:-1])
            continue
        if pending:
            pending.append(raw if not _COMMENT.match(raw) else " " + raw)
            out.append((first, "".join(pending)))
            pending = []
        else:
            out.append((number, raw))
    if pending:
        out.append((first, "".join(pending)))
    return [(number, _COMMENT.sub("", line).strip()) for number, line in out]


def _requirement_lines(path: Path, seen: set[Path], root: Path) -> list[str]:
    """The requirement and option lines of ``path``, with ``-r other.txt`` includes read in
    place and option paths made relative to ``root``.
    """
    seen.add(path.resolve())
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read requirements file {str(path)!r}: {exc}") from exc
    out: list[str] = []
    for number, line in _joined(text):
        if not line:
            continue
        where = f"{path}:{number}"
        included = _INCLUDE.match(line)
        if included and not is_url(included.group(1).strip()):
            nested = path.parent / included.group(1).strip()
            if nested.resolve() not in seen:
                out.extend(_requirement_lines(nested, seen, root))
        elif is_editable(line):
            raise ConfigurationError(
                f"{where}: editable requirement {line!r} cannot be shipped to Lambda or Azure "
                "(it links to a source folder); list the package by name, or as a wheel or "
                "folder inside the app"
            )
        elif is_option(line):
            out.append(map_option_paths(line, partial(_rebased, path, root)))
        else:
            map_requirement_path(line, partial(_inside, root, where, line))
            out.append(line)
    return out


def _rebased(holder: Path, root: Path, value: str) -> str:
    """``value``, a path relative to the file ``holder``, made relative to ``root``."""
    if Path(value).is_absolute() or holder.parent.resolve() == root.resolve():
        return value
    return Path(os.path.relpath(holder.parent / value, root)).as_posix()


def _inside(root: Path, where: str, line: str, value: str) -> str:
    """Refuse a path requirement (relative to the app root, as pip reads it from there) that
    is not inside the app root: it would not be shipped with the app.
    """
    if not (root / value).resolve().is_relative_to(root.resolve()):
        raise ConfigurationError(
            f"{where}: path requirement {line!r} is outside the app folder {str(root)!r}, so "
            "it cannot be shipped with the app; move it inside, or install a built wheel"
        )
    return value


def load_app(spec: str, *, cwd: Path | None = None) -> App:
    """Load ``spec`` (``samples/hello_http/app.py``, ``mypkg.app``, ``app.py:handler``) with
    :func:`faaskit.tooling.apps.load_app` and describe what a build ships.

    A top-level module is shipped with the folder it lives in; a module inside a package
    (given by name or by file) with its top-level package. Errors raised while importing (an
    invalid route, say) come back as :class:`ConfigurationError` naming the file, line and
    handler.
    """
    loaded = apps.load_app(spec, cwd=cwd, isolated=True)
    return App(
        module=loaded.name,
        root=loaded.root,
        include=loaded.include,
        source=str(loaded.source),
        functions=tuple(
            Function.of(attribute, handler)
            for attribute, handler in zip(loaded.attributes, loaded.handlers, strict=True)
        ),
        loaded=loaded.module,
        requirements=_requirements(loaded.root),
    )
