"""file:// specifics: crash safety, metadata beside the object, containment, the local queue."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faaskit import storage
from faaskit.exceptions import InvalidStorageRequest, StorageError
from faaskit.storage._file import FileBlobStore
from faaskit.storage._filequeue import FileQueue

ROOT = Path(__file__).resolve().parents[2]

# The child writes through faaskit and stops, killable, in the middle of the write.
CHILD = textwrap.dedent(
    """
    import io, os, sys, time
    sys.path[:0] = {paths!r}
    from faaskit import storage

    class Slow(io.RawIOBase):
        sent = 0
        def readable(self):
            return True
        def readinto(self, buffer):
            if self.sent >= 4 * 1024 * 1024:
                print("MIDWAY", flush=True)
                time.sleep(60)
            n = min(len(buffer), 1024 * 1024)
            buffer[:n] = b"N" * n
            self.sent += n
            return n

    mode, url = sys.argv[1], sys.argv[2]
    if mode == "blob":
        storage.blobs(url).put("report.csv", Slow(), content_type="text/csv")
    else:
        real = os.replace
        def slow_replace(src, dst):
            print("MIDWAY", flush=True)
            time.sleep(60)
            real(src, dst)
        os.replace = slow_replace
        storage.queues(url).send("never delivered")
    """
)


def _kill_midway(mode: str, url: str) -> None:
    script = CHILD.format(paths=[str(ROOT), str(ROOT / "adapters")])
    child = subprocess.Popen(
        [sys.executable, "-c", script, mode, url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "MIDWAY"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)


def test_a_writer_killed_mid_write_leaves_the_old_object_whole(tmp_path: Path) -> None:
    store = storage.blobs(tmp_path.as_uri())
    store.put("report.csv", b"old,complete\n", content_type="text/plain")
    _kill_midway("blob", tmp_path.as_uri())
    assert store.get("report.csv") == b"old,complete\n"
    assert store.info("report.csv").content_type == "text/plain"
    assert [i.key for i in store.list()] == ["report.csv"]


def test_a_writer_killed_mid_write_of_a_new_key_leaves_nothing(tmp_path: Path) -> None:
    store = storage.blobs(tmp_path.as_uri())
    _kill_midway("blob", tmp_path.as_uri())
    assert not store.exists("report.csv")
    assert list(store.list()) == []
    store.put("report.csv", b"retried")
    assert store.get("report.csv") == b"retried"


def test_a_stream_failing_mid_way_writes_nothing(tmp_path: Path) -> None:
    store = storage.blobs(tmp_path.as_uri())
    store.put("k", b"before")

    class Broken:
        calls = 0

        def read(self, size: int = -1) -> bytes:
            self.calls += 1
            if self.calls > 3:
                raise ConnectionResetError("upstream went away")
            return b"x" * 1000

    with pytest.raises(ConnectionResetError):
        store.put("k", Broken())
    assert store.get("k") == b"before"
    assert os.listdir(tmp_path / ".faaskit" / "tmp") == []


def test_a_sender_killed_mid_send_leaves_no_partial_message(tmp_path: Path) -> None:
    queue = storage.queues(tmp_path.as_uri())
    queue.send("first")
    _kill_midway("queue", tmp_path.as_uri())
    assert isinstance(queue, FileQueue)
    assert [m.body for m in queue.messages()] == [b"first"]


def test_local_queue_keeps_order_until_acknowledged(tmp_path: Path) -> None:
    queue = storage.queues(tmp_path.as_uri())
    assert isinstance(queue, FileQueue)
    ids = queue.send_batch(["a", "b", "c"], attributes={"n": 1})
    messages = list(queue.messages())
    assert [m.id for m in messages] == ids
    assert [m.text for m in messages] == ["a", "b", "c"]
    assert all(m.attributes == {"n": 1} and m.enqueued_at for m in messages)
    queue.delete(ids[1])
    assert [m.text for m in queue.messages()] == ["a", "c"]
    reopened = storage.queues(tmp_path.as_uri())
    assert [m.text for m in reopened.messages()] == ["a", "c"]  # type: ignore[attr-defined]
    with pytest.raises(storage.InvalidStorageRequest):
        queue.delete("../escape")


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_objects_and_messages_get_the_permissions_the_umask_gives(
    tmp_path: Path, umask: int
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "q").mkdir()
    previous = os.umask(umask)
    try:
        storage.blobs(f"file://{tmp_path}/b").put("k/report.txt", b"x")
        storage.blobs(f"file://{tmp_path}/b").put("stream", io.BytesIO(b"y"))
        storage.queues(f"file://{tmp_path}/q").send("hello")
    finally:
        os.umask(previous)
    written = [tmp_path / "b" / "k" / "report.txt", tmp_path / "b" / "stream"]
    written += [p for p in (tmp_path / "q").rglob("*") if p.is_file()]
    assert len(written) >= 3
    for path in written:
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path


def test_metadata_of_an_object_edited_by_hand_is_ignored(tmp_path: Path) -> None:
    store = storage.blobs(tmp_path.as_uri())
    store.put("page.html", b"<p>", content_type="text/html", metadata={"v": "1"})
    (tmp_path / "page.html").write_bytes(b"something else entirely")
    info = store.info("page.html")
    assert info.size == len(b"something else entirely")
    assert info.content_type is None and dict(info.metadata) == {}


def test_reserved_and_conflicting_keys(tmp_path: Path) -> None:
    store = storage.blobs(tmp_path.as_uri())
    with pytest.raises(storage.InvalidStorageRequest):
        store.put(".faaskit/meta/x", b"x")
    store.put("a", b"file")
    with pytest.raises(storage.StorageError):
        store.put("a/b", b"under a file")
    assert store.get("a") == b"file"


def test_delete_prunes_empty_directories(tmp_path: Path) -> None:
    store = storage.blobs(tmp_path.as_uri())
    store.put("x/y/z.txt", b"1")
    store.delete("x/y/z.txt")
    assert not (tmp_path / "x").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_access_denied(tmp_path: Path) -> None:
    store = storage.blobs(tmp_path.as_uri())
    store.put("secret", b"x")
    (tmp_path / "secret").chmod(0)
    with pytest.raises(storage.AccessDenied):
        store.get("secret")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab./\\ \x00é")), max_size=12))
def test_an_accepted_key_never_leaves_the_root(key: str) -> None:
    store = FileBlobStore("/srv/store-root")
    try:
        path = store._path(key)
    except storage.InvalidStorageRequest:
        return
    assert os.path.normpath(path).startswith("/srv/store-root" + os.sep)
    assert os.path.normpath(path) == path


# --- a failed put leaves the old object and its metadata intact ------------------------------


def _old_and_new(tmp_path: Path, key: str) -> FileBlobStore:
    store = FileBlobStore(tmp_path / "s", create=True)
    store.put(key, b"old", content_type="text/plain", metadata={"v": "1"})
    return store


@settings(max_examples=40, deadline=None)
@given(
    segment=st.integers(min_value=251, max_value=400).map(lambda n: "é" * (n // 2) + "x" * (n % 2)),
    content_type=st.none() | st.just("text/csv"),
    metadata=st.none() | st.just({"v": "2"}),
)
def test_a_key_segment_too_long_for_the_metadata_file_is_refused_before_writing(
    tmp_path_factory: pytest.TempPathFactory,
    segment: str,
    content_type: str | None,
    metadata: dict[str, str] | None,
) -> None:
    store = FileBlobStore(tmp_path_factory.mktemp("s"), create=True)
    key = f"dir/{segment}"
    with pytest.raises(InvalidStorageRequest, match="longer than this filesystem allows"):
        store.put(key, b"new", content_type=content_type, metadata=metadata)
    assert list(store.list()) == []


def test_a_key_at_the_longest_allowed_segment_keeps_its_metadata(tmp_path: Path) -> None:
    key = "d/" + "k" * 250
    store = _old_and_new(tmp_path, key)
    store.put(key, b"new", content_type="text/csv", metadata={"v": "2"})
    info = store.info(key)
    assert (store.get(key), info.content_type, dict(info.metadata)) == (
        b"new",
        "text/csv",
        {"v": "2"},
    )


@pytest.mark.parametrize(
    ("content_type", "metadata"),
    [
        ("text/plain\r\nX-Injected: 1", None),
        ("", None),
        (" text/plain", None),
        ("t" * 1025, None),
        ("tëxt/plain", None),
        (7, None),
        ("text/csv", {"bad name": "x"}),
        ("text/csv", {"v": "line\nbreak"}),
        ("text/csv", {"v": 2}),
    ],
)
def test_an_invalid_put_leaves_the_old_object_and_metadata(
    tmp_path: Path, content_type: Any, metadata: Any
) -> None:
    store = _old_and_new(tmp_path, "report.csv")
    with pytest.raises(InvalidStorageRequest):
        store.put("report.csv", b"new", content_type=content_type, metadata=metadata)
    info = store.info("report.csv")
    assert (store.get("report.csv"), info.content_type, dict(info.metadata)) == (
        b"old",
        "text/plain",
        {"v": "1"},
    )


def test_metadata_in_the_way_is_refused_before_the_object_is_written(tmp_path: Path) -> None:
    store = _old_and_new(tmp_path, "x")  # its metadata is the file meta/x.json
    with pytest.raises(StorageError):
        store.put("x.json/y", b"new", content_type="text/plain")
    assert not store.exists("x.json/y")
    assert store.info("x").content_type == "text/plain"
    other = _old_and_new(tmp_path / "two", "a.json/b")  # its metadata is under meta/a.json/
    store_a = FileBlobStore(tmp_path / "two" / "s")
    with pytest.raises(StorageError, match="in the way"):
        store_a.put("a", b"new", content_type="text/plain")
    assert not store_a.exists("a")
    store_a.put("a", b"plain")  # no metadata: nothing in the way
    assert (store_a.get("a"), other.get("a.json/b")) == (b"plain", b"old")


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges")
def test_list_on_a_symbolic_link_loop_is_a_storage_error(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "s", create=True)
    store.put("fine.txt", b"x")
    (tmp_path / "s" / "loop-a").symlink_to(tmp_path / "s" / "loop-b")
    (tmp_path / "s" / "loop-b").symlink_to(tmp_path / "s" / "loop-a")
    with pytest.raises(StorageError, match="loop-a"):
        list(store.list())
    assert [b.key for b in store.list("fine")] == ["fine.txt"]
