"""The Azure Functions project holds unchecked-hash byte code when the build interpreter is
the runtime's version, and the real Azure Functions runtime imports the app from it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from faaskit.deploy import Settings, build
from tests.deploy.artifacts import files
from tests.deploy.helpers import ROOT

HELLO = ROOT / "samples" / "hello_http" / "app.py"
THIS = f"python{sys.version_info.major}.{sys.version_info.minor}"
OTHER = "python3.9" if THIS != "python3.9" else "python3.10"


def _pycs(project: Path) -> list[str]:
    return [name for name in files(project) if name.endswith(".pyc")]


def test_every_module_of_the_project_has_unchecked_hash_byte_code(tmp_path: Path) -> None:
    build(str(HELLO), target="azure", out=tmp_path / "out", settings=Settings(runtime=THIS))
    project = tmp_path / "out" / "azure"
    tag = sys.implementation.cache_tag
    sources = [name for name in files(project) if name.endswith(".py")]
    assert {"function_app.py", "app.py", "faaskit/__init__.py"} <= set(sources)
    for source in sources:
        folder, _, name = source.rpartition("/")
        cached = project / folder / "__pycache__" / f"{name[:-3]}.{tag}.pyc"
        data = cached.read_bytes()
        assert int.from_bytes(data[4:8], "little") == 0b01, source  # PEP 552: unchecked hash
    ignored = (project / ".funcignore").read_text(encoding="utf-8").split()
    assert "__pycache__" not in ignored and "*.pyc" not in ignored  # published with the code


def test_the_byte_code_is_the_same_for_the_same_sources(tmp_path: Path) -> None:
    for out in ("one", "two"):
        build(str(HELLO), target="azure", out=tmp_path / out, settings=Settings(runtime=THIS))
    one, two = tmp_path / "one" / "azure", tmp_path / "two" / "azure"
    assert _pycs(one) == _pycs(two) != []
    assert all((one / name).read_bytes() == (two / name).read_bytes() for name in _pycs(one))


def test_no_byte_code_for_a_runtime_of_another_version(tmp_path: Path) -> None:
    build(str(HELLO), target="azure", out=tmp_path / "out", settings=Settings(runtime=OTHER))
    project = tmp_path / "out" / "azure"
    assert _pycs(project) == []
    # a local `func start` writes __pycache__ for its own interpreter: never published
    ignored = (project / ".funcignore").read_text(encoding="utf-8").split()
    assert "__pycache__" in ignored and "*.pyc" in ignored


def _build_under(python: str, app: Path, out: Path) -> None:
    """``faaskit build --target azure`` run by ``python`` (the runtime's interpreter, which
    has attrs and azure-functions) from this checkout, with pathspec from this environment.
    """
    import pathspec

    shim = out.parent / "shim"
    shim.mkdir()
    (shim / "pathspec").symlink_to(Path(pathspec.__file__).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join([str(shim), str(ROOT), str(ROOT / "adapters")])
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # nothing written into this checkout
    done = subprocess.run(
        [python, "-m", "faaskit", "build", str(app), "--target", "azure", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.mark.runtime
def test_the_real_runtime_runs_the_app_from_its_byte_code(tmp_path: Path) -> None:
    """Unchecked pycs are used as they are: a source edited after the build is not read, so
    the answer comes from the compiled module.
    """
    from faaskit.testing.azure_host import AzureHost, runtime_python

    python = runtime_python()
    if python is None:
        pytest.skip("no Python 3.13 with azure-functions-runtime")
    _build_under(str(python), HELLO, tmp_path / "out")
    project = tmp_path / "out" / "azure"
    assert any(name.startswith("__pycache__/app.cpython-313") for name in _pycs(project))
    source = project / "app.py"
    source.write_text(source.read_text(encoding="utf-8").replace("Bonjour", "Salut"))
    with AzureHost(project) as host:
        assert [f.name for f in host.functions()] == ["hello"]
        reply = host.request("GET", "/hello/Ada?lang=fr")
        assert reply.http is not None and reply.http.status == 200
        assert reply.http.json()["message"] == "Bonjour, Ada!"
