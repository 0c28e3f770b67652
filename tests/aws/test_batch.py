"""Batch semantics on AWS: partial failures, whole-batch handlers, mixed and failing batches."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import faaskit
from faaskit._batch import run_batch
from faaskit._context import local_context
from tests.aws.event_helpers import LambdaContext, capture, fixture, reported


def _ids(raw: dict[str, Any]) -> list[str]:
    return [r["messageId"] for r in raw["Records"]]


@pytest.mark.parametrize("name", ["sqs/standard", "sqs/fifo"])
def test_every_message_failing_reports_all_and_does_not_raise(name: str) -> None:
    raw = fixture(name)
    seen, result = capture(raw, faaskit.queue("q"), fails=lambda m: True)
    assert reported(result) == _ids(raw)
    assert len(seen) == (len(raw["Records"]) if name.endswith("standard") else 1)


def test_every_record_failing_reports_the_first() -> None:
    raw = fixture("kinesis/batch")
    seen, result = capture(raw, faaskit.stream("clicks"), fails=lambda r: True)
    assert reported(result) == [raw["Records"][0]["kinesis"]["sequenceNumber"]]
    assert len(seen) == 1


def test_fifo_failure_reports_it_and_every_later_message() -> None:
    raw = fixture("sqs/fifo")
    ids = _ids(raw)
    seen, result = capture(raw, fails=lambda m: m.id == ids[1])
    assert reported(result) == ids[1:]
    assert [m.id for m in seen] == ids[:2]


def _whole(result: Any = None, exc: Exception | None = None) -> faaskit.Handler:
    @faaskit.handler(faaskit.queue("orders", batch=True))
    def whole(batch: faaskit.MessageBatch, ctx: faaskit.Context) -> Any:
        if exc is not None:
            raise exc
        return result(batch) if callable(result) else result

    return whole


def test_batch_handler_returning_nothing_succeeds() -> None:
    assert reported(_whole()(fixture("sqs/standard"), LambdaContext())) == []


def test_batch_handler_raising_reports_every_message() -> None:
    raw = fixture("sqs/standard")
    assert reported(_whole(exc=RuntimeError("down"))(raw, LambdaContext())) == _ids(raw)


def test_batch_handler_unknown_ids_fail_the_whole_batch(
    caplog: pytest.LogCaptureFixture,
) -> None:
    raw = fixture("sqs/standard")
    ids = _ids(raw)
    handler = _whole(lambda b: faaskit.BatchResult(failed=[ids[2], "no-such-id"]))
    caplog.set_level(logging.WARNING, logger="faaskit")
    # An id the batch does not hold may be a misspelt failure: nothing is acknowledged.
    assert reported(handler(raw, LambdaContext())) == ids
    assert "no-such-id" in caplog.text


def test_stream_batch_handler_gets_a_record_batch() -> None:
    raw = fixture("dynamodb/batch")
    seen, result = capture(raw, faaskit.stream("Orders", batch=True))
    (batch,) = seen
    assert isinstance(batch, faaskit.RecordBatch)
    assert [r.action for r in batch] == ["insert", "modify", "remove"]
    assert reported(result) == []


def test_stream_batch_handler_failures_report_the_earliest() -> None:
    raw = fixture("kinesis/batch")
    seqs = [r["kinesis"]["sequenceNumber"] for r in raw["Records"]]

    @faaskit.handler(faaskit.stream("clicks", batch=True))
    def whole(batch: faaskit.RecordBatch, ctx: faaskit.Context) -> faaskit.BatchResult:
        return faaskit.BatchResult(failed=[seqs[2], seqs[1]])

    assert reported(whole(raw, LambdaContext())) == [seqs[1]]


def test_async_message_handler() -> None:
    raw = fixture("sqs/standard")
    seen: list[str] = []

    @faaskit.handler(faaskit.queue("orders"))
    async def handle(message: faaskit.Message, ctx: faaskit.Context) -> None:
        seen.append(message.id)
        if message.body == b"":
            raise ValueError("empty")

    assert reported(handle(raw, LambdaContext())) == [raw["Records"][2]["messageId"]]
    assert seen == _ids(raw)


def test_mixed_batch_blob_handler_fails_only_the_message_it_cannot_take() -> None:
    raw = fixture("sqs/s3_in_sqs")
    plain = fixture("sqs/standard")["Records"][1]
    raw["Records"].append(plain)
    seen, result = capture(raw, faaskit.blob("photos-bucket"))
    assert [type(e).__name__ for e in seen] == ["BlobEvent"]
    assert reported(result) == [plain["messageId"]]


def test_platform_without_partial_reports_raises_after_running_the_rest() -> None:
    messages = [faaskit.Message(id=str(i), body=b"bad" if i == 1 else b"ok") for i in range(4)]
    batch = faaskit.MessageBatch(messages=messages)
    seen: list[str] = []

    @faaskit.handler(faaskit.queue("q"))
    def handle(message: faaskit.Message, ctx: faaskit.Context) -> None:
        seen.append(message.id)
        if message.body == b"bad":
            raise ValueError(message.id)

    with pytest.raises(ValueError, match="1"):
        run_batch(handle, batch, local_context("handle"), report=False)
    assert seen == ["0", "1", "2", "3"]


def test_platform_without_partial_reports_raises_for_batch_results() -> None:
    batch = faaskit.MessageBatch(messages=[faaskit.Message(id="a"), faaskit.Message(id="b")])
    handler = _whole(lambda b: faaskit.BatchResult(failed=["b"]))
    with pytest.raises(faaskit.FaaskitError) as info:
        run_batch(handler, batch, local_context("whole"), report=False)
    assert getattr(info.value, "failed", None) == ("b",)
