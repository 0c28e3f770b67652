"""Conditional writes (create only, compare-and-swap on the ETag), one suite over the three
backends: file://, S3 on the moto server and Azure Blob on Azurite, including races of 16
threads and of several processes on one key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from faaskit import storage
from faaskit.exceptions import InvalidStorageRequest, PreconditionFailed, StorageError
from tests.storage.helpers import Backend, environment_for

ROOT = Path(__file__).resolve().parents[2]


def test_create_only_writes_once_and_returns_the_etag(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    etag = store.put("k", b"first", if_none_match="*")
    assert etag == store.info("k").etag
    with pytest.raises(PreconditionFailed) as caught:
        store.put("k", b"second", if_none_match="*")
    assert caught.value.key == "k"
    assert isinstance(caught.value, StorageError)
    assert store.url in str(caught.value) and "'k'" in str(caught.value)
    assert store.get("k") == b"first"


def test_unconditional_put_returns_the_etag_info_reports(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    first = store.put("k", b"one")
    second = store.put("k", b"two!")
    assert second == store.info("k").etag
    assert first != second


def test_if_match_replaces_only_the_version_it_names(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    first = store.put("k", b"v1", content_type="text/plain")
    second = store.put("k", b"v2", if_match=first)
    assert second != first
    assert store.get("k") == b"v2"
    with pytest.raises(PreconditionFailed):
        store.put("k", b"stale", if_match=first)
    assert store.get("k") == b"v2"
    assert store.put("k", b"v3", if_match=f'"{second}"') == store.info("k").etag


def test_if_match_on_a_missing_key_fails(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    with pytest.raises(PreconditionFailed):
        store.put("missing", b"x", if_match="0xdeadbeef")
    with pytest.raises(PreconditionFailed):
        store.delete("missing", if_match="0xdeadbeef")
    assert not store.exists("missing")


def test_delete_if_match(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    first = store.put("k", b"v1")
    second = store.put("k", b"v2")
    with pytest.raises(PreconditionFailed):
        store.delete("k", if_match=first)
    assert store.get("k") == b"v2"
    store.delete("k", if_match=second)
    assert not store.exists("k")


def test_conditional_stream_put(backend: Backend) -> None:
    import io

    store = storage.blobs(backend.new_store())
    store.put("k", io.BytesIO(b"streamed"), if_none_match="*")
    with pytest.raises(PreconditionFailed):
        store.put("k", io.BytesIO(b"again"), if_none_match="*")
    assert store.get("k") == b"streamed"


def test_a_conditional_write_to_a_missing_store_is_not_a_precondition(backend: Backend) -> None:
    store = storage.blobs(backend.missing_store())
    with pytest.raises(KeyError) as caught:
        store.put("k", b"x", if_none_match="*")
    assert not isinstance(caught.value, PreconditionFailed)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"if_none_match": "etag"}, "if_none_match must be '*'"),
        ({"if_none_match": "*", "if_match": "x"}, "not both"),
        ({"if_match": ""}, "if_match must be an ETag"),
    ],
)
def test_bad_conditions_are_refused_before_any_call(
    backend: Backend, options: dict[str, str], message: str
) -> None:
    store = storage.blobs(backend.new_store())
    with pytest.raises(InvalidStorageRequest, match=message):
        store.put("k", b"x", **options)  # type: ignore[arg-type]


def _race(attempt: Callable[[int], None], count: int = 16) -> list[int]:
    """Run ``attempt(i)`` on ``count`` threads released together; the indexes that won."""
    barrier = threading.Barrier(count)
    winners: list[int] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            attempt(index)
        except PreconditionFailed:
            return
        except BaseException as exc:  # surfaced below
            errors.append(exc)
            return
        winners.append(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return winners


def test_sixteen_threads_creating_one_key_one_wins(race_backend: Backend) -> None:
    backend = race_backend
    store = storage.blobs(backend.new_store())
    for round_ in range(5):
        key = f"race-{round_}"
        winners = _race(lambda i, key=key: store.put(key, f"writer {i}", if_none_match="*"))  # type: ignore[misc]
        assert len(winners) == 1
        assert store.get(key) == f"writer {winners[0]}".encode()


def test_sixteen_threads_swapping_one_version_one_wins(race_backend: Backend) -> None:
    backend = race_backend
    store = storage.blobs(backend.new_store())
    for round_ in range(5):
        etag = store.put("counter", f"round {round_}")
        winners = _race(lambda i, etag=etag: store.put("counter", f"writer {i}", if_match=etag))  # type: ignore[misc]
        assert len(winners) == 1
        assert store.get("counter") == f"writer {winners[0]}".encode()


WORKER = textwrap.dedent(
    """
    import json, sys, time
    from faaskit import storage
    from faaskit.exceptions import PreconditionFailed
    url, start, keys, me = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    store = storage.blobs(url)
    store.exists("warm-up")
    time.sleep(max(0.0, start - time.time()))
    won = []
    for key in range(keys):
        try:
            store.put(f"key-{key}", me, if_none_match="*")
            won.append(key)
        except PreconditionFailed:
            pass
    print(json.dumps(won))
    """
)


def test_processes_creating_the_same_keys_one_wins_each(race_backend: Backend) -> None:
    backend = race_backend
    url = backend.new_store()
    env = {**os.environ, **environment_for(backend), "PYTHONPATH": str(ROOT)}
    start, processes, keys = time.time() + 3.0, 4, 25
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, str(start), str(keys), f"p{n}"],
            stdout=subprocess.PIPE,
            env=env,
        )
        for n in range(processes)
    ]
    wins = [json.loads(child.communicate(timeout=120)[0]) for child in children]
    assert all(child.returncode == 0 for child in children)
    assert sorted(key for won in wins for key in won) == list(range(keys))
    store = storage.blobs(url)
    for n, won in enumerate(wins):
        for key in won:
            assert store.get(f"key-{key}") == f"p{n}".encode()
