"""Damaged events never crash the non-HTTP decoders, and no batch item is silently dropped.

Hypothesis picks a place in a fixture and deletes it or replaces it with a value of the wrong
type; the adapter must then either deliver the event or raise a typed FaaskitError, and every
message of an SQS batch must be either processed or reported.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import faaskit
from tests.aws.event_helpers import capture, fixture

FIXTURES = [
    "s3/put",
    "s3/two_records",
    "sqs/standard",
    "sqs/fifo",
    "sqs/sns_in_sqs",
    "sqs/s3_in_sqs",
    "sns/notification",
    "eventbridge/custom",
    "eventbridge/scheduler",
    "eventbridge/s3_object_created",
    "kinesis/batch",
    "dynamodb/batch",
]
REPLACEMENTS = st.sampled_from([None, 0, -1, 1.5, True, "", "x", "%%%", [], {}, [None], {"S": 1}])


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _damage(raw: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    damaged = copy.deepcopy(raw)
    parent = damaged
    for step in path[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return damaged


def _ids(raw: Any) -> list[str]:
    """The message ids of an SQS delivery that a partial response could name."""
    records = raw.get("Records") if isinstance(raw, dict) else None
    if not isinstance(records, list):
        return []
    ids = [r.get("messageId") for r in records if isinstance(r, dict)]
    return [i for i in ids if isinstance(i, str) and i]


@pytest.mark.parametrize("name", FIXTURES)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), value=REPLACEMENTS, delete=st.booleans())
def test_damaged_events_never_crash(name: str, data: Any, value: Any, delete: bool) -> None:
    raw = fixture(name)
    path = data.draw(st.sampled_from(_paths(raw)))
    damaged = _damage(raw, path, value, delete)
    try:
        seen, result = capture(damaged)
    except faaskit.FaaskitError:
        return
    if name.startswith("sqs/") and name != "sqs/fifo" and isinstance(result, dict):
        delivered = {getattr(e, "id", None) for e in seen}
        failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        for message_id in _ids(damaged):
            wrapped = any(not isinstance(e, faaskit.Message) for e in seen)
            assert message_id in delivered | failed or wrapped
