"""DynamoDB attribute values: nesting beyond DynamoDB's 32 levels is a typed error naming the
path, however deep the image goes, never a ``RecursionError``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
from faaskit import Context, InvalidEventError
from faaskit.testing import aws_event, invoke
from faaskit_aws._dynamodb import MAX_DEPTH, image


def _nested(depth: int, kinds: list[str]) -> dict[str, Any]:
    value: dict[str, Any] = {"S": "leaf"}
    for level in range(depth):
        value = {"M": {"k": value}} if kinds[level % len(kinds)] == "M" else {"L": [value]}
    return value


@settings(max_examples=40, deadline=None)
@given(
    depth=st.integers(min_value=MAX_DEPTH + 1, max_value=20_000),
    kinds=st.lists(st.sampled_from("ML"), min_size=1, max_size=4),
)
def test_images_nested_too_deep_are_typed_errors(depth: int, kinds: list[str]) -> None:
    with pytest.raises(InvalidEventError, match=f"deeper than {MAX_DEPTH}") as info:
        image({"doc": _nested(depth, kinds)}, "aws:dynamodb", "Records[0].dynamodb.NewImage")
    assert info.value.field is not None
    assert info.value.field.startswith("Records[0].dynamodb.NewImage.doc")


@pytest.mark.parametrize("kinds", [["M"], ["L"], ["M", "L"]])
def test_images_at_dynamodbs_depth_limit_decode(kinds: list[str]) -> None:
    decoded = image({"doc": _nested(MAX_DEPTH, kinds)}, "aws:dynamodb", "NewImage")
    inner: Any = decoded["doc"]
    for _ in range(MAX_DEPTH):
        inner = inner["k"] if isinstance(inner, dict) else inner[0]
    assert inner == "leaf"


def test_a_stream_handler_fails_the_deep_record_alone() -> None:
    seen: list[str] = []

    @faaskit.handler(faaskit.stream("orders"))
    def on_change(record: faaskit.Record, ctx: Context) -> None:
        seen.append(record.id)

    event = aws_event("dynamodb")
    good = dict(event["Records"][0], dynamodb=dict(event["Records"][0]["dynamodb"]))
    good["dynamodb"]["SequenceNumber"] = "2"
    event["Records"][0]["dynamodb"]["NewImage"] = {"doc": _nested(5_000, ["M", "L"])}
    event["Records"].append(good)
    result = invoke(on_change, event, platform="aws")
    assert result == {"batchItemFailures": [{"itemIdentifier": "111000000000000000000001"}]}
