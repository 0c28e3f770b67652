"""Property: over random batches and random failure sets, exactly the right items are reported.

Standard queues report exactly the failed (or undecodable) messages; FIFO queues the first
failure and everything after it; streams the first failure alone, having stopped there.
"""

from __future__ import annotations

import base64
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
from tests.aws.event_helpers import capture, reported

# Each item: (handler fails on it, cannot be decoded).
# Lambda never delivers an empty batch (and one could not be recognised as SQS or Kinesis).
ITEMS = st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=10)


def sqs_event(plan: list[tuple[bool, bool]], *, fifo: bool) -> dict[str, Any]:
    queue = "jobs.fifo" if fifo else "jobs"
    records = []
    for index, (fails, broken) in enumerate(plan):
        system = {"ApproximateReceiveCount": "1", "SentTimestamp": str(1795860930000 + index)}
        if fifo:
            system["MessageGroupId"] = "g"
        records.append(
            {
                "messageId": f"m-{index}",
                "receiptHandle": f"h-{index}",
                "body": 42 if broken else ("fail" if fails else "ok"),
                "attributes": system,
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:eu-west-1:123456789012:{queue}",
                "awsRegion": "eu-west-1",
            }
        )
    return {"Records": records}


def kinesis_event(plan: list[tuple[bool, bool]]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "kinesis": {
                    "partitionKey": "p",
                    "sequenceNumber": f"{1000 + index}",
                    "data": "@@@"
                    if broken
                    else base64.b64encode(b"fail" if fails else b"ok").decode(),
                    "approximateArrivalTimestamp": 1795860930.5,
                },
                "eventSource": "aws:kinesis",
                "eventSourceARN": "arn:aws:kinesis:eu-west-1:123456789012:stream/s",
            }
            for index, (fails, broken) in enumerate(plan)
        ]
    }


def _body(event: Any) -> bytes:
    return event.body if isinstance(event, faaskit.Message) else event.data


def _fails(event: Any) -> bool:
    return _body(event) == b"fail"


def _first_bad(plan: list[tuple[bool, bool]]) -> int | None:
    return next((i for i, (fails, broken) in enumerate(plan) if fails or broken), None)


@settings(max_examples=150, deadline=None)
@given(ITEMS)
def test_standard_queue_reports_exactly_the_failed_messages(plan: list[tuple[bool, bool]]) -> None:
    seen, result = capture(sqs_event(plan, fifo=False), faaskit.queue("jobs"), fails=_fails)
    assert reported(result) == [f"m-{i}" for i, (f, b) in enumerate(plan) if f or b]
    assert [m.id for m in seen] == [f"m-{i}" for i, (_, b) in enumerate(plan) if not b]


@settings(max_examples=150, deadline=None)
@given(ITEMS)
def test_fifo_queue_reports_the_first_failure_and_everything_after(
    plan: list[tuple[bool, bool]],
) -> None:
    seen, result = capture(sqs_event(plan, fifo=True), faaskit.queue("jobs.fifo"), fails=_fails)
    first = _first_bad(plan)
    stop = len(plan) if first is None else first
    assert reported(result) == [f"m-{i}" for i in range(stop, len(plan))]
    ran = [f"m-{i}" for i in range(stop)]
    if first is not None and not plan[first][1]:
        ran.append(f"m-{first}")  # it ran and raised
    assert [m.id for m in seen] == ran


@settings(max_examples=150, deadline=None)
@given(ITEMS)
def test_stream_reports_only_the_first_failure_and_stops(plan: list[tuple[bool, bool]]) -> None:
    seen, result = capture(kinesis_event(plan), faaskit.stream("s"), fails=_fails)
    first = _first_bad(plan)
    assert reported(result) == ([] if first is None else [f"{1000 + first}"])
    stop = len(plan) if first is None else first + (0 if plan[first][1] else 1)
    assert [r.id for r in seen] == [f"{1000 + i}" for i in range(stop)]


@settings(max_examples=150, deadline=None)
@given(ITEMS, st.booleans())
def test_batch_handlers_report_what_they_return(plan: list[tuple[bool, bool]], fifo: bool) -> None:
    handed: list[list[str]] = []

    @faaskit.handler(faaskit.queue("jobs", batch=True))
    def whole(batch: faaskit.MessageBatch, ctx: faaskit.Context) -> faaskit.BatchResult:
        handed.append([m.id for m in batch])
        return faaskit.BatchResult(failed=[m.id for m in batch if m.body == b"fail"])

    from tests.aws.event_helpers import LambdaContext

    result = whole(sqs_event(plan, fifo=fifo), LambdaContext())
    bad = [i for i, (f, b) in enumerate(plan) if b]
    stop = bad[0] if fifo and bad else len(plan)
    given_ids = [f"m-{i}" for i in range(stop) if not plan[i][1]]
    assert handed == ([given_ids] if given_ids else [])
    failed = sorted({i for i in range(stop) if plan[i][0] and not plan[i][1]} | set(bad))
    if fifo:
        expected = [f"m-{i}" for i in range(failed[0], len(plan))] if failed else []
    else:
        expected = [f"m-{i}" for i in failed]
    assert reported(result) == expected
