"""Helpers for the AWS HTTP tests: a Lambda context double, fixtures, capturing handlers."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import faaskit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "aws" / "http"


class FakeLambdaContext:
    """The attributes of the Lambda Python context object that faaskit reads."""

    def __init__(
        self,
        *,
        request_id: str = "11111111-2222-4333-8444-555555555555",
        function_name: str = "orders-api",
        memory: int | str = 256,
        remaining_ms: int = 30_000,
    ) -> None:
        self.aws_request_id = request_id
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:eu-west-1:123456789012:function:{function_name}"
        )
        self.memory_limit_in_mb = memory
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "2026/11/28/[$LATEST]0123456789abcdef"
        self._remaining = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self._remaining


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of ``tests/fixtures/aws/http/<name>.json``."""
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return copy.deepcopy(data)


def capture(event: Any, trigger: Any = None) -> tuple[Any, Any, Any]:
    """Send ``event`` through the Lambda path of a bare (or declared) handler.

    Returns ``(request, ctx, native_response)``; request and ctx are None when the handler was
    never reached.
    """
    seen: list[Any] = []

    def body(req: Any, ctx: Any) -> Any:
        seen.append((req, ctx))
        return {"ok": True}

    handler = faaskit.handler(trigger)(body) if trigger is not None else faaskit.handler(body)
    native = handler(event, FakeLambdaContext())
    req, ctx = seen[0] if seen else (None, None)
    return req, ctx, native


def respond(event: Any, result: Any) -> Any:
    """The native response for a handler that returns ``result`` to ``event``."""

    @faaskit.handler
    def body(req: Any, ctx: Any) -> Any:
        return result

    return body(event, FakeLambdaContext())
