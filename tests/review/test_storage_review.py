"""Review findings on the file:// blob store: symbolic links must not lead keys out of the root."""

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


def test_the_local_queue_keeps_send_order_when_the_clock_steps_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faaskit.storage import _filequeue

    real = _filequeue.time.time_ns
    steps = iter([real() + 3_000_000_000, real() + 2_000_000_000, real() + 1_000_000_000])
    monkeypatch.setattr(_filequeue.time, "time_ns", lambda: next(steps, None) or real())
    queue = _filequeue.FileQueue(tmp_path / "q", create=True, durable=False)
    for body in ("first", "second", "third"):
        queue.send(body)
    assert [m.text for m in queue.messages()] == ["first", "second", "third"]


@pytest.mark.parametrize(
    "record", ['{"id": "x"}', '{"id": "x", "body": 5, "attributes": {}, "enqueued_at": "t"}', "[]"]
)
def test_a_damaged_message_file_is_a_storage_error_naming_it(tmp_path: Path, record: str) -> None:
    from faaskit.storage._filequeue import FileQueue

    queue = FileQueue(tmp_path / "q", create=True, durable=False)
    (tmp_path / "q" / "00000000000000000001-damaged.msg.json").write_text(record)
    with pytest.raises(storage.StorageError, match="damaged"):
        list(queue.messages())


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
