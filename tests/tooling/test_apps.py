"""``faaskit.tooling.apps``: the one app loader of the CLI, the builders, the dev server and
the testing fixtures.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

import faaskit
from faaskit.exceptions import ConfigurationError
from faaskit.tooling.apps import App, load_app, split_target

TWO = """
import faaskit

@faaskit.handler(faaskit.http("GET", "/a"), name="first-one")
def first(req, ctx):
    return {"app": __name__, "which": "first"}

alias = first

@faaskit.handler(faaskit.http("GET", "/b"))
def second(req, ctx):
    return {"app": __name__, "which": "second"}
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """``src/ldr_shop/web/api.py`` inside two packages; returns ``src``."""
    src = tmp_path / "src"
    _write(src / "ldr_shop" / "__init__.py", "")
    _write(src / "ldr_shop" / "web" / "__init__.py", "")
    _write(src / "ldr_shop" / "web" / "api.py", TWO)
    return src


def test_a_file_in_packages_is_the_same_app_as_its_module_name(package: Path) -> None:
    by_file = load_app("ldr_shop/web/api.py", cwd=package, isolated=True)
    by_name = load_app("ldr_shop.web.api", cwd=package, isolated=True)
    for app in (by_file, by_name):
        assert (app.name, app.root, app.include) == ("ldr_shop.web.api", package, ("ldr_shop",))
        assert app.source == package / "ldr_shop" / "web" / "api.py"
        assert app.folder == package / "ldr_shop" / "web"
        assert [h.name for h in app.handlers] == ["first-one", "second"]
        assert app.attributes == ("first", "second")  # the alias counts once, as first


def test_a_top_level_file_ships_its_folder_and_a_package_folder_its_package(
    tmp_path: Path, package: Path
) -> None:
    _write(tmp_path / "loose" / "ldr_loose.py", TWO)
    loose = load_app(str(tmp_path / "loose" / "ldr_loose.py"), isolated=True)
    assert (loose.name, loose.root, loose.include) == ("ldr_loose", tmp_path / "loose", ())
    _write(package / "ldr_shop" / "web" / "__init__.py", TWO)
    folder = load_app("ldr_shop/web", cwd=package, isolated=True)
    assert (folder.name, folder.root, folder.include) == ("ldr_shop.web", package, ("ldr_shop",))


def test_module_colon_handler_keeps_that_handler_by_name_or_attribute(package: Path) -> None:
    for target in ("ldr_shop.web.api:first-one", "ldr_shop/web/api.py:first"):
        app = load_app(target, cwd=package, isolated=True)
        assert [h.name for h in app.handlers] == ["first-one"]
        assert app.attribute(app.handlers[0]) == "first"
    with pytest.raises(ConfigurationError, match=r"api\.py: no handler named 'third'.*second"):
        load_app("ldr_shop.web.api:third", cwd=package, isolated=True)


def test_split_target_leaves_paths_alone() -> None:
    assert split_target("app.py:hello") == ("app.py", "hello")
    assert split_target("shop.api") == ("shop.api", None)
    assert split_target(r"C:\apps\app.py") == (r"C:\apps\app.py", None)


@pytest.mark.parametrize(
    ("files", "spec", "message"),
    [
        ({}, "absent.py", r"app file 'absent.py' does not exist"),
        ({}, "ldr_absent_module", r"no module named 'ldr_absent_module'"),
        ({"my-app.py": TWO}, "my-app.py", r"'my-app.py' is not an importable.*my_app\.py"),
        ({"ldr_empty.py": "X = 1\n"}, "ldr_empty.py", r"ldr_empty\.py.*declares no faaskit"),
        (
            {"ldr_syntax.py": "def f(:\n"},
            "ldr_syntax.py",
            r"syntax error at .*ldr_syntax\.py, line 1",
        ),
        (
            {"ldr_boom.py": "import faaskit\nraise RuntimeError('no config')\n"},
            "ldr_boom.py",
            r"'ldr_boom.py' \(ldr_boom\) does not import: RuntimeError: no config .*line 2",
        ),
        (
            {"ldr_dep.py": "import ldr_not_installed\n"},
            "ldr_dep.py",
            r"ModuleNotFoundError.*install 'ldr_not_installed'",
        ),
    ],
)
def test_bad_apps_are_one_typed_error_naming_what_is_at_fault(
    tmp_path: Path, files: dict[str, str], spec: str, message: str
) -> None:
    for name, text in files.items():
        _write(tmp_path / name, text)
    with pytest.raises(ConfigurationError, match=message):
        load_app(spec, cwd=tmp_path, isolated=True)


