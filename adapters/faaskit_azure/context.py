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

from faaskit.adapter import Context, cold, maker, take_cold_start

__all__ = ["from_azure"]

_environ = os.environ
_make = maker(Context)


def _trace_parent(azure_context: Any) -> str | None:
    trace = getattr(azure_context, "trace_context", None)
    value = getattr(trace, "trace_parent", None) if trace is not None else None
    return value if isinstance(value, str) and value else None


def from_azure(azure_context: Any, function_name: str) -> Context:
    """The context for one invocation, from the ``azure.functions.Context``."""
    region = _environ.get("REGION_NAME")
    invocation_id = getattr(azure_context, "invocation_id", None)
    name = getattr(azure_context, "function_name", None)
    return _make(
        request_id=str(invocation_id) if invocation_id else "",
        function_name=name if isinstance(name, str) and name else function_name,
        platform="azure",
        region=region,
        cold_start=bool(cold) and take_cold_start(),
        trace_id=_trace_parent(azure_context),
        raw=azure_context,
    )
