"""Whole-batch handlers: every obvious spelling of "these failed" is honoured, and anything
ambiguous fails the whole batch (redelivered), never acknowledges it.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
from faaskit import BatchFailedError, BatchResult, Context, Message, MessageBatch, Record
from faaskit._batch import run_batch
from faaskit._stream import RecordBatch
from faaskit.testing import aws_event, invoke

CTX = Context(request_id="req-1", function_name="fn", platform="local")
SIZE = 6


def _messages() -> list[Message]:
    return [Message(id=f"m-{i}", body=b"x") for i in range(SIZE)]


def _handler(result: Any, *, kind: str = "queue") -> Any:
    trigger = faaskit.queue("q", batch=True) if kind == "queue" else faaskit.stream("s", batch=True)

    @faaskit.handler(trigger)
    def whole(batch: Any, ctx: Context) -> Any:
        return result(batch) if callable(result) else result

    return whole


SPELLINGS = {
    "ids": lambda items: [i.id for i in items],
    "objects": lambda items: list(items),
    "tuple of ids": lambda items: tuple(i.id for i in items),
    "BatchResult of ids": lambda items: BatchResult(failed=[i.id for i in items]),
    "BatchResult of objects": lambda items: BatchResult(failed=list(items)),
    "BatchResult of a generator": lambda items: BatchResult(failed=(i for i in items)),
    "Lambda's dict": lambda items: {"batchItemFailures": [{"itemIdentifier": i.id} for i in items]},
}


@settings(max_examples=80, deadline=None)
@given(
    chosen=st.sets(st.integers(0, SIZE - 1)),
    spelling=st.sampled_from(sorted(SPELLINGS)),
)
def test_every_obvious_spelling_reports_exactly_the_failed_messages(
    chosen: set[int], spelling: str
) -> None:
    messages = _messages()
    failed = [messages[i] for i in sorted(chosen)]
    handler = _handler(lambda batch: SPELLINGS[spelling](failed))
    result = run_batch(handler, MessageBatch(messages=messages), CTX, report=True)
    assert sorted(result.failed) == sorted(m.id for m in failed)
    if failed:
        with pytest.raises(BatchFailedError) as info:
            run_batch(handler, MessageBatch(messages=messages), CTX, report=False)
        assert sorted(info.value.failed) == sorted(m.id for m in failed)


def test_a_single_message_given_alone_is_that_message() -> None:
    messages = _messages()
    handler = _handler(lambda batch: BatchResult(failed=messages[3]))
    assert run_batch(handler, MessageBatch(messages=messages), CTX, report=True).failed == ["m-3"]


AMBIGUOUS = [
    True,
    "ok",
    0,
    {"failed": ["m-1"]},
    {"batchItemFailures": "m-1"},
    {"batchItemFailures": [{"id": "m-1"}]},
    {"batchItemFailures": [{"itemIdentifier": "m-1"}], "extra": 1},
    ["m-1", None],
    ["m-1", b"m-2"],
    [{"itemIdentifier": "m-1"}],
    BatchResult(failed=["m-1", "not-in-this-batch"]),
    [Message(id="elsewhere")],
    object(),
]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(AMBIGUOUS) | st.floats() | st.binary() | st.dictionaries(st.text(), st.text())
)
def test_anything_ambiguous_fails_the_whole_batch(result: Any) -> None:
    messages = _messages()
    handler = _handler(result)
    reported = run_batch(handler, MessageBatch(messages=messages), CTX, report=True)
    assert sorted(reported.failed) == sorted(m.id for m in messages)
    with pytest.raises(BatchFailedError) as info:
        run_batch(handler, MessageBatch(messages=messages), CTX, report=False)
    assert len(info.value.failed) == SIZE


def test_nothing_returned_acknowledges_the_batch() -> None:
    handler = _handler(None)
    assert run_batch(handler, MessageBatch(messages=_messages()), CTX, report=True).failed == ()


def test_a_stream_batch_reports_records_given_as_objects() -> None:
    records = [Record(id=str(100 + i), data=b"x") for i in range(4)]
    handler = _handler(lambda batch: [records[2], records[3]], kind="stream")
    result = run_batch(handler, RecordBatch(records=records), CTX, report=True)
    assert result.failed == ["102"]  # a stream restarts from the earliest failed record


def test_lambdas_own_dict_reaches_sqs_as_that_partial_batch_response() -> None:
    event = aws_event("sqs", bodies=["a", "b", "c"])
    ids = [r["messageId"] for r in event["Records"]]
    handler = _handler(
        lambda batch: {"batchItemFailures": [{"itemIdentifier": batch.messages[1].id}]}
    )
    assert invoke(handler, event, platform="aws") == {
        "batchItemFailures": [{"itemIdentifier": ids[1]}]
    }
    objects = _handler(lambda batch: BatchResult(failed=[batch.messages[0], batch.messages[2]]))
    assert invoke(objects, event, platform="aws") == {
        "batchItemFailures": [{"itemIdentifier": ids[0]}, {"itemIdentifier": ids[2]}]
    }
