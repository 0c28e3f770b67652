"""The portable :class:`faaskit.Context` built from an ``azure.functions.Context``.

Invocation context (``invocation_id``, ``function_name``, ``trace_context.trace_parent``):
https://learn.microsoft.com/azure/azure-functions/functions-reference-python#context
App settings the platform sets (``REGION_NAME``):
https://learn.microsoft.com/azure/azure-functions/functions-app-settings
Azure Functions gives no per-invocation deadline or memory size, so both stay None.
"""

from __future__ import annotations

import os
from typing import Any

from faaskit.adapter import Context, cold, env_reader, take_cold_start, writable

__all__ = ["from_azure"]

_environ = os.environ
_new: Any = object.__new__
_WritableContext = writable(Context)


_region = env_reader("REGION_NAME")


def _trace_parent(azure_context: Any) -> str | None:
    trace = getattr(azure_context, "trace_context", None)
    value = getattr(trace, "trace_parent", None) if trace is not None else None
    return value if isinstance(value, str) and value else None


def from_azure(azure_context: Any, function_name: str) -> Context:
    """The context for one invocation, from the ``azure.functions.Context``."""
    try:  # the worker's Context has all three
        invocation_id = azure_context.invocation_id
        name = azure_context.function_name
        trace_parent = azure_context.trace_context.trace_parent
    except AttributeError:
        invocation_id = getattr(azure_context, "invocation_id", None)
        name = getattr(azure_context, "function_name", None)
        trace_parent = _trace_parent(azure_context)
    ctx = _new(_WritableContext)  # Context(...) through its writable twin, inlined
    ctx.request_id = invocation_id if type(invocation_id) is str else str(invocation_id or "")
    ctx.function_name = name if type(name) is str and name else function_name
    ctx.platform = "azure"
    ctx.region = _region()
    ctx.memory_mb = None
    ctx.deadline = None
    ctx.cold_start = take_cold_start() if cold else False
    ctx.trace_id = trace_parent if type(trace_parent) is str and trace_parent else None
    ctx.logger = None
    ctx.raw = azure_context
    ctx.__class__ = Context
    return ctx  # type: ignore[no-any-return]
