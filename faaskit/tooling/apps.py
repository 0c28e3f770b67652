"""The one app loader: find and import a user's app (``APP`` on the command line, the
``faaskit_server`` fixture's argument) and collect the handlers it holds.

``APP`` is a module name (``shop.api``), a file (``app.py``, ``src/shop/api.py``) or a package
folder, optionally followed by ``:handler`` to pick one handler. A file inside packages is
imported by its dotted name (``src/shop/api.py`` is ``shop.api``, from ``src``), exactly as
Lambda and Azure will import it, so ``faaskit build shop/api.py`` and ``faaskit build
shop.api`` are the same app. The folder holding the top-level module or package (``root``)
stays on ``sys.path``; ``faaskit.toml`` and ``requirements.txt`` are read by the tools from
:attr:`App.folder` and :attr:`App.root`.

Every failure is a :class:`~faaskit.exceptions.ConfigurationError` naming the file, module or
attribute at fault: a missing file or module, a name Python cannot import, an error raised
while importing (with the app's file, line and handler), an app without handlers, an unknown
``:handler``.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import re
import sys
import traceback
import types
from pathlib import Path

import attrs

from faaskit import Handler
from faaskit.exceptions import ConfigurationError

__all__ = ["App", "ensure_adapters", "handlers_of", "load_app", "split_target"]

_FAASKIT = ("faaskit", "faaskit_aws", "faaskit_azure")
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(\w+)")


@attrs.frozen(kw_only=True)
class App:
    """An imported app: its ``module``, the dotted ``name`` the clouds import it by, the
    ``root`` folder that holds its top-level module or package, its ``source`` file, and its
    handlers (definition order) with the module attribute each is found under.
    """

    module: types.ModuleType
    name: str
    root: Path
    source: Path | None
    handlers: tuple[Handler, ...]
    attributes: tuple[str, ...]

    @property
    def include(self) -> tuple[str, ...]:
        """What of ``root`` belongs to the app: its top-level package, or everything (``()``)
        for a top-level module.
        """
        in_package = "." in self.name or (
            self.source is not None and self.source.stem == "__init__"
        )
        return (self.name.split(".")[0],) if in_package else ()

    @property
    def folder(self) -> Path:
        """The folder of the app's file, where ``faaskit.toml`` is read."""
        return self.source.parent if self.source is not None else self.root

    @property
    def path(self) -> Path | None:
        """The app's file (None for a module made in memory)."""
        return self.source

    @property
    def where(self) -> str:
        """The app's file, or its module name."""
        return str(self.source) if self.source is not None else self.name

    def attribute(self, handler: Handler) -> str:
        """The module attribute ``handler`` is found under (``Handler: name.attribute``)."""
        for found, attribute in zip(self.handlers, self.attributes, strict=True):
            if found is handler:
                return attribute
        raise ConfigurationError(f"{self.where}: {handler.name!r} is not a handler of this app")

    def handler(self, name: str) -> Handler:
        """The handler called ``name`` (deployed name or module attribute)."""
        for found, attribute in zip(self.handlers, self.attributes, strict=True):
            if name in (found.name, attribute):
                return found
        known = ", ".join(h.name for h in self.handlers) or "none"
        raise ConfigurationError(
            f"{self.where}: no handler named {name!r} (handlers: {known}); "
            "decorate the function with @faaskit.handler"
        )

    @classmethod
    def of(cls, module: types.ModuleType) -> App:
        """The app of a module already imported (``faaskit_server(my_module)``)."""
        file = getattr(module, "__file__", None)
        source = Path(file).resolve() if file else None
        root = Path.cwd()
        if source is not None:
            root = source.parent
            for _ in range(module.__name__.count(".") + (source.stem == "__init__")):
                root = root.parent
        attributes, handlers = handlers_of(module)
        return cls(
            module=module,
            name=module.__name__,
            root=root,
            source=source,
            handlers=handlers,
            attributes=attributes,
        )


def handlers_of(module: types.ModuleType) -> tuple[tuple[str, ...], tuple[Handler, ...]]:
    """The module attributes holding handlers and the handlers, in definition order (a handler
    bound to two names counts once, under the first).
    """
    found: dict[int, tuple[str, Handler]] = {}
    for attribute, value in vars(module).items():
        if isinstance(value, Handler):
            found.setdefault(id(value), (attribute, value))
    return tuple(a for a, _ in found.values()), tuple(h for _, h in found.values())


def split_target(target: str) -> tuple[str, str | None]:
    """``"app.py:hello"`` -> ``("app.py", "hello")`` (a Windows drive letter is not a split)."""
    head, sep, tail = target.rpartition(":")
    if not sep or not head or "/" in tail or "\\" in tail:
        return target, None
    return head, tail or None


def ensure_adapters() -> None:
    """Make ``faaskit_aws``/``faaskit_azure`` importable from a source checkout too."""
    if importlib.util.find_spec("faaskit_aws") is not None:
        return
    adapters = Path(__file__).resolve().parents[2] / "adapters"
    if (adapters / "faaskit_aws").is_dir():
        sys.path.append(str(adapters))


def _is_path(spec: str, base: Path) -> bool:
    return spec.endswith(".py") or "/" in spec or "\\" in spec or (base / spec).is_file()


def _from_file(spec: str, base: Path) -> tuple[str, Path, Path]:
    """``(dotted name, root, file)`` of the app file ``spec``."""
    source = (base / spec).resolve()
    if source.is_dir() and (source / "__init__.py").is_file():
        source = source / "__init__.py"
    if not source.is_file():
        raise ConfigurationError(f"app file {spec!r} does not exist (from {str(base)!r})")
    if not source.stem.isidentifier() or source.suffix != ".py":
        raise ConfigurationError(
            f"app file {spec!r}: {source.name!r} is not an importable module name (Lambda and "
            f"Azure import the app by name); rename it, e.g. to {_identifier(source.stem)}.py"
        )
    parts = [] if source.stem == "__init__" else [source.stem]
    folder = source.parent
    while (folder / "__init__.py").is_file() and folder.name.isidentifier():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts), folder, source


