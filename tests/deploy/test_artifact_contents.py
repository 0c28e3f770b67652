"""What ``package.zip`` and the Azure project hold: the app's importable code, its
requirements and faaskit's runtime; never tests, dotfiles, logs, local settings, keys or
secrets; less again with a ``.faaskitignore``. Byte code for the runtime when the build
interpreter is its version; pip installs cached by what they depend on.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from faaskit.deploy import Settings, build
from faaskit.exceptions import ConfigurationError
from tests.deploy.artifacts import files, unzip
from tests.deploy.helpers import ROOT, write_wheel

HELLO = ROOT / "samples" / "hello_http" / "app.py"
THIS = f"python{sys.version_info.major}.{sys.version_info.minor}"
OTHER = "python3.9" if THIS != "python3.9" else "python3.10"

NEVER_SHIPPED = {
    "tests/test_app.py": "def test_x(): pass\n",
    "test/data.json": "{}",
    "conftest.py": "",
    "test_smoke.py": "",
    "lib/helpers_test.py": "",
    "__main__.py": "from faaskit.testing import lambda_context\n",
    "faaskit.toml": "[app]\nname = 'svc'\n",
    ".env": "DB_PASSWORD=hunter2\n",
    ".git/config": "[core]\n",
    ".vscode/settings.json": "{}",
    "debug.log": "boom\n",
    "logs/app.log": "boom\n",
    "local.settings.json": '{"Values": {"AzureWebJobsStorage": "DefaultEndpointsProtocol=..."}}',
    "key.pem": "-----BEGIN PRIVATE KEY-----\n",
    "certs/client.key": "x",
    "secrets.json": '{"token": "t"}',
    "config/secrets.yaml": "token: t\n",
}
SHIPPED = {"lib/__init__.py": "", "lib/helpers.py": "X = 1\n", "templates/page.html": "<p>",
           "data/countries.json": "[]", "requirements.txt": ""}  # fmt: skip


def _app(folder: Path, extra: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    for rel, text in extra.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder / "app.py"


def _shipped(out: Path, tmp_path: Path) -> tuple[set[str], set[str]]:
    code = unzip(out / "aws" / "package.zip", tmp_path / "code")
    return set(files(code)), set(files(out / "azure"))


def test_tests_dotfiles_logs_settings_keys_and_secrets_never_ship(tmp_path: Path) -> None:
    app = _app(tmp_path / "svc", {**NEVER_SHIPPED, **SHIPPED})
    build(str(app), target="all", out=tmp_path / "out")
    aws, azure = _shipped(tmp_path / "out", tmp_path)
    assert {"app.py", *SHIPPED} <= aws and {"app.py", *SHIPPED} <= azure
    assert aws & set(NEVER_SHIPPED) == set()
    # the Azure project's local.settings.json is faaskit's own (for `func start`; .funcignore
    # keeps it from being published), never the app's
    assert azure & set(NEVER_SHIPPED) == {"local.settings.json"}
    text = (tmp_path / "out" / "azure" / "local.settings.json").read_text(encoding="utf-8")
    assert "DefaultEndpointsProtocol" not in text


def test_a_faaskitignore_adds_exclusions_in_gitignore_syntax(tmp_path: Path) -> None:
    ignore = "# local data\ndata/\n*.html\n!keep.html\nlib/**/generated_*.py\n"
    app = _app(tmp_path / "svc", {**SHIPPED, ".faaskitignore": ignore, "keep.html": "k",
                                  "lib/sub/generated_a.py": "", "lib/sub/real.py": ""})  # fmt: skip
    build(str(app), target="all", out=tmp_path / "out")
    for shipped in _shipped(tmp_path / "out", tmp_path):
        assert {"app.py", "lib/helpers.py", "lib/sub/real.py", "keep.html"} <= shipped
        gone = {"data/countries.json", "templates/page.html", "lib/sub/generated_a.py"}
        assert shipped & gone == set()
        assert ".faaskitignore" not in shipped


@pytest.mark.parametrize("ignore", ["app.py\n", "*.py\n"])
def test_ignoring_the_app_module_itself_is_refused(tmp_path: Path, ignore: str) -> None:
    app = _app(tmp_path / "svc", {".faaskitignore": ignore})
    with pytest.raises(ConfigurationError, match=r"app\.py is the app's module.*\.faaskitignore"):
        build(str(app), target="aws", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def _pycs(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.endswith(".pyc")}


def test_the_package_holds_unchecked_hash_byte_code_for_its_runtime(tmp_path: Path) -> None:
    build(str(HELLO), target="aws", out=tmp_path / "out", settings=Settings(runtime=THIS))
    zip_path = tmp_path / "out" / "aws" / "package.zip"
    with zipfile.ZipFile(zip_path) as archive:
        sources = [n for n in archive.namelist() if n.endswith(".py")]
    pycs = _pycs(zip_path)
    tag = sys.implementation.cache_tag
    for source in sources:
        folder, _, name = source.rpartition("/")
        cached = f"{folder}/__pycache__/{name[:-3]}.{tag}.pyc".lstrip("/")
        assert cached in pycs, source
        flags = int.from_bytes(pycs[cached][4:8], "little")
        assert flags == 0b01, source  # hash-based (bit 0), unchecked (bit 1 clear): PEP 552


def test_no_byte_code_for_a_runtime_of_another_version(tmp_path: Path) -> None:
    build(str(HELLO), target="aws", out=tmp_path / "out", settings=Settings(runtime=OTHER))
    assert _pycs(tmp_path / "out" / "aws" / "package.zip") == {}


def test_the_unpacked_package_runs_from_its_byte_code(tmp_path: Path) -> None:
    """Unchecked pycs are used as they are: a source changed after the build is not read."""
    build(str(HELLO), target="aws", out=tmp_path / "out", settings=Settings(runtime=THIS))
    code = unzip(tmp_path / "out" / "aws" / "package.zip", tmp_path / "code")
    source = code / "app.py"
    source.write_text(source.read_text(encoding="utf-8") + "\nraise SystemExit(3)\n")
    script = f"import sys; sys.path.insert(0, {str(code)!r}); import app; print(app.__cached__)"
    done = subprocess.run([sys.executable, "-I", "-S", "-B", "-c", script],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(".pyc")


def test_byte_code_names_the_file_inside_the_package(tmp_path: Path) -> None:
    import marshal

    build(str(HELLO), target="aws", out=tmp_path / "out", settings=Settings(runtime=THIS))
    pycs = _pycs(tmp_path / "out" / "aws" / "package.zip")
    app = next(data for name, data in pycs.items() if name.startswith("__pycache__/app."))
    assert marshal.loads(app[16:]).co_filename == "app.py"


@pytest.fixture
def app_with_wheel(tmp_path: Path) -> tuple[Path, Settings]:
    wheels = tmp_path / "wheels"
    write_wheel(wheels, "tinydep")
    app = _app(tmp_path / "svc", {"requirements.txt": "tinydep\n"})
    return app, Settings(pip_args=("--no-index", "--find-links", str(wheels)))


def _count_pip(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    import faaskit.deploy._package as package

    seen: list[list[str]] = []
    real = subprocess.run

    def spy(command: list[str], **kwargs: Any) -> Any:
        if "pip" in command:
            seen.append(list(command))
        return real(command, **kwargs)

    monkeypatch.setattr(package.subprocess, "run", spy)
    return seen


def test_an_unchanged_rebuild_takes_dependencies_from_the_cache(
    app_with_wheel: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAASKIT_CACHE_DIR", str(tmp_path / "cache"))
    app, settings = app_with_wheel
    seen = _count_pip(monkeypatch)
    build(str(app), target="aws", out=tmp_path / "one", settings=settings)
    assert len(seen) == 1
    build(str(app), target="aws", out=tmp_path / "two", settings=settings)
    assert len(seen) == 1  # the cache answered
    one = (tmp_path / "one" / "aws" / "package.zip").read_bytes()
    assert one == (tmp_path / "two" / "aws" / "package.zip").read_bytes()
    assert "tinydep/__init__.py" in zipfile.ZipFile(tmp_path / "two/aws/package.zip").namelist()


def test_a_changed_requirement_or_wheel_installs_afresh(
    app_with_wheel: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAASKIT_CACHE_DIR", str(tmp_path / "cache"))
    app, settings = app_with_wheel
    seen = _count_pip(monkeypatch)
    build(str(app), target="aws", out=tmp_path / "out", settings=settings)
    (app.parent / "requirements.txt").write_text("tinydep>=1\n", encoding="utf-8")
    build(str(app), target="aws", out=tmp_path / "out", settings=settings)
    assert len(seen) == 2
    (tmp_path / "wheels" / "tinydep-1.0-py3-none-any.whl").unlink()
    write_wheel(tmp_path / "wheels", "tinydep", "2.0")
    build(str(app), target="aws", out=tmp_path / "out", settings=settings)
    assert len(seen) == 3
    with zipfile.ZipFile(tmp_path / "out" / "aws" / "package.zip") as archive:
        assert "tinydep-2.0.dist-info/METADATA" in archive.namelist()
        assert archive.read("tinydep/__init__.py") == b"VERSION = '2.0'\n"


def test_the_cache_can_be_turned_off(
    app_with_wheel: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAASKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FAASKIT_NO_CACHE", "1")
    app, settings = app_with_wheel
    seen = _count_pip(monkeypatch)
    for _ in range(2):
        build(str(app), target="aws", out=tmp_path / "out", settings=settings)
    assert len(seen) == 2
    assert not (tmp_path / "cache").exists()
