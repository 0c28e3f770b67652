"""``invoke(handler, event, platform=...)``: run a handler once the way its cloud would.

- ``aws``: the handler is called as Lambda calls it, ``handler(event, context)``, so the event
  goes through the AWS adapter's decode, run and encode; the Lambda response comes back.
- ``azure``: the handler is registered in a ``FunctionApp`` with ``faaskit_azure.function_app``
  and the registered function is called as the Python worker calls it (keyword arguments named
  after the bindings, plus ``context``); the native return value (``func.HttpResponse``, ...)
  comes back.
- ``local``: the handler is called directly with a portable event.
"""

from __future__ import annotations

import contextlib
import inspect
import weakref
from collections.abc import Mapping
from typing import Any

from faaskit.exceptions import ConfigurationError

__all__ = ["azure_function", "invoke"]

PLATFORMS = ("aws", "azure", "local")

_apps: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()


def invoke(handler: Any, event: Any, *, platform: str = "aws", context: Any = None) -> Any:
    """Run ``handler`` on one ``event`` as ``platform`` runs it and return the native result.

    ``event`` is a Lambda event dict (aws), an ``azure.functions`` object or an Azure
    invocation spec (azure), or a portable event (local). ``context`` defaults to a fresh fake
    context for the platform.
    """
    if platform == "aws":
        from faaskit.testing.contexts import lambda_context

        return handler(event, context if context is not None else lambda_context(handler.name))
    if platform == "azure":
        return _invoke_azure(handler, event, context)
    if platform == "local":
        from faaskit.adapter import local_context

        return handler.call(event, context if context is not None else local_context(handler.name))
    raise ConfigurationError(f"unknown platform {platform!r}; use one of {', '.join(PLATFORMS)}")


def azure_function(handler: Any, **options: Any) -> Any:
    """The ``azure.functions`` Function that ``faaskit_azure.function_app`` registers for
    ``handler`` with ``options`` (cached per handler and options).
    """
    key = tuple(sorted(options.items()))
    try:
        return _apps[handler][key]
    except (KeyError, TypeError):
        pass
    try:
        import faaskit_azure
    except ImportError as exc:
        raise ConfigurationError(
            "the Azure adapter (faaskit_azure) is not importable; install faaskit[azure]"
        ) from exc
    make = getattr(faaskit_azure, "function_app", None)
    if make is None:
        raise ConfigurationError("faaskit_azure.function_app is not available in this build")
    functions = make(handler, **options).get_functions()
    if not functions:
        raise ConfigurationError(
            f"handler {handler.name!r} registers no Azure function; give it a trigger "
            "declaration (faaskit.http(...), faaskit.queue(...), ...)"
        )
    function = next((f for f in functions if f.get_function_name() == handler.name), functions[0])
    with contextlib.suppress(TypeError):
        _apps.setdefault(handler, {})[key] = function
    return function


def _registration(handler: Any, event: Any) -> dict[str, Any]:
    """Options that register ``handler`` behind the trigger ``event`` comes from: a queue
    handler receiving Service Bus messages is registered as a Service Bus queue.
    """
    items = event if isinstance(event, list) else [event]
    bus = bool(items) and all(type(item).__name__ == "ServiceBusMessage" for item in items)
    if bus and type(getattr(handler, "trigger", None)).__name__ == "Queue":
        return {"queue_service": "servicebus"}
    return {}


def _invoke_azure(handler: Any, event: Any, context: Any) -> Any:
    from faaskit.testing.contexts import azure_context

    if isinstance(event, Mapping) and "binding" in event:
        from faaskit.testing.azure_objects import build

        event = build(event)
    function = azure_function(handler, **_registration(handler, event))
    trigger = function.get_trigger()
    user = function.get_user_function()
    params = inspect.signature(user).parameters
    kwargs: dict[str, Any] = {trigger.name: event}
    if "context" in params:
        kwargs["context"] = (
            context if context is not None else azure_context(function.get_function_name())
        )
    result = user(**kwargs)
    if inspect.isawaitable(result):
        import asyncio

        return asyncio.run(_await(result))
    return result


async def _await(awaitable: Any) -> Any:
    return await awaitable
