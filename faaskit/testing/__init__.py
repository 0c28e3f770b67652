"""Test and develop faaskit handlers locally: realistic events for every source of both
clouds, fake contexts, ``invoke`` through the real adapter path, and a pytest plugin.

>>> from faaskit.testing import aws_event, invoke
>>> response = invoke(get_item, aws_event("apigw-v2", path="/items/42"))  # doctest: +SKIP

Everything loads lazily, so ``import faaskit.testing`` costs nothing until used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faaskit.testing.contexts import LambdaContext, azure_context, lambda_context
    from faaskit.testing.lambda_runtime import LambdaRuntime
    from faaskit.testing.runner import invoke
    from faaskit.testing.sources import SOURCES, Source, event
    from faaskit.testing.telemetry import Telemetry, capture_telemetry

__all__ = [
    "SOURCES",
    "LambdaContext",
    "LambdaRuntime",
    "Source",
    "Telemetry",
    "aws_event",
    "azure_context",
    "azure_event",
    "capture_telemetry",
    "event",
    "invoke",
    "lambda_context",
]

_LAZY = {
    "SOURCES": "faaskit.testing.sources",
    "Source": "faaskit.testing.sources",
    "event": "faaskit.testing.sources",
    "LambdaContext": "faaskit.testing.contexts",
    "azure_context": "faaskit.testing.contexts",
    "lambda_context": "faaskit.testing.contexts",
    "LambdaRuntime": "faaskit.testing.lambda_runtime",
    "invoke": "faaskit.testing.runner",
    "Telemetry": "faaskit.testing.telemetry",
    "capture_telemetry": "faaskit.testing.telemetry",
}


def aws_event(source: str, /, **overrides: Any) -> dict[str, Any]:
    """A realistic AWS Lambda event: ``aws_event("sqs", body="hi")``."""
    from faaskit.testing.sources import event, find

    result: dict[str, Any] = event(find(source, "aws"), **overrides)
    return result


def azure_event(source: str, /, **overrides: Any) -> Any:
    """A realistic ``azure.functions`` trigger object: ``azure_event("queue", body="hi")``."""
    from faaskit.testing.azure_objects import build
    from faaskit.testing.sources import event, find

    return build(event(find(source, "azure"), **overrides))


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'faaskit.testing' has no attribute {name!r}")
