"""Hashed requirements: hash-mode detection, boto3 placement beside hashed pins, file: URLs
and attrs pins on Azure.

Everything runs offline: wheels are written by hand into ``tmp_path`` and pip is pointed at an
index that does not answer, so a pip run that ignores the app's own options fails fast.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from faaskit.deploy import Settings, build
from faaskit.deploy._package import checks_hashes
from faaskit.exceptions import ConfigurationError
from tests.deploy.helpers import ROOT, write_wheel

HELLO = ROOT / "samples" / "hello_http" / "app.py"


def _app(tmp_path: Path, requirements: str) -> Path:
    app = tmp_path / "svc"
    app.mkdir(exist_ok=True)
    (app / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    (app / "requirements.txt").write_text(requirements, encoding="utf-8")
    return app / "app.py"


def _wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> str:
    """A pure-Python wheel of ``name`` (depending on ``requires``); returns its sha256."""
    return hashlib.sha256(write_wheel(folder, name, version, requires).read_bytes()).hexdigest()


def _version(zip_path: Path, name: str) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.read(f"{name}/__init__.py").decode()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """pip's default index is a closed port: only the app's own options can find wheels."""
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "2")


@pytest.mark.parametrize(
    "line",
    [
        "tinydep @ https://files.example/tinydep--hash-1.0-py3-none-any.whl",
        "tinydep @ https://files.example/tinydep-1.0-py3-none-any.whl#x--hash=sha256:ab",
    ],
)
def test_hash_text_inside_a_url_is_no_hash_option(tmp_path: Path, line: str) -> None:
    assert not checks_hashes([line])
    # so the Azure build does not demand hashed azure-functions and attrs lines
    build(str(_app(tmp_path, line + "\n")), target="azure", out=tmp_path / "out")
    text = (tmp_path / "out" / "azure" / "requirements.txt").read_text(encoding="utf-8")
    assert "azure-functions" in text and line in text.splitlines()


@pytest.mark.parametrize(
    "lines",
    [
        ["--index-url https://mirror.example/simple --require-hashes", "tinydep==1.0"],
        ["--no-index --require-hashes", "tinydep==1.0"],
        ["tinydep==1.0 --hash sha256:" + "a" * 64],
    ],
)
def test_hash_mode_is_seen_wherever_pip_sees_it(lines: list[str]) -> None:
    assert checks_hashes(lines)


def test_boto3_alone_is_found_through_the_app_index_options(tmp_path: Path, offline: None) -> None:
    wheels = tmp_path / "svc" / "wheels"
    digest = _wheel(wheels, "tinydep", "1.0")
    _wheel(wheels, "boto3", "9.9")
    app = _app(tmp_path, f"--no-index\n-f wheels\ntinydep==1.0 --hash=sha256:{digest}\n")
    build(str(app), target="aws", out=tmp_path / "out", settings=Settings(include_boto3=True))
    package = tmp_path / "out" / "aws" / "package.zip"
    assert _version(package, "boto3") == "VERSION = '9.9'\n"
    assert _version(package, "tinydep") == "VERSION = '1.0'\n"


def test_hashed_boto3_pin_is_what_ships(tmp_path: Path, offline: None) -> None:
    wheels = tmp_path / "svc" / "wheels"
    digest = _wheel(wheels, "boto3", "1.0")
    _wheel(wheels, "boto3", "9.9")
    app = _app(tmp_path, f"--no-index\n-f wheels\nboto3==1.0 --hash=sha256:{digest}\n")
    build(str(app), target="aws", out=tmp_path / "out", settings=Settings(include_boto3=True))
    assert _version(tmp_path / "out" / "aws" / "package.zip", "boto3") == "VERSION = '1.0'\n"


def test_boto3_alone_does_not_replace_hashed_pins_of_its_dependencies(
    tmp_path: Path, offline: None
) -> None:
    wheels = tmp_path / "svc" / "wheels"
    digest = _wheel(wheels, "tinydep", "1.0")
    _wheel(wheels, "tinydep", "2.0")
    _wheel(wheels, "boto3", "9.9", requires=("tinydep",))
    app = _app(tmp_path, f"--no-index\n-f wheels\ntinydep==1.0 --hash=sha256:{digest}\n")
    build(str(app), target="aws", out=tmp_path / "out", settings=Settings(include_boto3=True))
    package = tmp_path / "out" / "aws" / "package.zip"
    assert _version(package, "tinydep") == "VERSION = '1.0'\n"  # the hashed, checked one
    assert _version(package, "boto3") == "VERSION = '9.9'\n"


@pytest.mark.parametrize(
    "line", ["-ffile:///srv/wheels", '--find-links "file:///srv/wheels"', "-rfile:///srv/r.txt"]
)
def test_azure_refuses_file_urls_in_every_spelling_pip_takes(tmp_path: Path, line: str) -> None:
    with pytest.raises(ConfigurationError, match="file: URL"):
        build(str(_app(tmp_path, line + "\n")), target="azure", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("pin", ["attrs==23.1.0", "attrs == 22.2.0"])
def test_azure_hashed_attrs_older_than_faaskit_needs_is_refused(tmp_path: Path, pin: str) -> None:
    # attrs < 23.2 has no slot for Message.text: reading it would raise on Azure
    lines = (
        "azure-functions==1.21.0 --hash=sha256:" + "a" * 64,
        pin + " --hash=sha256:" + "b" * 64,
    )
    with pytest.raises(ConfigurationError, match=r"attrs>=23\.2"):
        build(str(_app(tmp_path, "\n".join(lines) + "\n")), target="azure", out=tmp_path / "out")


@pytest.mark.parametrize("pin", ["attrs==23.2.0", "attrs==24.2.0", "attrs==25.1"])
def test_azure_hashed_attrs_new_enough_is_taken(tmp_path: Path, pin: str) -> None:
    lines = (
        "azure-functions==1.21.0 --hash=sha256:" + "a" * 64,
        pin + " --hash=sha256:" + "b" * 64,
    )
    build(str(_app(tmp_path, "\n".join(lines) + "\n")), target="azure", out=tmp_path / "out")
    text = (tmp_path / "out" / "azure" / "requirements.txt").read_text(encoding="utf-8")
    assert text.splitlines() == list(lines)
