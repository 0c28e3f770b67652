"""Malformed SQS metadata over a whole batch: each message names its own record, and finding
the records' positions walks the delivery once, not once per message (linear, not quadratic).
"""

from __future__ import annotations

from typing import Any

import pytest

import faaskit
from faaskit import Context, InvalidEventError, Message
from faaskit.testing import aws_event, invoke
from faaskit_aws import _sqs_batch


@pytest.mark.parametrize(
    ("field", "value"),
    [("SentTimestamp", "1e500000"), ("ApproximateReceiveCount", "x"), ("MessageGroupId", 7)],
)
def test_malformed_metadata_over_a_batch_is_named_per_record_in_one_walk(
    field: str, value: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    size = 400

    @faaskit.handler(faaskit.queue("orders"))
    def on_message(message: Message, ctx: Context) -> None:
        try:
            message.enqueued_at, message.delivery_count, message.group_id  # noqa: B018
        except InvalidEventError as exc:
            errors.append(str(exc.field))
            raise

    event = aws_event("sqs", bodies=[f"m{i}" for i in range(size)])
    for record in event["Records"]:
        record["attributes"][field] = value
    walks: list[int] = []

    def counting(items: Any, start: int = 0) -> Any:
        walks.append(len(items))
        return enumerate(items, start)

    monkeypatch.setattr(_sqs_batch, "enumerate", counting, raising=False)
    result = invoke(on_message, event, platform="aws")
    assert len(result["batchItemFailures"]) == size
    assert errors == [f"Records[{i}].attributes.{field}" for i in range(size)]
    assert sum(walks) <= size
