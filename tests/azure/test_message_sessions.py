"""faaskit_azure.message: Service Bus triggers can be session-aware."""

from __future__ import annotations

from typing import Any

import pytest

import faaskit
import faaskit_azure


# A Service Bus entity that requires sessions refuses a receiver that is not session-aware:
# the trigger needs isSessionsEnabled, which function_app had no way to set.
@faaskit.handler(faaskit.queue("orders"))
def on_order(msg: Any, ctx: faaskit.Context) -> None:
    return None


@faaskit.handler(faaskit.topic("events", subscription="audit"))
def on_event(msg: Any, ctx: faaskit.Context) -> None:
    return None


def _trigger(handler: Any, **options: Any) -> dict[str, Any]:
    (function,) = faaskit_azure.function_app(handler, **options).get_functions()
    return dict(function.get_trigger().get_dict_repr())


@pytest.mark.parametrize("handler", [on_order, on_event])
def test_service_bus_sessions_can_be_enabled(handler: Any) -> None:
    name = handler.trigger.name
    options = {"queue_service": "servicebus", "servicebus_sessions": {name: True}}
    assert _trigger(handler, **options)["isSessionsEnabled"] is True
    assert "isSessionsEnabled" not in _trigger(handler, queue_service="servicebus")


def test_a_bad_servicebus_sessions_option_is_a_configuration_error() -> None:
    with pytest.raises(faaskit.ConfigurationError, match="servicebus_sessions"):
        faaskit_azure.function_app(on_order, queue_service="servicebus", servicebus_sessions="y")