def _identifier(text: str) -> str:
    name = re.sub(r"\W", "_", text)
    return name if name.isidentifier() else f"_{name}"


def _from_module(spec: str, base: Path) -> tuple[str, Path, Path]:
    """``(dotted name, root, file)`` of the app module ``spec``, found from ``base`` first."""
    if not all(part.isidentifier() for part in spec.split(".")):
        raise ConfigurationError(
            f"app {spec!r} is neither a file nor a module name (give app.py or pkg.module)"
        )
    _on_path(base)
    parts = spec.split(".")
    # Searched on the file system, not through sys.modules: a package of the same name
    # imported from another folder (an earlier app) must not hide this one.
    found = importlib.machinery.PathFinder.find_spec(parts[0], sys.path)
    for part in parts[1:]:
        places = found.submodule_search_locations if found is not None else None
        found = importlib.machinery.PathFinder.find_spec(part, list(places)) if places else None
    if found is None or not found.origin or not Path(found.origin).is_file():
        raise ConfigurationError(
            f"app {spec!r} not found: no module named {spec!r} (from {str(base)!r}); give a "
            "file path (app.py) or run from the folder that holds the package"
        )
    source = Path(found.origin).resolve()
    depth = spec.count(".") + (1 if source.name == "__init__.py" else 0)
    return spec, source.parents[depth], source


def _on_path(folder: Path) -> None:
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


def _forget(name: str, root: Path) -> None:
    """Drop the app module, and any module of its top-level package loaded from another
    folder (an earlier app of the same name), so that the import reads this app afresh.
    """
    top = name.split(".")[0]
    for key in [k for k in sys.modules if k == top or k.startswith(f"{top}.")]:
        file = getattr(sys.modules[key], "__file__", None)
        if key == name or not file or not Path(file).resolve().is_relative_to(root):
            del sys.modules[key]


def _restore(modules: dict[str, types.ModuleType], root: Path) -> None:
    """Put ``sys.modules`` back as ``modules`` for the app's own modules (those loaded from
    ``root``, faaskit's excepted); the libraries the app imported stay loaded, as one copy.
    """
    for key in [k for k in sys.modules if k not in modules]:
        file = getattr(sys.modules[key], "__file__", None)
        if key.split(".")[0] not in _FAASKIT and file and Path(file).resolve().is_relative_to(root):
            del sys.modules[key]
    sys.modules.update(modules)


def _culprit(exc: BaseException, source: Path) -> str:
    """``file:line, handler 'name'`` for the app line that raised, when it can be found."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == source]
    if not frames or frames[-1].lineno is None:
        return str(source)
    line = frames[-1].lineno
    where = f"{source}:{line}"
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError:
        return where
    for text in lines[line - 1 : line + 20]:
        found = _DEF.match(text)
        if found:
            return f"{where}, handler {found.group(1)!r}"
    return where


def _import_error(spec: str, name: str, source: Path, exc: BaseException) -> ConfigurationError:
    if isinstance(exc, ConfigurationError):
        return ConfigurationError(f"{_culprit(exc, source)}: {exc}")
    if isinstance(exc, SyntaxError):
        return ConfigurationError(
            f"app {spec!r} does not import: syntax error at {exc.filename}, line {exc.lineno}: "
            f"{exc.msg}"
        )
    user = [f for f in traceback.extract_tb(exc.__traceback__) if "importlib" not in f.filename]
    line = f" ({user[-1].filename}, line {user[-1].lineno})" if user else ""
    hint = ""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        hint = f"; install {exc.name!r} or add it to the app's requirements"
    return ConfigurationError(
        f"app {spec!r} ({name}) does not import: {type(exc).__name__}: {exc}{line}{hint}"
    )


def load_app(spec: str, *, cwd: Path | None = None, isolated: bool = False) -> App:
    """Import ``spec`` (a file, a package folder or a module name, relative to ``cwd`` or the
    current folder, with an optional ``:handler``) and collect its handlers.

    With ``:handler`` the app holds that handler only. The app's ``root`` stays on
    ``sys.path`` for the handlers to run; ``isolated=True`` (a build, which only reads the
    declarations) leaves ``sys.path`` and ``sys.modules`` as they were instead. Raises
    :class:`~faaskit.exceptions.ConfigurationError` naming the file, module or handler at fault.
    """
    target, wanted = split_target(spec)
    base = (cwd or Path.cwd()).resolve()
    ensure_adapters()
    path, modules, root = list(sys.path), dict(sys.modules), base
    try:
        find = _from_file if _is_path(target, base) else _from_module
        name, root, source = find(target, base)
        _on_path(root)
        _forget(name, root)
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            raise _import_error(target, name, source, exc) from exc
    finally:
        if isolated:
            sys.path[:] = path
            _restore(modules, root)
    attributes, handlers = handlers_of(module)
    app = App(
        module=module,
        name=name,
        root=root,
        source=source,
        handlers=handlers,
        attributes=attributes,
    )
    if not handlers:
        raise ConfigurationError(
            f"app {target!r} ({source}) declares no faaskit handlers; decorate a function "
            "with @faaskit.handler"
        )
    if wanted is None:
        return app
    chosen = app.handler(wanted)
    return attrs.evolve(app, handlers=(chosen,), attributes=(app.attribute(chosen),))
