"""The runtime/tooling boundary (``faaskit.deploy._boundary``): runtime never imports tooling."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from faaskit.deploy._boundary import RUNTIME_PACKAGES, TOOLING, is_tooling, tooling_parts

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"faaskit": ROOT / "faaskit", "faaskit_aws": ROOT / "adapters" / "faaskit_aws",
           "faaskit_azure": ROOT / "adapters" / "faaskit_azure"}  # fmt: skip


def modules() -> Iterator[tuple[str, Path]]:
    """Every module of the three packages as (dotted name, file)."""
    for package, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = [package, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def imported(name: str, path: Path) -> Iterator[tuple[int, str]]:
    """Every module an import statement of ``path`` names (function-level imports included),
    with relative imports resolved against ``name``.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield node.lineno, base
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


RUNTIME = [(name, path) for name, path in modules() if not is_tooling(name)]
TOOLS = [(name, path) for name, path in modules() if is_tooling(name)]


def _private(target: str) -> str | None:
    """The private runtime module ``target`` reaches into (``faaskit._cron`` for
    ``faaskit._cron.parse``), or None for a public name.
    """
    parts = target.split(".")
    if parts[0] not in SOURCES or is_tooling(target):
        return None
    for index, part in enumerate(parts[1:], start=1):
        if part.startswith("_") and part != "__init__":
            return ".".join(parts[: index + 1])
    return None


def test_the_boundary_lists_every_package_and_only_existing_tooling() -> None:
    assert set(RUNTIME_PACKAGES) == set(SOURCES)
    known = {name for name, _ in modules()}
    assert [name for name in TOOLING if name not in known] == []
    assert tooling_parts("faaskit") == (
        "__main__",
        "cli",
        "deploy",
        "devserver",
        "testing",
        "tooling",
    )
    assert tooling_parts("faaskit_aws") == ("deploy",)
    assert len(RUNTIME) > 40  # the walk found the runtime, not an empty tree


def test_no_runtime_module_imports_tooling() -> None:
    bad = [f"{path.relative_to(ROOT)}:{line} imports {target}"
           for name, path in RUNTIME for line, target in imported(name, path)
           if is_tooling(target)]  # fmt: skip
    assert bad == []


def test_tooling_imports_runtime_only_through_public_names() -> None:
    used: dict[str, list[str]] = {}
    for name, path in TOOLS:
        for line, target in imported(name, path):
            private = _private(target)
            if private is not None:
                used.setdefault(private, []).append(f"{path.relative_to(ROOT)}:{line}")
    assert used == {}


def test_private_names_are_told_apart_from_public_ones() -> None:
    assert _private("faaskit._cron.parse") == "faaskit._cron"
    assert _private("faaskit.storage._file") == "faaskit.storage._file"
    assert _private("faaskit_azure._bindings") == "faaskit_azure._bindings"
    assert _private("faaskit.adapter.Http") is None
    assert _private("faaskit.deploy._model") is None  # tooling to tooling
    assert _private("json.decoder") is None


def test_the_import_walk_sees_nested_and_relative_imports(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text(
        "def f():\n    from faaskit.testing import x\n"
        "from . import cli\nfrom ..deploy import _model\nimport faaskit_aws.deploy\n",
        encoding="utf-8",
    )
    found = {target for _, target in imported("faaskit.sub.mod", source)}
    assert {"faaskit.testing", "faaskit.sub.cli", "faaskit.deploy._model"} <= found
    assert [t for t in sorted(found) if is_tooling(t)] == [
        "faaskit.deploy", "faaskit.deploy._model", "faaskit.testing", "faaskit.testing.x",
        "faaskit_aws.deploy",
    ]  # fmt: skip
