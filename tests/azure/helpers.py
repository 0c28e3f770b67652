"""Register handlers with ``faaskit_azure.function_app`` and call them as the worker does."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from faaskit.testing.azure_objects import build


def function_of(handler: Any, **options: Any) -> Any:
    """The one ``azure.functions`` function ``function_app(handler, **options)`` registers."""
    import faaskit_azure

    (function,) = faaskit_azure.function_app(handler, **options).get_functions()
    return function


def binding_of(handler: Any, **options: Any) -> dict[str, Any]:
    """The trigger binding (``function.json`` entry) registered for ``handler``."""
    (raw,) = function_of(handler, **options).get_raw_bindings()
    return dict(json.loads(raw))


def invoke(handler: Any, raw: Any, **options: Any) -> Any:
    """Call the registered function as the worker does: binding name and context keywords.

    ``raw`` is the trigger's object, or an invocation spec (``{"binding": ...}``) to build it.
    """
    if isinstance(raw, dict) and "binding" in raw:
        raw = build(raw)
    function = function_of(handler, **options)
    context = SimpleNamespace(invocation_id="inv-1", function_name=handler.name, trace_context=None)
    return function.get_user_function()(**{function.get_trigger().name: raw, "context": context})


def as_cloudevent(grid: dict[str, Any]) -> dict[str, Any]:
    """An Event Grid schema event as the same event in the CloudEvents 1.0 schema."""
    return {
        "specversion": "1.0",
        "type": grid["eventType"],
        "source": grid["topic"],
        "id": grid["id"],
        "time": grid["eventTime"],
        "subject": grid["subject"],
        "data": grid["data"],
    }
