"""A hand-written Azure Functions app run inside the real Azure Functions Python runtime.

``azure_app/function_app.py`` uses plain ``azure.functions``; each function logs what the
worker handed it, and the tests compare that with what the harness sent as the host would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from faaskit.testing.azure_host import (
    AzureHost,
    AzureHostError,
    Invocation,
    blob_created,
    cosmos_documents,
    event_grid_event,
    event_hub_event,
    queue_message,
    service_bus_message,
    timer_tick,
)
from tests.runtime.helpers import AZURE_RUNTIME, host_fixture

pytestmark = AZURE_RUNTIME

APP = Path(__file__).with_name("azure_app")


host = host_fixture(APP)


def reported(result: Invocation, kind: str) -> Any:
    """The JSON the function logged after ``kind``."""
    assert result.ok, result.error
    for line in result.user_logs():
        prefix, _, payload = line.partition(" ")
        if prefix == kind:
            return json.loads(payload)
    raise AssertionError(f"no {kind} report in {result.logs}")


def test_every_function_is_indexed_with_its_bindings(host: AzureHost) -> None:
    names = {f.name for f in host.functions()}
    assert names == {
        "get_item", "boom", "on_order", "on_upload", "tick", "forward",
        "on_invoice", "on_grid", "on_telemetry", "on_change",
    }  # fmt: skip
    get_item = host.function("get_item")
    assert get_item.trigger.name == "req"
    assert get_item.trigger.raw["route"] == "items/{item_id}"
    assert sorted(get_item.trigger.raw["methods"]) == ["GET", "POST"]
    assert get_item.binding("$return").type == "http"
    assert get_item.binding("$return").direction == "out"
    on_order = host.function("on_order").trigger
    assert (on_order.type, on_order.raw["queueName"]) == ("queueTrigger", "orders")
    assert host.function("on_upload").trigger.raw["path"] == "uploads/{name}"
    assert host.function("tick").trigger.raw["schedule"] == "0 */5 * * * *"
    forward = host.function("forward")
    assert forward.binding("done").raw["queueName"] == "jobs-done"
    assert forward.binding("done").direction == "out"


def test_http_request_reaches_the_function_and_its_response_comes_back(host: AzureHost) -> None:
    result = host.invoke_http(
        "get_item", "POST", "/api/items/42?verbose=1", {"X-Trace": "abc"}, b"payload"
    )
    response = result.http
    assert response.status == 201
    assert response.header("x-served-by") == "azure_app"
    assert response.header("Content-Type") == "application/json"
    assert response.json() == {
        "method": "POST",
        "item_id": "42",
        "query": {"verbose": "1"},
        "trace": "abc",
        "body": "payload",
    }


def test_requests_are_routed_by_route_and_method(host: AzureHost) -> None:
    response = host.request("GET", "http://localhost:7071/api/ITEMS/7").http
    assert response.status == 200
    assert response.json()["item_id"] == "7"
    with pytest.raises(AzureHostError, match="no HTTP function matches DELETE"):
        host.request("DELETE", "/api/items/7")
    with pytest.raises(AzureHostError, match="accepts GET, POST, not PUT"):
        host.invoke_http("get_item", "PUT", "/api/items/7")
    with pytest.raises(AzureHostError, match="does not match its route"):
        host.invoke_http("get_item", "GET", "/api/other/7")


def test_a_failing_function_reports_failure_with_its_exception(host: AzureHost) -> None:
    result = host.invoke_http("boom", "GET", "/api/boom")
    assert not result.ok
    assert result.error is not None
    assert result.error.message == "RuntimeError: boom on purpose"
    assert "function_app.py" in result.error.stack_trace
    with pytest.raises(AzureHostError, match="failed"):
        result.http  # noqa: B018


def test_queue_message_reaches_the_handler_with_its_metadata(host: AzureHost) -> None:
    event = queue_message({"order": 1}, dequeue_count=3)
    seen = reported(host.invoke_event("on_order", event), "queue")
    assert seen["id"] == event.metadata["Id"]
    assert json.loads(seen["body"]) == {"order": 1}
    assert seen["dequeue_count"] == 3
    assert seen["pop_receipt"] == event.metadata["PopReceipt"]
    assert seen["insertion_time"] == event.metadata["InsertionTime"].isoformat()


def test_a_failing_queue_message_reports_failure(host: AzureHost) -> None:
    result = host.invoke("on_order", "queue", "poison", {"Id": "m1", "DequeueCount": 5})
    assert not result.ok
    assert result.error is not None
    assert result.error.message == "ValueError: poison message"


def test_output_binding_values_come_back(host: AzureHost) -> None:
    result = host.invoke_event("forward", queue_message("hello"))
    assert result.ok, result.error
    assert result.outputs == {"done": "HELLO"}


def test_blob_reaches_the_handler_with_its_name_and_uri(host: AzureHost) -> None:
    event = blob_created("uploads/reports/q1.csv", b"a,b\n1,2\n", content_type="text/csv")
    seen = reported(host.invoke_event("on_upload", event), "blob")
    assert seen["name"] == "uploads/reports/q1.csv"
    assert seen["uri"] == event.metadata["Uri"]
    assert seen["length"] == len(event.data)
    assert seen["data"] == event.data.decode()


@pytest.mark.parametrize("past_due", [True, False])
def test_timer_reaches_the_handler(host: AzureHost, past_due: bool) -> None:
    seen = reported(host.invoke_event("tick", timer_tick(past_due=past_due)), "timer")
    assert seen == {"past_due": past_due}


def test_service_bus_message_reaches_the_handler(host: AzureHost) -> None:
    event = service_bus_message(
        '{"invoice": 7}',
        subject="invoices",
        delivery_count=2,
        sequence_number=11,
        application_properties={"tenant": "a"},
    )
    seen = reported(host.invoke_event("on_invoice", event), "servicebus")
    assert seen["message_id"] == event.metadata["MessageId"]
    assert seen["body"] == event.data
    assert seen["content_type"] == "application/json"
    assert (seen["delivery_count"], seen["sequence_number"]) == (2, 11)
    assert seen["application_properties"] == {"tenant": "a"}
    assert seen["subject"] == "invoices"


def test_event_grid_event_reaches_the_handler(host: AzureHost) -> None:
    raw = {
        "id": "e-1",
        "topic": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a",
        "subject": "/blobServices/default/containers/c/blobs/b.txt",
        "eventType": "Microsoft.Storage.BlobCreated",
        "eventTime": "2024-01-01T12:00:00Z",
        "data": {"api": "PutBlob", "contentLength": 5},
        "dataVersion": "",
        "metadataVersion": "1",
    }
    seen = reported(host.invoke_event("on_grid", event_grid_event(raw)), "eventgrid")
    assert seen == {
        "id": raw["id"],
        "type": raw["eventType"],
        "subject": raw["subject"],
        "data": raw["data"],
    }


def test_event_hub_event_reaches_the_handler(host: AzureHost) -> None:
    event = event_hub_event("21.5", partition_key="dev-1", sequence_number=4, offset="1024")
    seen = reported(host.invoke_event("on_telemetry", event), "eventhub")
    assert seen == {
        "body": "21.5",
        "sequence_number": 4,
        "offset": "1024",
        "partition_key": "dev-1",
    }


def test_cosmos_documents_reach_the_handler(host: AzureHost) -> None:
    event = cosmos_documents([{"id": "a", "n": 1}, {"id": "b", "n": 2}])
    assert reported(host.invoke_event("on_change", event), "cosmos") == ["a", "b"]


def test_wrong_calls_name_the_function_and_the_problem(host: AzureHost) -> None:
    with pytest.raises(AzureHostError, match="no function 'missing'"):
        host.invoke("missing", None, "x")
    with pytest.raises(AzureHostError, match="its trigger is queueTrigger, not blob"):
        host.invoke("on_order", "blob", b"x")
    with pytest.raises(AzureHostError, match="not an HTTP function"):
        host.invoke_http("on_order", "GET", "/api/on_order")
