"""Helpers for the AWS non-HTTP tests: fixtures, a Lambda context, capturing handlers."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import faaskit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "aws"


class LambdaContext:
    """The attributes of the Lambda Python context object that faaskit reads."""

    aws_request_id = "0f0e0d0c-0b0a-4909-8807-060504030201"
    function_name = "events-fn"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:events-fn"
    memory_limit_in_mb = "256"
    log_group_name = "/aws/lambda/events-fn"
    log_stream_name = "2026/11/28/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def fixture(rel: str) -> Any:
    """A fresh copy of ``tests/fixtures/aws/<rel>.json``."""
    return json.loads((FIXTURES / f"{rel}.json").read_text())


def capture(
    event: Any,
    trigger: faaskit.Trigger | None = None,
    *,
    fails: Callable[[Any], bool] = lambda _: False,
) -> tuple[list[Any], Any]:
    """Run ``event`` through a handler that records what it receives; returns (seen, result).

    ``fails(event)`` decides which portable events the handler raises on.
    """
    seen: list[Any] = []

    @faaskit.handler(trigger)
    def record(portable: Any, ctx: faaskit.Context) -> None:
        seen.append(portable)
        if fails(portable):
            raise RuntimeError(f"handler failed on {getattr(portable, 'id', portable)!r}")

    result = record(copy.deepcopy(event), LambdaContext())
    return seen, result


def reported(result: Any) -> list[str]:
    """The item identifiers of a partial batch response."""
    assert set(result) == {"batchItemFailures"}
    return [item["itemIdentifier"] for item in result["batchItemFailures"]]
