"""``@faaskit.idempotent`` on whole-batch handlers (``batch=True``), per item, over the three
stores (file://, S3 on moto, Azure on Azurite): completed items are dropped, in-progress and
reused keys are reported as failed without running, reported failures and exceptions release
the locks.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

import faaskit
from faaskit import storage
from faaskit.testing import aws_events, aws_streams
from faaskit.testing.contexts import lambda_context
from tests.storage.helpers import Backend


def _statuses(store: Any) -> Counter[str]:
    return Counter(json.loads(store.get(item.key))["status"] for item in store.list())


def _ids(event: dict[str, Any]) -> list[str]:
    return [record["messageId"] for record in event["Records"]]


def _failed(result: dict[str, Any]) -> list[str]:
    return [f["itemIdentifier"] for f in result["batchItemFailures"]]


class Whole:
    """A ``batch=True`` SQS handler that records which messages it saw and fails on demand."""

    def __init__(self, store: Any, *, queue: str = "orders") -> None:
        self.seen: list[list[str]] = []
        self.effects: Counter[str] = Counter()
        self.fail: set[str] = set()
        self.raises = False

        @faaskit.handler(faaskit.queue(queue, batch=True))
        @faaskit.idempotent(store)
        def work(batch: faaskit.MessageBatch, ctx: faaskit.Context) -> faaskit.BatchResult:
            self.seen.append([m.id for m in batch])
            if self.raises:
                raise RuntimeError("the whole batch failed")
            done = [m.id for m in batch if m.text not in self.fail]
            self.effects.update(done)
            return faaskit.BatchResult(failed=[m for m in batch if m.text in self.fail])

        self.handler = work

    def __call__(self, event: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.handler(event, lambda_context(timeout=30))
        return result


def test_a_duplicate_batch_does_not_run_again(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    whole = Whole(store)
    event = aws_events.sqs(bodies=["a", "b", "c"])
    assert _failed(whole(event)) == []
    assert _failed(whole(event)) == []
    assert whole.seen == [_ids(event)]
    assert set(whole.effects.values()) == {1} and len(whole.effects) == 3
    assert _statuses(store) == {"completed": 3}


def test_only_the_new_items_of_an_overlapping_batch_run(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    whole = Whole(store)
    first = aws_events.sqs(bodies=["a", "b"])
    later = aws_events.sqs(bodies=["c"])
    later["Records"] = [first["Records"][1], *later["Records"]]  # b redelivered beside c
    whole(first)
    assert _failed(whole(later)) == []
    assert whole.seen == [_ids(first), [_ids(later)[1]]]
    assert _statuses(store) == {"completed": 3}


def test_reported_failures_release_their_locks_and_run_again(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    whole = Whole(store)
    whole.fail = {"b"}
    event = aws_events.sqs(bodies=["a", "b", "c"])
    a, b, c = _ids(event)
    assert _failed(whole(event)) == [b]
    assert _statuses(store) == {"completed": 2}
    whole.fail = set()
    assert _failed(whole(event)) == []  # the platform's retry
    assert whole.seen == [[a, b, c], [b]]
    assert whole.effects == Counter({a: 1, b: 1, c: 1})


def test_an_exception_releases_every_lock(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    whole = Whole(store)
    event = aws_events.sqs(bodies=["a", "b"])
    whole.raises = True
    assert _failed(whole(event)) == _ids(event)
    assert _statuses(store) == {}
    whole.raises = False
    assert _failed(whole(event)) == []
    assert whole.seen == [_ids(event), _ids(event)]
    assert _statuses(store) == {"completed": 2}


def test_an_in_progress_item_is_reported_failed_without_running(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    whole = Whole(store)
    event = aws_events.sqs(bodies=["a", "busy", "c"])
    a, busy, c = _ids(event)
    state = whole.handler.func.idempotency  # type: ignore[attr-defined]
    _, etag = state.begin(f"message:{busy}", "whatever", None)  # another invocation holds it
    assert _failed(whole(event)) == [busy]
    assert whole.seen == [[a, c]]
    assert _statuses(store) == {"completed": 2, "in_progress": 1}
    state.abandon(f"message:{busy}", etag)  # the other invocation failed
    assert _failed(whole(event)) == []
    assert whole.seen == [[a, c], [busy]]


def test_in_a_fifo_batch_nothing_after_a_busy_item_runs(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    whole = Whole(store, queue="orders.fifo")
    event = aws_events.sqs(bodies=["a", "busy", "c"], queue="orders.fifo", fifo=True)
    a, busy, c = _ids(event)
    state = whole.handler.func.idempotency  # type: ignore[attr-defined]
    state.begin(f"message:{busy}", "whatever", None)
    assert _failed(whole(event)) == [busy, c]
    assert whole.seen == [[a]]
    assert _statuses(store) == {"completed": 1, "in_progress": 1}


def test_a_reused_key_is_reported_failed_without_running(backend: Backend) -> None:
    store = storage.blobs(backend.new_store())
    whole = Whole(store)
    event = aws_events.sqs(bodies=["a"])
    whole(event)
    reused = aws_events.sqs(bodies=["other", "b"])
    reused["Records"][0]["messageId"] = _ids(event)[0]
    assert _failed(whole(reused)) == [_ids(event)[0]]
    assert whole.seen == [_ids(event), [_ids(reused)[1]]]


def test_an_unreadable_report_releases_every_lock(tmp_path: Any) -> None:
    store = storage.blobs(tmp_path.as_uri())

    @faaskit.handler(faaskit.queue("orders", batch=True))
    @faaskit.idempotent(store)
    def work(batch: faaskit.MessageBatch, ctx: faaskit.Context) -> str:
        return "not a report"

    event = aws_events.sqs(bodies=["a", "b"])
    assert _failed(work(event, lambda_context(timeout=30))) == _ids(event)
    assert _statuses(store) == {}


def test_async_batch_handler_and_key_function(tmp_path: Any) -> None:
    store = storage.blobs(tmp_path.as_uri())
    seen: list[list[str]] = []

    @faaskit.handler(faaskit.queue("orders", batch=True))
    @faaskit.idempotent(store, key=lambda message: message.json()["order"])
    async def work(batch: faaskit.MessageBatch, ctx: faaskit.Context) -> None:
        seen.append([m.json()["order"] for m in batch])

    first = aws_events.sqs(bodies=[{"order": 1}, {"order": 2}])
    again = aws_events.sqs(bodies=[{"order": 2}, {"order": 3}])  # new ids, order 2 again
    assert _failed(work(first, lambda_context(timeout=30))) == []
    assert _failed(work(again, lambda_context(timeout=30))) == []
    assert seen == [[1, 2], [3]]


def test_a_stream_batch_per_record(tmp_path: Any) -> None:
    store = storage.blobs(tmp_path.as_uri())
    seen: list[list[str]] = []

    @faaskit.handler(faaskit.stream("clicks", batch=True))
    @faaskit.idempotent(store)
    def work(batch: faaskit.RecordBatch, ctx: faaskit.Context) -> None:
        seen.append([r.id for r in batch])

    event = aws_streams.kinesis(records=[b"x", b"y"])
    ids = [r["kinesis"]["sequenceNumber"] for r in event["Records"]]
    for _ in range(2):
        assert _failed(work(event, lambda_context(timeout=30))) == []
    assert seen == [ids]
    assert _statuses(store) == {"completed": 2}


@pytest.mark.parametrize("raises", [False, True])
def test_azure_whole_delivery_retries(tmp_path: Any, raises: bool) -> None:
    """Service Bus retries whole deliveries: a failure fails the invocation, and the next
    delivery runs only what did not complete."""
    pytest.importorskip("azure.functions")
    from tests.azure.helpers import invoke
    from tests.azure.test_message import bus_batch

    store = storage.blobs(tmp_path.as_uri())
    whole = Whole(store)
    whole.fail = set() if raises else {"b"}
    whole.raises = raises
    with pytest.raises(RuntimeError if raises else faaskit.BatchFailedError):
        invoke(whole.handler, bus_batch(["a", "b"]), queue_service="servicebus")
    assert _statuses(store) == ({} if raises else {"completed": 1})
    whole.fail, whole.raises = set(), False
    assert invoke(whole.handler, bus_batch(["a", "b"]), queue_service="servicebus") is None
    assert whole.seen == [["m-0", "m-1"], ["m-0", "m-1"] if raises else ["m-1"]]
    assert _statuses(store) == {"completed": 2}
