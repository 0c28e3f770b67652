"""The portable :class:`faaskit.Context` built from a Lambda context object.

Lambda context: https://docs.aws.amazon.com/lambda/latest/dg/python-context.html
Runtime environment variables (``AWS_REGION``, ``_X_AMZN_TRACE_ID``):
https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
"""

from __future__ import annotations

import os
import time
from typing import Any

from faaskit._context import Context, _cold, take_cold_start
from faaskit._fast import maker

__all__ = ["from_lambda"]

_REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
_environ = os.environ
_monotonic = time.monotonic
_make = maker(Context)


def _trace_id() -> str | None:
    # Indexing skips Mapping.get's extra layer; the runtime client sets the variable for each
    # invocation before calling the handler.
    try:
        return _environ["_X_AMZN_TRACE_ID"]
    except KeyError:
        return None


_MEMORY: dict[Any, int | None] = {}


def _memory(value: Any) -> int | None:
    """The memory size in MB, from the int or text the runtime gives (None if it is neither)."""
    try:
        return _MEMORY[value]
    except (KeyError, TypeError):
        pass
    try:
        mb: int | None = int(value)
    except (TypeError, ValueError):
        mb = None
    if type(value) in (int, str) and len(_MEMORY) < 16:
        _MEMORY[value] = mb
    return mb


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
    try:
        request_id = lambda_context.aws_request_id
        name = lambda_context.function_name
        deadline = _monotonic() + lambda_context.get_remaining_time_in_millis() / 1000
        memory = lambda_context.memory_limit_in_mb
    except AttributeError:
        remaining = getattr(lambda_context, "get_remaining_time_in_millis", None)
        request_id = getattr(lambda_context, "aws_request_id", None)
        name = getattr(lambda_context, "function_name", None)
        deadline = _monotonic() + remaining() / 1000 if remaining is not None else None
        memory = getattr(lambda_context, "memory_limit_in_mb", None)
    return _make(
        request_id=request_id or "",
        function_name=name or function_name,
        platform="aws",
        region=_REGION,
        memory_mb=_memory(memory),
        deadline=deadline,
        cold_start=bool(_cold) and take_cold_start(),
        trace_id=_trace_id(),
        raw=lambda_context,
    )
