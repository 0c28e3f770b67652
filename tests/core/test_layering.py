"""The layering of the runtime (AST over every module of ``faaskit/`` and ``adapters/``).

- the core never imports an adapter; the only cloud module paths it names are the lazily
  loaded tables (``faaskit._pipeline.ADAPTERS``, the storage backends);
- an adapter reaches the core only through its documented interface: ``faaskit``,
  ``faaskit.adapter``, ``faaskit.exceptions`` and the public storage modules, never a private
  ``faaskit._*`` module;
- no import cycle among module-level imports anywhere;
- no cycle among the tooling packages (CLI, deploy, dev server, testing, the adapters' build
  code), counting imports inside functions too: each imports the others one way only.

Runtime -> tooling is ``test_boundary.py``'s rule.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from faaskit.deploy._boundary import TOOLING, is_tooling

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"faaskit": ROOT / "faaskit", "faaskit_aws": ROOT / "adapters" / "faaskit_aws",
           "faaskit_azure": ROOT / "adapters" / "faaskit_azure"}  # fmt: skip
ADAPTER_PACKAGES = ("faaskit_aws", "faaskit_azure")
CLOUD_PATH = re.compile(r"^faaskit_(?:aws|azure)(?:\.\w+)*$")
# Where the core may name an adapter module: the tables it imports them from, lazily.
TABLES = {("faaskit._pipeline", "ADAPTERS"), ("faaskit.storage", "_BACKENDS")}


def modules() -> dict[str, Path]:
    """Every module of the three packages: dotted name -> file."""
    found: dict[str, Path] = {}
    for package, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = [package, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(body: list[ast.stmt], top: bool) -> Iterator[tuple[ast.stmt, bool]]:
    """Every statement with whether it runs at import time (module level, outside
    ``if TYPE_CHECKING``, not inside a function).
    """
    for node in body:
        yield node, top
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _statements(node.body, False)
        elif isinstance(node, ast.If):
            yield from _statements(node.body, top and not _is_type_checking(node))
            yield from _statements(node.orelse, top)
        elif isinstance(node, ast.ClassDef | ast.With | ast.For | ast.While):
            yield from _statements(node.body, top)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _statements(block, top)
            for handler in node.handlers:
                yield from _statements(handler.body, top)


def imports(name: str) -> Iterator[tuple[int, str, bool]]:
    """``(line, imported module, at import time)`` for every import of module ``name``.

    ``from package import name`` counts as importing ``package.name`` when that is a module,
    else ``package``; relative imports are resolved.
    """
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node, top in _statements(tree.body, True):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, top
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                target = f"{base}.{alias.name}"
                yield node.lineno, target if target in MODULES else base, top


def _private(module: str) -> bool:
    return any(part.startswith("_") and part != "__init__" for part in module.split("."))


def _runtime(name: str) -> bool:
    return not is_tooling(name)


def test_the_walk_finds_the_runtime_and_both_adapters() -> None:
    assert {"faaskit._pipeline", "faaskit.adapter", "faaskit_aws.adapter"} <= set(MODULES)
    assert "faaskit_azure.adapter" in MODULES
    assert len(MODULES) > 80


def test_the_core_never_imports_an_adapter() -> None:
    bad = [
        f"{MODULES[name].relative_to(ROOT)}:{line} imports {target}"
        for name in MODULES
        if name.split(".")[0] == "faaskit" and _runtime(name)
        for line, target, _ in imports(name)
        if target.split(".")[0] in ADAPTER_PACKAGES
    ]
    assert bad == []


def test_the_core_names_adapter_modules_only_in_its_lazy_tables() -> None:
    """A string naming an adapter module (``"faaskit_aws.adapter"``) outside the tables would
    be a second, hidden way for the core to reach a cloud.
    """
    bad: list[str] = []
    for name, path in MODULES.items():
        if name.split(".")[0] != "faaskit" or not _runtime(name):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and (name, t.id) in TABLES for t in targets):
                    allowed.update(id(n) for n in ast.walk(node))
        bad += [
            f"{path.relative_to(ROOT)}:{node.lineno} names {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and CLOUD_PATH.match(node.value)
            and id(node) not in allowed
        ]
    assert bad == []


def test_adapters_reach_the_core_only_through_its_documented_interface() -> None:
    bad = [
        f"{MODULES[name].relative_to(ROOT)}:{line} imports {target}"
        for name in MODULES
        if name.split(".")[0] in ADAPTER_PACKAGES and _runtime(name)
        for line, target, _ in imports(name)
        if target.split(".")[0] == "faaskit" and _private(target)
    ]
    assert bad == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a self-import)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the in-repo modules it imports at import time."""
    return {
        name: {target for _, target, top in imports(name) if top and target in MODULES}
        for name in MODULES
    }


def test_no_import_cycle_anywhere() -> None:
    assert _cycles(import_graph()) == []


def _tooling_package(module: str) -> str | None:
    """The :data:`TOOLING` entry ``module`` belongs to (``faaskit.devserver`` for
    ``faaskit.devserver.http``), or None for runtime.
    """
    return next((t for t in TOOLING if module == t or module.startswith(f"{t}.")), None)


def tooling_graph() -> dict[str, set[str]]:
    """Tooling package -> the other tooling packages it imports, at import time or later."""
    graph: dict[str, set[str]] = {}
    for name in MODULES:
        package = _tooling_package(name)
        if package is None:
            continue
        targets = {_tooling_package(target) for _, target, _ in imports(name)}
        graph.setdefault(package, set()).update(t for t in targets if t and t != package)
    return graph


def test_tooling_packages_import_each_other_one_way_only() -> None:
    graph = tooling_graph()
    assert "faaskit.devserver" in graph["faaskit.cli"]  # the walk sees function-level imports
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}, "e": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"], ["d"]]


def test_imports_inside_functions_and_type_checking_are_not_import_time(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import faaskit._context\n"
        "if TYPE_CHECKING:\n    import faaskit._handler\n"
        "def f():\n    import faaskit._run\n",
        encoding="utf-8",
    )
    MODULES["faaskit._probe"] = source
    try:
        seen = {target: top for _, target, top in imports("faaskit._probe")}
    finally:
        del MODULES["faaskit._probe"]
    assert seen == {"typing": True, "faaskit._context": True, "faaskit._handler": False,
                    "faaskit._run": False}  # fmt: skip
