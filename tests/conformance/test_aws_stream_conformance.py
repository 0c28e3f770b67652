"""Every core AWS corpus entry of kind ``stream`` normalizes to Records, field by field.

DynamoDB images are checked against boto3's own ``TypeDeserializer`` (an independent reading
of the attribute-value format); Kinesis data against the standard library's base64.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

import faaskit
from tests.aws.event_helpers import capture
from tests.corpus import load, params


def _plain(value: Any) -> Any:
    """boto3's deserialized values with its ``Binary`` wrapper unwrapped to bytes."""
    from boto3.dynamodb.types import Binary

    if isinstance(value, Binary):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return {_plain(v) for v in value}
    return value


def _image(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {name: _plain(deserializer.deserialize(value)) for name, value in raw.items()}


@pytest.mark.parametrize("rel", params(platform="aws", kind="stream", tier="core"))
def test_stream_entry(rel: str) -> None:
    raw = load(rel)
    seen, result = capture(raw, faaskit.stream("any"))
    assert result == {"batchItemFailures": []}
    assert len(seen) == len(raw["Records"])
    for record, native in zip(seen, raw["Records"], strict=True):
        assert isinstance(record, faaskit.Record)
        assert record.raw == native
        if native["eventSource"] == "aws:kinesis":
            kinesis = native["kinesis"]
            assert record.id == kinesis["sequenceNumber"]
            assert record.data == base64.b64decode(kinesis["data"])
            assert record.partition_key == kinesis["partitionKey"]
            assert record.time is not None
            assert record.time.timestamp() == pytest.approx(kinesis["approximateArrivalTimestamp"])
        else:
            block = native["dynamodb"]
            assert record.id == block["SequenceNumber"]
            assert record.action == native["eventName"].lower()
            assert record.new == _image(block.get("NewImage"))
            assert record.old == _image(block.get("OldImage"))
            assert record.keys == _image(block.get("Keys"))
    first_id = seen[0].id
    failed_seen, failed = capture(raw, faaskit.stream("any"), fails=lambda r: True)
    assert failed == {"batchItemFailures": [{"itemIdentifier": first_id}]}
    assert len(failed_seen) == 1
