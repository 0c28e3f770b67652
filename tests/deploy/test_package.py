"""The Lambda package: self-contained, dependencies installed for the Lambda platform by pip,
boto3 left out unless asked for, and byte-identical for the same inputs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from faaskit.deploy import Settings, build
from tests.deploy.helpers import ROOT, write_wheel

HELLO = ROOT / "samples" / "hello_http" / "app.py"


@pytest.fixture
def app_with_requirements(tmp_path: Path) -> tuple[Path, Settings]:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    write_wheel(wheels, "tinydep")
    write_wheel(wheels, "boto3", "9.9")
    app = tmp_path / "svc"
    app.mkdir()
    (app / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    (app / "requirements.txt").write_text("boto3>=1.28  # provided by Lambda\ntinydep\n")
    settings = Settings(pip_args=("--no-index", "--find-links", str(wheels)))
    return app / "app.py", settings


def _names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()


def test_same_inputs_give_a_byte_identical_zip(tmp_path: Path) -> None:
    build(str(HELLO), target="aws", out=tmp_path / "one")
    time.sleep(1.1)  # a different clock must not matter
    os.utime(HELLO)
    build(str(HELLO), target="aws", out=tmp_path / "two")
    one = (tmp_path / "one" / "aws" / "package.zip").read_bytes()
    two = (tmp_path / "two" / "aws" / "package.zip").read_bytes()
    assert one == two
    with zipfile.ZipFile(tmp_path / "one" / "aws" / "package.zip") as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    # byte code for this interpreter's runtime is in it, and stays byte-identical too
    assert [n for n in names if n.endswith(".pyc")]


def test_package_runs_the_handler_with_nothing_but_the_zip(tmp_path: Path) -> None:
    from faaskit.testing.aws_http import apigw_v2

    build(str(HELLO), target="aws", out=tmp_path / "out")
    code = tmp_path / "code"
    with zipfile.ZipFile(tmp_path / "out" / "aws" / "package.zip") as archive:
        archive.extractall(code)
    event = apigw_v2("GET", "/hello/Ada", route="/hello/{name}", path_params={"name": "Ada"})
    script = (
        "import json, sys, importlib\n"
        "module, attr = sys.argv[1].rsplit('.', 1)\n"
        "handler = getattr(importlib.import_module(module), attr)\n"
        "import faaskit\n"
        "assert faaskit.__file__.startswith(sys.path[0]), faaskit.__file__\n"
        "print(json.dumps(handler(json.loads(sys.argv[2]), None)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(code)!r})\n{script}",
         "app.hello", json.dumps(event)],
        cwd=code, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    response: dict[str, Any] = json.loads(done.stdout)
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["message"] == "Hello, Ada!"
    assert not (code / "faaskit" / "deploy").exists()
    assert (code / "attrs").is_dir()


def test_dependencies_come_from_pip_and_boto3_is_left_out(
    app_with_requirements: tuple[Path, Settings], tmp_path: Path
) -> None:
    app, settings = app_with_requirements
    build(str(app), target="aws", out=tmp_path / "out", settings=settings)
    names = _names(tmp_path / "out" / "aws" / "package.zip")
    assert "tinydep/__init__.py" in names
    assert "tinydep-1.0.dist-info/METADATA" in names
    assert not [n for n in names if n.startswith("boto3")]


def test_boto3_is_shipped_when_asked_for(
    app_with_requirements: tuple[Path, Settings], tmp_path: Path
) -> None:
    app, settings = app_with_requirements
    settings = Settings(pip_args=settings.pip_args, include_boto3=True)
    build(str(app), target="aws", out=tmp_path / "out", settings=settings)
    assert "boto3/__init__.py" in _names(tmp_path / "out" / "aws" / "package.zip")


def test_pip_targets_the_lambda_platform_of_the_architecture(
    app_with_requirements: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faaskit.deploy._package as package

    seen: list[list[str]] = []
    real = subprocess.run

    def spy(command: list[str], **kwargs: Any) -> Any:
        seen.append(list(command))
        return real(command, **kwargs)

    monkeypatch.setattr(package.subprocess, "run", spy)
    app, settings = app_with_requirements
    settings = Settings(pip_args=settings.pip_args, architecture="arm64", runtime="python3.12")
    build(str(app), target="aws", out=tmp_path / "out", settings=settings)
    (command,) = [c for c in seen if "pip" in c]
    assert command[command.index("--platform") + 1] == "manylinux2014_aarch64"
    assert command[command.index("--python-version") + 1] == "3.12"
    assert "--only-binary=:all:" in command
    assert command[command.index("--target") + 1]
    assert "tinydep" in command and not any(c.startswith("boto3") for c in command)


def test_a_failing_pip_stops_the_build_and_writes_nothing(
    app_with_requirements: tuple[Path, Settings], tmp_path: Path
) -> None:
    app, _ = app_with_requirements
    (app.parent / "requirements.txt").write_text("no-such-dependency-xyz\n")
    settings = Settings(pip_args=("--no-index", "--find-links", str(tmp_path / "wheels")))
    with pytest.raises(Exception, match="no-such-dependency-xyz"):
        build(str(app), target="all", out=tmp_path / "out", settings=settings)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