def test_an_invalid_declaration_names_the_file_line_and_handler(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "ldr_route.py",
        """
        import faaskit

        @faaskit.handler(faaskit.http("GET", "no-slash"))
        def broken(req, ctx):
            return {}
        """,
    )
    with pytest.raises(ConfigurationError) as caught:
        load_app(str(source), isolated=True)
    assert str(caught.value).startswith(f"{source}:4, handler 'broken': ")


def test_an_isolated_load_leaves_the_interpreter_as_it_was(tmp_path: Path) -> None:
    _write(tmp_path / "ldr_iso_util.py", "GREETING = 'hi'\n")
    _write(tmp_path / "ldr_iso.py", "import ldr_iso_util\n" + TWO)
    path, modules = list(sys.path), set(sys.modules)
    app = load_app("ldr_iso.py", cwd=tmp_path, isolated=True)
    assert app.module.__name__ == "ldr_iso" and len(app.handlers) == 2
    assert sys.path == path
    assert {"ldr_iso", "ldr_iso_util"}.isdisjoint(sys.modules)
    assert set(sys.modules) - modules <= {m for m in sys.modules if m.startswith("faaskit")}


def test_apps_of_the_same_name_in_two_folders_are_each_loaded_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "modules", dict(sys.modules))
    for which in ("one", "two"):
        _write(tmp_path / which / "ldr_same" / "__init__.py", "")
        _write(tmp_path / which / "ldr_same" / "api.py", TWO.replace('"first"', f'"{which}"'))
    one = load_app("ldr_same.api", cwd=tmp_path / "one")
    two = load_app("ldr_same.api", cwd=tmp_path / "two")
    assert one.handlers[0](object())["which"] == "one"
    assert two.handlers[0](object())["which"] == "two"
    assert sys.modules["ldr_same"].__file__ == str(tmp_path / "two" / "ldr_same" / "__init__.py")


def test_an_imported_module_becomes_an_app(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "modules", dict(sys.modules))
    module = load_app("ldr_shop.web.api", cwd=package).module
    app = App.of(module)
    assert (app.name, app.root, app.source) == (
        "ldr_shop.web.api",
        package,
        Path(module.__file__ or ""),
    )
    assert app.handler("second") is module.second
    assert isinstance(app.handler("first-one"), faaskit.Handler)


def test_every_tool_uses_this_loader(package: Path) -> None:
    from faaskit.deploy import load_app as deploy_load_app
    from faaskit.devserver import apps as old_home

    assert old_home.load_app is load_app and old_home.App is App
    built = deploy_load_app("ldr_shop/web/api.py", cwd=package)
    assert (built.module, built.root, built.include) == ("ldr_shop.web.api", package, ("ldr_shop",))
    assert [f.attr for f in built.functions] == ["first", "second"]
    with pytest.raises(ConfigurationError, match=r"no module named 'ldr_nowhere'"):
        deploy_load_app("ldr_nowhere", cwd=package)


def test_no_other_tool_puts_an_app_on_sys_path() -> None:
    """The loader is the only tooling module that edits ``sys.path``: a second way of
    importing apps would be a second loader. The Azure worker script is no loader: it runs
    in its own process and lays out that process's path as the Functions host does.
    """
    import ast

    from faaskit.deploy._boundary import is_tooling

    root = Path(__file__).resolve().parents[2]
    edits: list[str] = []
    for path in sorted([*root.glob("faaskit/**/*.py"), *root.glob("adapters/*/deploy/*.py")]):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[1:] if parts[0] == "adapters" else parts).removesuffix(".__init__")
        if not is_tooling(name) or name in (
            "faaskit.tooling.apps",
            "faaskit.testing._azure_runner",
        ):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and ast.unparse(node) == "sys.path":
                edits.append(f"{name}:{node.lineno}")
    assert edits == []
