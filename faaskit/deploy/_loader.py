"""Load an app (a module name or a ``.py`` file) and collect its ``faaskit.Handler`` objects."""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
import traceback
from functools import partial
from pathlib import Path
from types import ModuleType

from faaskit import Handler
from faaskit.deploy._model import App, Function
from faaskit.deploy._package import (
    is_editable,
    is_option,
    is_url,
    map_option_paths,
    map_requirement_path,
)
from faaskit.exceptions import ConfigurationError

__all__ = ["load_app"]

_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)")


def _is_path(spec: str) -> bool:
    return spec.endswith(".py") or "/" in spec or "\\" in spec


def _culprit(exc: BaseException, source: Path) -> str:
    """``file:line (handler 'name')`` for the app line that raised, when it can be found."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == source]
    if not frames or frames[-1].lineno is None:
        return str(source)
    line = frames[-1].lineno
    where = f"{source.name}:{line}"
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return where
    for text in lines[line - 1 : line + 20]:
        found = _DEF.match(text)
        if found:
            return f"{where}, handler {found.group(1)!r}"
    return where


def _import(spec: str, source: Path | None, name: str, path_entry: Path) -> ModuleType:
    sys.path.insert(0, str(path_entry))
    try:
        if source is not None:
            unique = f"_faaskit_app_{abs(hash(str(source)))}_{name}"
            found = importlib.util.spec_from_file_location(unique, source)
            if found is None or found.loader is None:
                raise ConfigurationError(f"cannot load app file {str(source)!r}")
            module = importlib.util.module_from_spec(found)
            sys.modules[unique] = module
            found.loader.exec_module(module)
            return module
        return importlib.import_module(spec)
    finally:
        if str(path_entry) in sys.path:
            sys.path.remove(str(path_entry))


def _foreign(before: set[str], root: Path) -> list[str]:
    """Modules a loose app file imported from its own folder under a name that the folder,
    shipped as the package's top level, does not give them (``mypkg.util`` for ``util.py``).
    """
    found = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if name in before or name.startswith("_faaskit_app_") or not file:
            continue
        path = Path(file).resolve()
        if path.is_relative_to(root):
            parts = path.relative_to(root).with_suffix("").parts
            if ".".join(parts[:-1] if parts[-1] == "__init__" else parts) != name:
                found.append(name)
    return sorted(found)


def _dotted(source: Path) -> str:
    """``pkg.sub.module`` for a file inside (nested) packages."""
    parts, folder = [source.stem], source.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


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


def _origin(spec: str, path_entry: Path) -> Path | None:
    sys.path.insert(0, str(path_entry))
    try:
        found = importlib.util.find_spec(spec)
    except (ImportError, ValueError):
        return None
    finally:
        sys.path.remove(str(path_entry))
    return Path(found.origin) if found and found.origin else None


def load_app(spec: str, *, cwd: Path | None = None) -> App:
    """Import ``spec`` (``samples/hello_http/app.py`` or ``mypkg.app``) and collect its handlers.

    A file (or a top-level module) is shipped with the folder it lives in; a module inside a
    package is shipped with its top-level package. Errors raised while importing (an invalid
    route, say) come back as :class:`ConfigurationError` naming the file, line and handler.
    """
    base = (cwd or Path.cwd()).resolve()
    include: tuple[str, ...] = ()
    if _is_path(spec):
        source = (base / spec).resolve()
        if not source.is_file():
            raise ConfigurationError(f"app file {spec!r} does not exist")
        name, root, loose = source.stem, source.parent, True
        if not name.isidentifier():
            raise ConfigurationError(
                f"app file {spec!r}: {name!r} is not an importable module name (Lambda and "
                "Azure import the app by name); rename it, e.g. to "
                f"{name.replace('-', '_')}.py"
            )
    else:
        origin = _origin(spec, base)
        if origin is None:
            raise ConfigurationError(f"cannot find app module {spec!r} (from {str(base)!r})")
        source, name, loose = origin, spec, False
        depth = spec.count(".") + (1 if origin.name == "__init__.py" else 0)
        if depth == 0:
            root = origin.parent
        else:
            root = origin.parents[depth]
            include = (spec.split(".")[0],)
    before = set(sys.modules)
    try:
        module = _import(spec, source if loose else None, name, root if loose else base)
    except ConfigurationError as exc:
        raise ConfigurationError(f"{_culprit(exc, source)}: {exc}") from exc
    except Exception as exc:
        raise ConfigurationError(
            f"cannot import app {spec!r}: {type(exc).__name__}: {exc}"
        ) from exc
    foreign = _foreign(before, root) if loose else []
    if foreign:
        raise ConfigurationError(
            f"app file {spec!r} imports {', '.join(map(repr, foreign))} from its own folder, "
            "which is shipped without its package, so Lambda and Azure would not find it; "
            f"build the module instead: faaskit build {_dotted(source)}"
        )
    functions: list[Function] = []
    seen: set[int] = set()
    for attr, value in vars(module).items():
        if isinstance(value, Handler) and id(value) not in seen:
            seen.add(id(value))
            functions.append(Function.of(attr, value))
    if not functions:
        raise ConfigurationError(f"app {spec!r} declares no faaskit handlers")
    return App(
        module=name,
        root=root,
        include=include,
        source=str(source),
        functions=tuple(functions),
        loaded=module,
        requirements=_requirements(root),
    )
