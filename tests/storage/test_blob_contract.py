"""The BlobStore contract, run unchanged over file://, S3 (moto server) and Azure (Azurite)."""

from __future__ import annotations

import io
import os

import pytest

from faaskit import storage
from faaskit.exceptions import FaaskitError, InvalidStorageRequest
from tests.storage.helpers import Backend, FileBackend, S3Backend

UNICODE_KEYS = [
    "plain.txt",
    "dir with space/file name.txt",
    "ünïcödé/日本語 ファイル.csv",
    "emoji 🎉/a+b=c&d%20e#f?.txt",
]
BAD_KEYS = [
    "",
    ".",
    "..",
    "../escape",
    "a/../../escape",
    "a/..",
    "/absolute",
    "a//b",
    "a/./b",
    "a\\b",
    "nul\x00byte",
    "line\nbreak",
    "x" * 1025,
]


def test_put_get_bytes_text_and_stream(backend: Backend) -> None:
    url = backend.new_store()
    store = storage.blobs(url)
    store.put("bytes.bin", b"\x00\x01\xff")
    store.put("text.txt", "héllo wörld")
    store.put("stream.bin", io.BytesIO(b"streamed " * 1000))
    assert backend.raw_get(url, "bytes.bin") == b"\x00\x01\xff"
    assert backend.raw_get(url, "text.txt") == "héllo wörld".encode()
    assert backend.raw_get(url, "stream.bin") == b"streamed " * 1000
    assert store.get("text.txt") == "héllo wörld".encode()
    assert store.url == url


def test_get_reads_what_the_sdk_wrote_and_put_replaces_whole(backend: Backend) -> None:
    url = backend.new_store()
    backend.raw_put(url, "k", b"long original content")
    store = storage.blobs(url)
    assert store.get("k") == b"long original content"
    store.put("k", b"short")
    assert store.get("k") == b"short"
    assert backend.raw_get(url, "k") == b"short"


def test_open_streams_in_chunks(backend: Backend) -> None:
    url = backend.new_store()
    data = os.urandom(3 * 1024 * 1024 + 17)
    backend.raw_put(url, "big.bin", data)
    with storage.blobs(url).open("big.bin") as stream:
        first = stream.read(1000)
        chunks = [first]
        while chunk := stream.read(256 * 1024):
            chunks.append(chunk)
    assert first == data[:1000]
    assert b"".join(chunks) == data
    assert stream.closed


def test_put_from_a_stream_larger_than_one_request(backend: Backend) -> None:
    url = backend.new_store()
    data = os.urandom(17 * 1024 * 1024 + 3)
    storage.blobs(url).put("large.bin", io.BytesIO(data))
    assert backend.raw_get(url, "large.bin") == data


