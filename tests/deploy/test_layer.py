"""The dependency layer of the Lambda package (``faaskit.deploy._layer``): made once, then
copied into every rebuild whose dependencies did not change; never used once stale, and
never used half-written.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

import faaskit
from faaskit.deploy import Settings, build
from faaskit.deploy._zip import write_zip
from tests.deploy.helpers import ROOT, write_wheel

HELLO = (ROOT / "samples" / "hello_http" / "app.py").read_text(encoding="utf-8")


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Settings]:
    monkeypatch.setenv("FAASKIT_CACHE_DIR", str(tmp_path / "cache"))
    wheels = tmp_path / "wheels"
    write_wheel(wheels, "tinydep")
    write_wheel(wheels, "otherdep")
    root = tmp_path / "svc"
    root.mkdir()
    (root / "app.py").write_text(HELLO, encoding="utf-8")
    (root / "requirements.txt").write_text("tinydep\n", encoding="utf-8")
    return root / "app.py", Settings(pip_args=("--no-index", "--find-links", str(wheels)))


def _package(app: tuple[Path, Settings], out: Path) -> bytes:
    build(str(app[0]), target="aws", out=out, settings=app[1])
    return (out / "aws" / "package.zip").read_bytes()


def _names(out: Path) -> list[str]:
    with zipfile.ZipFile(out / "aws" / "package.zip") as archive:
        return archive.namelist()


def _layers(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "layer").glob("*.zip"))


def _poison(tmp_path: Path) -> None:
    """Replace every cached layer by a whole, valid one holding ``POISON.txt``."""
    fake = tmp_path / "fake"
    fake.mkdir(exist_ok=True)
    (fake / "POISON.txt").write_text("from the cache\n", encoding="utf-8")
    for layer in _layers(tmp_path):
        write_zip(fake, layer)


def test_the_layered_package_is_the_one_built_without_any_cache(
    app: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _package(app, tmp_path / "one")
    assert len(_layers(tmp_path)) == 1
    assert _package(app, tmp_path / "two") == first
    monkeypatch.setenv("FAASKIT_NO_CACHE", "1")
    assert _package(app, tmp_path / "off") == first
    names = _names(tmp_path / "one")
    assert "tinydep/__init__.py" in names and "app.py" in names and "attrs/__init__.py" in names
    assert names == sorted(names)
    assert f"tinydep/__pycache__/__init__.{sys.implementation.cache_tag}.pyc" in names


def test_an_unchanged_rebuild_copies_the_cached_layer(
    app: tuple[Path, Settings], tmp_path: Path
) -> None:
    _package(app, tmp_path / "out")
    _poison(tmp_path)
    _package(app, tmp_path / "out")
    names = _names(tmp_path / "out")
    assert "POISON.txt" in names and "tinydep/__init__.py" not in names
    assert "app.py" in names  # the app and faaskit are zipped afresh


def test_a_changed_app_file_changes_the_package_but_not_the_layer(
    app: tuple[Path, Settings], tmp_path: Path
) -> None:
    before = _package(app, tmp_path / "out")
    app[0].write_text(HELLO.replace("Bonjour", "Salut"), encoding="utf-8")
    after = _package(app, tmp_path / "out")
    assert after != before
    with zipfile.ZipFile(tmp_path / "out" / "aws" / "package.zip") as archive:
        assert b"Salut" in archive.read("app.py")
    assert len(_layers(tmp_path)) == 1


def _change_requirements(app: tuple[Path, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    (app[0].parent / "requirements.txt").write_text("tinydep\notherdep\n", encoding="utf-8")


def _change_wheel(app: tuple[Path, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    wheels = Path(app[1].pip_args[-1])
    (wheels / "tinydep-1.0-py3-none-any.whl").unlink()
    write_wheel(wheels, "tinydep", "2.0")


def _change_faaskit(app: tuple[Path, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faaskit, "__version__", faaskit.__version__ + ".post1")


def _change_interpreter(app: tuple[Path, Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    magic = importlib.util.MAGIC_NUMBER
    monkeypatch.setattr(importlib.util, "MAGIC_NUMBER", bytes([magic[0] ^ 1]) + magic[1:])


@pytest.mark.parametrize(
    "change", [_change_requirements, _change_wheel, _change_faaskit, _change_interpreter]
)
def test_a_stale_layer_is_not_used(
    app: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Any
) -> None:
    _package(app, tmp_path / "out")
    _poison(tmp_path)
    change(app, monkeypatch)
    _package(app, tmp_path / "out")
    names = _names(tmp_path / "out")
    assert "POISON.txt" not in names
    assert "tinydep/__init__.py" in names
    assert len(_layers(tmp_path)) == 2


def test_another_architecture_gets_its_own_layer(
    app: tuple[Path, Settings], tmp_path: Path
) -> None:
    _package(app, tmp_path / "out")
    _poison(tmp_path)
    arm = Settings(pip_args=app[1].pip_args, architecture="arm64")
    _package((app[0], arm), tmp_path / "out")
    assert "POISON.txt" not in _names(tmp_path / "out")


def test_a_truncated_layer_is_made_again(app: tuple[Path, Settings], tmp_path: Path) -> None:
    whole = _package(app, tmp_path / "out")
    (layer,) = _layers(tmp_path)
    data = layer.read_bytes()
    layer.write_bytes(data[: len(data) // 2])
    assert _package(app, tmp_path / "out") == whole
    assert layer.read_bytes() == data


def test_a_build_that_dies_while_keeping_the_layer_leaves_none(
    app: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faaskit.deploy._layer as layers

    real = os.replace

    def dies(source: Any, target: Any) -> None:
        if str(target).endswith(".zip") and "layer" in str(target):
            raise KeyboardInterrupt  # the process is killed before the rename
        real(source, target)

    monkeypatch.setattr(layers.os, "replace", dies)
    with pytest.raises(KeyboardInterrupt):
        _package(app, tmp_path / "out")
    assert _layers(tmp_path) == []
    assert not (tmp_path / "out").exists()
    monkeypatch.setattr(layers.os, "replace", real)
    _package(app, tmp_path / "out")
    assert "tinydep/__init__.py" in _names(tmp_path / "out")
    assert len(_layers(tmp_path)) == 1


def test_an_app_folder_named_like_a_dependency_is_replaced_by_it(
    app: tuple[Path, Settings], tmp_path: Path
) -> None:
    own = app[0].parent / "tinydep"
    own.mkdir()
    (own / "__init__.py").write_text("MINE = True\n", encoding="utf-8")
    (own / "extra.py").write_text("", encoding="utf-8")
    _package(app, tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "out" / "aws" / "package.zip") as archive:
        assert archive.read("tinydep/__init__.py") == b"VERSION = '1.0'\n"
        assert "tinydep/extra.py" not in archive.namelist()
