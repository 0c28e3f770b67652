"""file:// blob store: symbolic links must not lead keys out of the root; concurrent writers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from faaskit import storage

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges")


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """A store root holding a directory link and a file link to a folder outside it."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    (root / "dir-link").symlink_to(outside, target_is_directory=True)
    (root / "file-link").symlink_to(outside / "secret.txt")
    return root, outside


def test_a_directory_link_does_not_let_a_put_write_outside_the_root(
    linked: tuple[Path, Path],
) -> None:
    root, outside = linked
    store = storage.blobs(root.as_uri())
    with pytest.raises(storage.InvalidStorageRequest):
        store.put("dir-link/planted.txt", b"x")
    assert sorted(os.listdir(outside)) == ["secret.txt"]


@pytest.mark.parametrize("key", ["dir-link/secret.txt", "file-link"])
def test_links_do_not_let_a_get_read_outside_the_root(linked: tuple[Path, Path], key: str) -> None:
    root, _ = linked
    store = storage.blobs(root.as_uri())
    with pytest.raises(storage.InvalidStorageRequest):
        store.get(key)
    with pytest.raises(storage.InvalidStorageRequest):
        store.open(key)


def test_list_yields_only_keys_that_get_can_read(linked: tuple[Path, Path]) -> None:
    root, _ = linked
    store = storage.blobs(root.as_uri())
    store.put("plain.txt", b"ok")
    (root / "inside-link").symlink_to(root / "plain.txt")
    keys = [info.key for info in store.list()]
    assert keys == ["inside-link", "plain.txt"]
    assert [store.get(key) for key in keys] == [b"ok", b"ok"]


def test_a_put_racing_a_delete_that_prunes_its_folder_still_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from faaskit.storage import _file

    store = storage.blobs(tmp_path.as_uri())
    store.put("a/old", b"x")
    real_replace = os.replace
    pruned: list[str] = []

    def replace_after_prune(src: str, dst: str) -> None:
        if dst.endswith(os.path.join("a", "new")) and not pruned:
            pruned.append(dst)
            store.delete("a/old")  # the other writer's delete prunes the now empty folder
            shutil.rmtree(tmp_path / "a", ignore_errors=True)
        real_replace(src, dst)

    monkeypatch.setattr(_file.os, "replace", replace_after_prune)
    store.put("a/new", b"fresh")
    monkeypatch.undo()
    assert store.get("a/new") == b"fresh"
