"""The reproducible zip writer (``faaskit.deploy._zip``): archives any zip reader accepts,
the same bytes for the same files, with or without its cache of compressed entries or a
layer of entries compressed before.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from faaskit.deploy._zip import read_layer, write_zip
from faaskit.exceptions import ConfigurationError

FILES = {
    "app.py": b"print('hi')\n" * 50,
    "caf\u00e9/menu.txt": "cr\u00e8me br\u00fbl\u00e9e".encode(),
    "empty.txt": b"",
    "lib/noise.bin": os.urandom(4096),  # deflating makes it larger: stored as it is
    "bin/tool": b"#!/bin/sh\necho ok\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    for name, data in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "bin" / "tool").chmod(0o755)
    return root


def test_the_archive_holds_every_file_intact(folder: Path, tmp_path: Path) -> None:
    write_zip(folder, tmp_path / "a.zip")
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert archive.testzip() is None
        assert archive.namelist() == sorted(FILES)
        assert {n: archive.read(n) for n in archive.namelist()} == FILES
        infos = {i.filename: i for i in archive.infolist()}
    assert infos["lib/noise.bin"].compress_type == zipfile.ZIP_STORED
    assert infos["app.py"].compress_type == zipfile.ZIP_DEFLATED
    assert infos["app.py"].compress_size < infos["app.py"].file_size
    assert {i.date_time for i in infos.values()} == {(1980, 1, 1, 0, 0, 0)}
    modes = {n: stat.S_IMODE(i.external_attr >> 16) for n, i in infos.items()}
    assert modes["bin/tool"] == 0o755 and modes["app.py"] == 0o644


def test_the_cache_of_compressed_entries_changes_no_byte(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAASKIT_CACHE_DIR", str(tmp_path / "cache"))
    write_zip(folder, tmp_path / "cold.zip")
    assert list((tmp_path / "cache" / "deflate").rglob("*"))
    write_zip(folder, tmp_path / "warm.zip")
    monkeypatch.setenv("FAASKIT_NO_CACHE", "1")
    write_zip(folder, tmp_path / "off.zip")
    cold = (tmp_path / "cold.zip").read_bytes()
    assert cold == (tmp_path / "warm.zip").read_bytes() == (tmp_path / "off.zip").read_bytes()


def test_a_changed_file_is_compressed_afresh(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAASKIT_CACHE_DIR", str(tmp_path / "cache"))
    write_zip(folder, tmp_path / "one.zip")
    (folder / "app.py").write_bytes(b"print('changed')\n")
    write_zip(folder, tmp_path / "two.zip")
    with zipfile.ZipFile(tmp_path / "two.zip") as archive:
        assert archive.read("app.py") == b"print('changed')\n"


def test_a_layer_is_copied_in_as_if_its_files_were_in_the_folder(
    folder: Path, tmp_path: Path
) -> None:
    deps = tmp_path / "deps"
    for name, data in {
        "attr/__init__.py": b"x = 1\n" * 40,
        "zz.txt": b"last",
        "a.txt": b"a",
    }.items():
        (deps / name).parent.mkdir(parents=True, exist_ok=True)
        (deps / name).write_bytes(data)
    write_zip(deps, tmp_path / "layer.zip")
    layer = read_layer(tmp_path / "layer.zip")
    assert layer is not None
    assert layer.names() == {"attr/__init__.py", "zz.txt", "a.txt"}
    write_zip(folder, tmp_path / "layered.zip", layer=layer)
    shutil.copytree(deps, folder, dirs_exist_ok=True)
    write_zip(folder, tmp_path / "plain.zip")
    assert (tmp_path / "layered.zip").read_bytes() == (tmp_path / "plain.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "layered.zip") as archive:
        assert archive.testzip() is None
        assert archive.read("zz.txt") == b"last"


def test_a_name_in_both_the_folder_and_the_layer_is_refused(folder: Path, tmp_path: Path) -> None:
    write_zip(folder, tmp_path / "layer.zip")
    layer = read_layer(tmp_path / "layer.zip")
    assert layer is not None
    with pytest.raises(ConfigurationError, match=r"app\.py is both"):
        write_zip(folder, tmp_path / "out.zip", layer=layer)


def test_a_truncated_or_foreign_layer_is_never_read(folder: Path, tmp_path: Path) -> None:
    write_zip(folder, tmp_path / "whole.zip")
    whole = (tmp_path / "whole.zip").read_bytes()
    assert read_layer(tmp_path / "whole.zip") is not None
    for cut in (0, 10, len(whole) // 2, len(whole) - 1):
        (tmp_path / "cut.zip").write_bytes(whole[:cut])
        assert read_layer(tmp_path / "cut.zip") is None, cut
    (tmp_path / "noise.zip").write_bytes(os.urandom(300))
    assert read_layer(tmp_path / "noise.zip") is None
    with zipfile.ZipFile(tmp_path / "commented.zip", "w") as archive:
        archive.writestr("a.txt", b"a")
        archive.comment = b"not written by faaskit"
    assert read_layer(tmp_path / "commented.zip") is None
    assert read_layer(tmp_path / "missing.zip") is None
