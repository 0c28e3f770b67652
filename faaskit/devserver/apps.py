"""Find and import a user's app (``APP`` on the command line) and the handlers it holds.

``APP`` is a module name (``shop.api``) or a file (``app.py``, ``src/shop/api.py``),
optionally followed by ``:handler``. Import failures become one-line
:class:`~faaskit.exceptions.ConfigurationError` messages naming the file and line at fault.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
import types
from pathlib import Path

import attrs

from faaskit import Handler
from faaskit.exceptions import ConfigurationError

__all__ = ["App", "ensure_adapters", "load_app", "split_target"]


@attrs.frozen(kw_only=True)
class App:
    """An imported app: its module, the handlers it holds (definition order) and its file."""

    module: types.ModuleType
    handlers: tuple[Handler, ...]
    path: Path | None

    def handler(self, name: str) -> Handler:
        """The handler called ``name`` (deployed name or Python name)."""
        for found in self.handlers:
            if name in (found.name, getattr(found, "__name__", None)):
                return found
        value = getattr(self.module, name, None)
        if isinstance(value, Handler):
            return value
        known = ", ".join(h.name for h in self.handlers) or "none"
        raise ConfigurationError(
            f"{self.where}: no handler named {name!r} (handlers: {known}); "
            "decorate the function with @faaskit.handler"
        )

    @property
    def where(self) -> str:
        """The app's file, or its module name."""
        return str(self.path) if self.path else self.module.__name__


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


def _module_name(spec: str) -> tuple[str, Path | None]:
    path = Path(spec)
    if spec.endswith(".py") or path.is_file() or "/" in spec or "\\" in spec:
        if path.is_dir() and (path / "__init__.py").is_file():
            path = path / "__init__.py"
        if not path.is_file():
            raise ConfigurationError(f"app file {spec!r} does not exist")
        path = path.resolve()
        folder = path.parent
        parts = [] if path.stem == "__init__" else [path.stem]
        while (folder / "__init__.py").is_file():
            parts.insert(0, folder.name)
            folder = folder.parent
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
        return ".".join(parts), path
    if "" not in sys.path and str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    return spec, None


def _import_error(spec: str, path: Path | None, exc: BaseException) -> ConfigurationError:
    where = str(path) if path else spec
    if isinstance(exc, SyntaxError):
        return ConfigurationError(
            f"app {where} does not import: syntax error at {exc.filename}, line {exc.lineno}: "
            f"{exc.msg}"
        )
    if isinstance(exc, ModuleNotFoundError) and exc.name and spec.startswith(exc.name):
        return ConfigurationError(
            f"app {spec!r} not found: no module named {exc.name!r}; give a file path "
            "(app.py) or run from the folder that holds the package"
        )
    frames = traceback.extract_tb(exc.__traceback__)
    user = [f for f in frames if "importlib" not in f.filename]
    line = f" ({user[-1].filename}, line {user[-1].lineno})" if user else ""
    hint = ""
    if isinstance(exc, ModuleNotFoundError):
        hint = f"; install {exc.name!r} or add it to the app's requirements"
    return ConfigurationError(
        f"app {where} does not import: {type(exc).__name__}: {exc}{line}{hint}"
    )


def load_app(spec: str) -> App:
    """Import ``spec`` (a module name or a file, without ``:handler``)."""
    ensure_adapters()
    name, path = _module_name(spec)
    try:
        if name in sys.modules:
            del sys.modules[name]
        module = importlib.import_module(name)
    except Exception as exc:
        raise _import_error(spec, path, exc) from exc
    seen: dict[int, Handler] = {}
    for value in vars(module).values():
        if isinstance(value, Handler):
            seen.setdefault(id(value), value)
    return App(module=module, handlers=tuple(seen.values()), path=path)
