"""Every Azure factory builds the ``azure.functions`` object the worker would hand over, and
through ``faaskit_azure`` it normalizes to portable events whose fields match the spec."""

from __future__ import annotations

import json
from typing import Any

import pytest

import faaskit
from faaskit.testing import SOURCES, azure_event, event, invoke
from faaskit.testing.azure_objects import build
from faaskit.testing.plugin import EventFactory

pytest.importorskip("azure.functions")

TYPES = {
    "http": "HttpRequest",
    "blob": "InputStream",
    "eventgrid-blob": "EventGridEvent",
    "cloudevent-blob": "CloudEvent",
    "queue": "QueueMessage",
    "servicebus": "ServiceBusMessage",
    "servicebus-batch": "list",  # of ServiceBusMessage, as cardinality many
    "eventgrid": "EventGridEvent",
    "timer": "TimerRequest",
    "eventhub": "EventHubEvent",
    "cosmos": "DocumentList",
}


def test_the_table_covers_every_azure_source() -> None:
    assert {s.name for s in SOURCES.values() if s.platform == "azure"} == set(TYPES)


@pytest.mark.parametrize("name", sorted(TYPES))
def test_spec_is_json_and_builds_the_worker_type(name: str) -> None:
    spec = event(f"azure:{name}")
    assert json.loads(json.dumps(spec)) == spec
    assert type(build(spec)).__name__ == TYPES[name]


def _capture(trigger: Any) -> tuple[faaskit.Handler, list[Any]]:
    seen: list[Any] = []

    @faaskit.handler(trigger)
    def capture(item: Any, ctx: faaskit.Context) -> Any:
        seen.append((item, ctx))
        return {"ok": True} if isinstance(item, faaskit.HttpRequest) else None

    return capture, seen


def test_http_request_through_the_azure_adapter() -> None:
    handler, seen = _capture(faaskit.http("POST", "/items/{item_id}"))
    obj = azure_event(
        "http",
        method="POST",
        path="/items/42",
        query={"q": "x"},
        headers={"X-Custom": "yes"},
        body={"n": 1},
        route_params={"item_id": "42"},
    )
    response = invoke(handler, obj, platform="azure")
    assert response.status_code == 200
    req, ctx = seen[0]
    assert (req.method, req.path_params["item_id"], req.query.get("q")) == ("POST", "42", "x")
    assert req.headers.get("x-custom") == "yes"
    assert req.json() == {"n": 1}
    assert ctx.platform == "azure"


def test_blob_queue_timer_and_servicebus_objects_normalize() -> None:
    handler, seen = _capture(faaskit.blob("samples"))
    invoke(handler, event("azure:blob", name="in/a.txt", data="hello"), platform="azure")
    blob = seen[0][0]
    assert (blob.bucket, blob.key, blob.size) == ("samples", "in/a.txt", 5)

    handler, seen = _capture(faaskit.queue("work"))
    invoke(handler, event("azure:queue", body="hi", dequeue_count=3, id="m-1"), platform="azure")
    message = seen[0][0]
    assert (message.id, message.text, message.delivery_count) == ("m-1", "hi", 3)

    handler, seen = _capture(faaskit.topic("orders"))
    spec = event("azure:servicebus", body="{}", subject="s", properties={"tenant": "a"})
    invoke(handler, spec, platform="azure")
    assert seen[0][0].attributes.get("tenant") == "a"

    handler, seen = _capture(faaskit.schedule("0 */5 * * * *"))
    invoke(handler, event("azure:timer", past_due=True), platform="azure")
    assert seen[0][0].past_due is True


def test_blob_deleted_handlers_receive_event_grid_events() -> None:
    handler, seen = _capture(faaskit.blob("samples", events=("created", "deleted")))
    spec = event("azure:eventgrid-blob", name="x/y.txt", action="deleted")
    invoke(handler, spec, platform="azure")
    assert (seen[0][0].key, seen[0][0].action) == ("x/y.txt", "deleted")


def test_a_failing_message_handler_raises_so_the_host_retries() -> None:
    @faaskit.handler(faaskit.queue("work"))
    def fail(message: faaskit.Message, ctx: faaskit.Context) -> None:
        raise ValueError("nope")

    with pytest.raises(ValueError, match="nope"):
        invoke(fail, event("azure:queue"), platform="azure")


def test_a_bad_spec_names_the_field() -> None:
    with pytest.raises(faaskit.InvalidEventError) as info:
        build({"binding": "queueTrigger", "data": {"type": "bytes", "value_b64": "%%"}})
    assert info.value.field == "data.value_b64"
    with pytest.raises(faaskit.InvalidEventError, match="unknown binding"):
        build({"binding": "nopeTrigger", "data": {"type": "string", "value": ""}})


def test_fixtures(azure_events: EventFactory, azure_context: Any) -> None:
    assert azure_events.queue(body="x").get_body() == b"x"
    assert azure_events.spec("timer")["binding"] == "timerTrigger"
    assert azure_context.invocation_id
    assert azure_context.trace_context.trace_parent.startswith("00-")


def test_event_hub_batch_has_cardinality_many() -> None:
    events = azure_event("eventhub", bodies=["a", "b"], sequence_number=10)
    assert [(e.get_body(), e.sequence_number) for e in events] == [(b"a", 10), (b"b", 11)]
    handler, seen = _capture(faaskit.stream("events", batch=True))
    invoke(handler, event("azure:eventhub", bodies=["a", "b"]), platform="azure")
    batch = seen[0][0]
    assert [r.data for r in batch.records] == [b"a", b"b"]
