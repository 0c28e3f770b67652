"""Blob stores: the same calls give the same results on every backend (the ``backend`` fixture
of ``tests/storage/conftest.py`` runs each test on file, S3 and Azure Blob).
"""

from __future__ import annotations

import pytest

from faaskit import storage
from tests.storage.helpers import Backend


def test_metadata_names_round_trip_alike(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    store.put("doc", b"x", metadata={"Owner": "ops", "build_id": "7", "empty": ""})
    assert dict(store.info("doc").metadata) == {"owner": "ops", "build_id": "7", "empty": ""}


@pytest.mark.parametrize(
    "metadata",
    [
        {"build-id": "1"},
        {"1st": "1"},
        {"": "1"},
        {"v": "café"},
        {"v": " padded "},
        {"v": "line\nbreak"},
        {"v": 1},
        {"a": "1", "A": "2"},
    ],
    ids=["dash", "digit-first", "empty", "non-ascii", "spaces", "newline", "not-str", "case"],
)
def test_metadata_one_backend_would_refuse_or_alter_is_refused_by_all(
    backend: Backend, metadata: dict[str, object]
) -> None:
    store = storage.blobs(backend.new_store())
    with pytest.raises(storage.InvalidStorageRequest, match="metadata"):
        store.put("doc", b"x", metadata=metadata)  # type: ignore[arg-type]
    assert not store.exists("doc")


def test_missing_key_errors_alike(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    store.put("a/b", b"x")
    for call in (lambda: store.get("a"), lambda: store.open("a"), lambda: store.info("a")):
        with pytest.raises(storage.BlobNotFound):
            call()
    assert not store.exists("a")
    store.delete("a")
    assert [i.key for i in store.list("a/")] == ["a/b"]


def test_list_order_alike(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    keys = ["a b", "a-b", "a/b", "a.b", "a0", "aé", "a~", "A", "a/b/c", "ab"]
    for key in keys:
        if key == "a/b":
            continue
        store.put(key, b"1")
    assert [i.key for i in store.list()] == sorted(
        [k for k in keys if k != "a/b"], key=lambda k: k.encode()
    )
    assert [i.key for i in store.list("a/b")] == ["a/b/c"]
