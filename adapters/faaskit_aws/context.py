"""The portable :class:`faaskit.Context` built from a Lambda context object.

Lambda context: https://docs.aws.amazon.com/lambda/latest/dg/python-context.html
Runtime environment variables (``AWS_REGION``, ``_X_AMZN_TRACE_ID``):
https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
"""

from __future__ import annotations

import os
import time
from typing import Any

from faaskit._context import Context, take_cold_start

__all__ = ["from_lambda"]

_REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
_environ = os.environ


def _memory(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def from_lambda(lambda_context: Any, function_name: str) -> Context:
    """The context for one invocation; ``lambda_context`` may be None outside Lambda."""
    if lambda_context is None:
        import uuid

        return Context(
            request_id=str(uuid.uuid4()),
            function_name=function_name,
            platform="local",
            region=_REGION,
            cold_start=take_cold_start(),
            trace_id=_environ.get("_X_AMZN_TRACE_ID"),
        )
    remaining = getattr(lambda_context, "get_remaining_time_in_millis", None)
    deadline = time.monotonic() + remaining() / 1000 if remaining is not None else None
    return Context(
        request_id=getattr(lambda_context, "aws_request_id", None) or "",
        function_name=getattr(lambda_context, "function_name", None) or function_name,
        platform="aws",
        region=_REGION,
        memory_mb=_memory(getattr(lambda_context, "memory_limit_in_mb", None)),
        deadline=deadline,
        cold_start=take_cold_start(),
        trace_id=_environ.get("_X_AMZN_TRACE_ID"),
        raw=lambda_context,
    )
