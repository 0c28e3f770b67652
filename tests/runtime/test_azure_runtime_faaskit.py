"""faaskit handlers registered by ``faaskit_azure.function_app`` and run by the real runtime.

``azure_faaskit_app/function_app.py`` is one import and one call, as ``faaskit build`` writes
it; the handlers in ``handlers.py`` log the portable event they received, which the tests
compare with the delivery the harness sent as the Functions host would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from faaskit.testing.azure_host import (
    AzureHost,
    Invocation,
    blob_created,
    queue_message,
    timer_tick,
)
from tests.runtime.helpers import AZURE_RUNTIME, host_fixture

pytestmark = AZURE_RUNTIME

APP = Path(__file__).with_name("azure_faaskit_app")


host = host_fixture(APP)


def reported(result: Invocation, kind: str) -> Any:
    """The JSON the handler logged after ``kind``."""
    assert result.ok, result.error
    for record in result.logs:
        prefix, _, payload = record.message.partition(" ")
        if record.logger == "received" and prefix == kind:
            return json.loads(payload)
    raise AssertionError(f"no {kind} report in {result.logs}")


def test_every_handler_is_indexed_with_the_bindings_it_declares(host: AzureHost) -> None:
    functions = {f.name: f for f in host.functions()}
    assert set(functions) == {
        "get_item", "echo", "login", "fail", "on_order", "on_upload", "tick",
    }  # fmt: skip
    get_item = functions["get_item"]
    assert get_item.trigger.type == "httpTrigger"
    assert get_item.trigger.raw["route"] == "items/{item_id}"
    assert [m.upper() for m in get_item.trigger.raw["methods"]] == ["GET"]
    assert get_item.binding("$return").type == "http"
    assert [m.upper() for m in functions["echo"].trigger.raw["methods"]] == ["POST"]
    order = functions["on_order"].trigger
    assert (order.type, order.raw["queueName"]) == ("queueTrigger", "orders")
    upload = functions["on_upload"].trigger
    assert upload.type == "blobTrigger"
    assert upload.raw["path"].startswith("uploads/in/")
    tick = functions["tick"].trigger
    assert tick.type == "timerTrigger"
    assert tick.raw["schedule"] == "0 */5 * * * *"


def test_http_handler_gets_a_portable_request(host: AzureHost) -> None:
    result = host.request("GET", "/api/items/42?q=shoes", {"X-Trace": "t-1"})
    response = result.http
    assert response.status == 200
    assert (response.header("content-type") or "").startswith("application/json")
    assert response.json() == {"id": "42", "q": "shoes", "trace": "t-1", "platform": "azure"}


def test_http_response_status_headers_and_body_come_back(host: AzureHost) -> None:
    response = host.request("POST", "/api/echo", {"Content-Type": "text/plain"}, b"ping").http
    assert response.status == 202
    assert response.header("x-echo") == "yes"
    assert (response.header("content-type") or "").startswith("text/plain")
    assert response.body == b"ping"


def test_cookies_come_back_as_the_host_would_set_them(host: AzureHost) -> None:
    response = host.request("GET", "/api/login").http
    assert response.status == 200
    cookies = {cookie["name"]: cookie for cookie in response.cookies}
    assert cookies["session"]["value"] == "abc"
    assert (cookies["theme"]["value"], cookies["theme"]["path"]) == ("dark", "/")
    assert cookies["theme"]["http_only"] and cookies["theme"]["secure"]
    assert sorted(response.set_cookies()) == [
        "session=abc",
        "theme=dark; path=/; secure; httponly",
    ]


def test_unhandled_http_error_becomes_a_500_naming_the_request(host: AzureHost) -> None:
    result = host.request("GET", "/api/fail")
    response = result.http
    assert response.status == 500
    body = response.json()
    assert body["request_id"] == result.invocation_id
    assert "Traceback" not in response.text
    assert any("handler failed on purpose" in record.message for record in result.logs)


def test_queue_handler_gets_a_portable_message(host: AzureHost) -> None:
    event = queue_message("order 1", dequeue_count=2)
    seen = reported(host.invoke_event("on_order", event), "message")
    assert seen == {"id": event.metadata["Id"], "text": "order 1", "delivery_count": 2}


def test_a_failing_message_fails_the_invocation_so_the_host_retries(host: AzureHost) -> None:
    result = host.invoke_event("on_order", queue_message("poison"))
    assert not result.ok
    assert result.error is not None
    assert "poison message" in result.error.message


def test_blob_handler_gets_a_portable_blob_event(host: AzureHost) -> None:
    event = blob_created("uploads/in/photo.png", b"\x89PNG....", content_type="image/png")
    seen = reported(host.invoke_event("on_upload", event), "blob")
    assert seen == {"bucket": "uploads", "key": "in/photo.png", "size": len(event.data)}


@pytest.mark.parametrize("past_due", [True, False])
def test_schedule_handler_gets_a_portable_schedule_event(host: AzureHost, past_due: bool) -> None:
    seen = reported(host.invoke_event("tick", timer_tick(past_due=past_due)), "schedule")
    assert seen == {"past_due": past_due}