def test_content_type_and_metadata_round_trip(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    store.put("doc.json", b"{}", content_type="application/json", metadata={"owner": "ops"})
    info = store.info("doc.json")
    assert (info.key, info.size) == ("doc.json", 2)
    assert info.content_type == "application/json"
    assert dict(info.metadata) == {"owner": "ops"}
    assert info.etag and '"' not in info.etag
    assert info.last_modified is not None and info.last_modified.tzinfo is not None
    store.put("doc.json", b"[1]")
    assert dict(store.info("doc.json").metadata) == {}


def test_exists_and_delete(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    store.put("dir/a", b"1")
    assert store.exists("dir/a")
    assert not store.exists("dir/b")
    assert not store.exists("dir")
    store.delete("dir/a")
    assert not store.exists("dir/a")
    store.delete("dir/a")
    with pytest.raises(storage.BlobNotFound):
        store.get("dir/a")


def test_list_in_key_order_with_sizes_and_prefix(backend: Backend) -> None:
    store = storage.blobs(backend.new_store(), **_paging(backend))
    keys = ["b/2", "a-c", "a/b/1", "a/a", "c", "a/b/0"]
    for key in keys:
        store.put(key, key.encode() * 2)
    listed = list(store.list())
    assert [i.key for i in listed] == sorted(keys, key=lambda k: k.encode())
    assert all(i.size == 2 * len(i.key) for i in listed)
    assert [i.key for i in store.list("a/")] == ["a/a", "a/b/0", "a/b/1"]
    assert [i.key for i in store.list("a/b/")] == ["a/b/0", "a/b/1"]
    assert [i.key for i in store.list("a")] == ["a-c", "a/a", "a/b/0", "a/b/1"]
    assert list(store.list("zzz")) == []


def _paging(backend: Backend) -> dict[str, int]:
    return {} if isinstance(backend, FileBackend) else {"page_size": 2}


def test_store_prefix_scopes_keys(backend: Backend) -> None:
    url = backend.new_store()
    # A file store is a directory that must exist (create=True makes it); a cloud prefix need not.
    create = {"create": True} if isinstance(backend, FileBackend) else {}
    scoped = storage.blobs(url + "/tenant 1/in", **create)
    scoped.put("x.txt", b"scoped")
    assert backend.raw_get(url, "tenant 1/in/x.txt") == b"scoped"
    assert [i.key for i in scoped.list()] == ["x.txt"]
    assert [i.key for i in storage.blobs(url).list()] == ["tenant 1/in/x.txt"]


@pytest.mark.parametrize("key", UNICODE_KEYS)
def test_unicode_and_spaces_round_trip_to_the_exact_native_key(backend: Backend, key: str) -> None:
    url = backend.new_store()
    store = storage.blobs(url)
    store.put(key, key.encode())
    assert backend.raw_get(url, key) == key.encode()
    assert store.get(key) == key.encode()
    assert [i.key for i in store.list()] == [key]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_are_refused_before_any_call(backend: Backend, key: str) -> None:
    options = backend.down_options() or {}
    store = storage.blobs(backend.new_store(), **options)
    calls = [
        lambda: store.get(key),
        lambda: store.open(key),
        lambda: store.put(key, b"x"),
        lambda: store.exists(key),
        lambda: store.delete(key),
        lambda: store.info(key),
    ]
    for call in calls:
        with pytest.raises(storage.InvalidStorageRequest) as caught:
            call()
        assert isinstance(caught.value, ValueError)
        assert store.url in str(caught.value)


@pytest.mark.parametrize("prefix", ["/abs", "../x", "a/../b", "a//b", "a/.."])
def test_bad_list_prefixes_are_refused(backend: Backend, prefix: str) -> None:
    store = storage.blobs(backend.new_store())
    with pytest.raises(storage.InvalidStorageRequest):
        list(store.list(prefix))


def test_missing_object(backend: Backend) -> None:
    url = backend.new_store()
    store = storage.blobs(url)
    for call in (store.get, store.open, store.info):
        with pytest.raises(storage.BlobNotFound) as caught:
            call("no such key.txt")
        error = caught.value
        assert isinstance(error, KeyError) and isinstance(error, FaaskitError)
        assert url in str(error) and "no such key.txt" in str(error)
        assert error.__cause__ is not None


def test_missing_container(backend: Backend) -> None:
    url = backend.missing_store()
    store = storage.blobs(url)
    calls = [
        lambda: store.get("k"),
        lambda: store.open("k"),
        lambda: store.put("k", b"x"),
        lambda: store.delete("k"),
        lambda: list(store.list()),
    ]
    for call in calls:
        with pytest.raises(storage.BlobNotFound) as caught:
            call()
        assert url in str(caught.value)
    assert not store.exists("k")


def test_server_down_is_a_storage_error(backend: Backend) -> None:
    options = backend.down_options()
    if options is None:
        pytest.skip("a directory has no server")
    store = storage.blobs(backend.new_store(), **options)
    for call in (lambda: store.get("k"), lambda: store.put("k", b"x"), lambda: list(store.list())):
        with pytest.raises(storage.StorageError) as caught:
            call()
        error = caught.value
        assert not isinstance(error, (storage.BlobNotFound, storage.AccessDenied))
        assert isinstance(error, OSError)
        assert store.url in str(error)
        assert error.__cause__ is not None


def test_bad_data_type_is_refused(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    with pytest.raises(storage.InvalidStorageRequest):
        store.put("k", 42)  # type: ignore[arg-type]
    with pytest.raises(storage.InvalidStorageRequest):
        store.put("k", io.StringIO("text stream"))


def test_list_is_lazy(backend: Backend) -> None:
    if not isinstance(backend, S3Backend):
        pytest.skip("request counting uses botocore's event hooks")
    store = storage.blobs(backend.new_store(), page_size=2)
    for i in range(5):
        store.put(f"k{i}", b"x")
    calls: list[str] = []
    client = store.client  # type: ignore[attr-defined]
    client.meta.events.register("before-call.s3.ListObjectsV2", lambda **_: calls.append("x"))
    listing = store.list()
    assert calls == []
    assert next(listing).key == "k0"
    assert len(calls) == 1
    assert [i.key for i in listing] == ["k1", "k2", "k3", "k4"]
    assert len(calls) == 3


class _Generated:
    """A binary stream of ``size`` pseudo-random bytes produced on demand."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.block = os.urandom(64 * 1024)

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        size = min(size, len(self.block))
        self.left -= size
        return self.block[:size]


def test_large_objects_stream_in_bounded_memory(backend: Backend) -> None:
    import tracemalloc

    size = 96 * 1024 * 1024
    store = storage.blobs(backend.new_store())
    tracemalloc.start()
    try:
        store.put("large.bin", _Generated(size))  # type: ignore[arg-type]
        _, put_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        total = 0
        with store.open("large.bin") as stream:
            while chunk := stream.read(1024 * 1024):
                total += len(chunk)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == size
    # Never the whole object: the SDKs buffer a few parts (Azure's first range is 32 MiB).
    assert put_peak < size * 3 // 4, put_peak
    assert read_peak < size // 2, read_peak


def test_empty_object(backend: Backend) -> None:
    url = backend.new_store()
    store = storage.blobs(url)
    store.put("empty", b"")
    assert backend.raw_get(url, "empty") == b""
    assert store.get("empty") == b""
    with store.open("empty") as stream:
        assert stream.read() == b""
    assert store.info("empty").size == 0
    assert [(i.key, i.size) for i in store.list()] == [("empty", 0)]


def test_open_reads_the_version_it_started_with(backend: Backend) -> None:
    url = backend.new_store()
    store = storage.blobs(url)
    store.put("k", os.urandom(9 * 1024 * 1024))
    with store.open("k") as stream:
        first = stream.read(1024)
        store.put("k", b"replaced")
        try:
            rest = stream.read()
        except storage.StorageError:
            return  # the backend refused to mix two versions
    assert len(first) + len(rest) == 9 * 1024 * 1024  # or it kept streaming the original


@pytest.mark.parametrize("content_type", ["text/plain\r\nX-Injected: 1", "", "t" * 1025, 7])
def test_an_invalid_content_type_is_refused_alike_and_writes_nothing(
    backend: Backend, content_type: object
) -> None:
    url = backend.new_store()
    store = storage.blobs(url)
    with pytest.raises(InvalidStorageRequest, match="content type"):
        store.put("k.txt", b"v", content_type=content_type)  # type: ignore[arg-type]
    assert not store.exists("k.txt")
