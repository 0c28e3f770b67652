"""The portable :class:`faaskit.Context` built from a Lambda context object.

Lambda context: https://docs.aws.amazon.com/lambda/latest/dg/python-context.html
Runtime environment variables (``AWS_REGION``, ``_X_AMZN_TRACE_ID``):
https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
"""

from __future__ import annotations

import os
import time
from typing import Any

from faaskit.adapter import Context, Pending, cold, env_reader, take_cold_start, writable

__all__ = ["from_lambda"]

_REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
_environ = os.environ
_TRACE = "_X_AMZN_TRACE_ID"


_trace_id = env_reader(_TRACE, _environ)
_monotonic = time.monotonic
_new: Any = object.__new__
_WritableContext = writable(Context)


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
    """The context for one invocation, from the Lambda context object."""
    try:
        request_id = lambda_context.aws_request_id
        name = lambda_context.function_name
    except AttributeError:
        request_id = getattr(lambda_context, "aws_request_id", None)
        name = getattr(lambda_context, "function_name", None)
    ctx = _new(_WritableContext)  # Context(...) through its writable twin, inlined
    ctx.request_id = request_id or ""
    ctx.function_name = name or function_name
    ctx.platform = "aws"
    ctx.region = _REGION
    ctx.memory_mb = _LATER
    ctx.deadline = _LATER
    ctx.cold_start = take_cold_start() if cold else False
    ctx.trace_id = _trace_id()  # set by the runtime client for each invocation
    ctx.logger = None
    ctx.raw = lambda_context
    ctx.__class__ = Context
    return ctx  # type: ignore[no-any-return]


class _FromLambda(Pending):
    """The context fields few handlers read, taken from the Lambda context object when first
    read (``trace_id`` is not one of them: the runtime changes it for the next invocation).
    """

    __slots__ = ()

    def resolve(self, instance: Any, name: str) -> Any:
        raw = instance.raw
        if name == "memory_mb":
            return _memory(getattr(raw, "memory_limit_in_mb", None))
        # The runtime counts down to a fixed instant, so reading it later gives the same one.
        remaining = getattr(raw, "get_remaining_time_in_millis", None)
        return None if remaining is None else _monotonic() + remaining() / 1000


_LATER = _FromLambda()
