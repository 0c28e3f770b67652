"""Azure Event Grid events (Event Grid and CloudEvents schemas) -> CloudEvent; registration.

Objects are built through the ``azure.functions`` converters from events written here from the
Azure documentation (Event Grid event schema; CloudEvents 1.0 schema in Event Grid).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import faaskit
from faaskit._context import local_context
from faaskit.exceptions import InvalidEventError, TriggerMismatchError
from faaskit.testing.azure_objects import build
from faaskit_azure import blob as azblob
from faaskit_azure import event as azevent
from tests.azure.helpers import function_of, invoke

pytest.importorskip("azure.functions")

CTX = local_context("test")
TOPIC = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
    "Microsoft.EventGrid/topics/orders"
)

GRID = {
    "topic": TOPIC,
    "subject": "orders/o-17",
    "eventType": "Contoso.Orders.OrderPlaced",
    "eventTime": "2024-06-01T08:00:00.9876543Z",
    "id": "6f1c8b2e-0000-4000-8000-000000000017",
    "data": {"order_id": "o-17", "total": 42.5},
    "dataVersion": "1.0",
    "metadataVersion": "1",
}
CLOUD = {
    "specversion": "1.0",
    "type": "Contoso.Orders.OrderPlaced",
    "source": TOPIC,
    "id": "6f1c8b2e-0000-4000-8000-000000000018",
    "time": "2024-06-01T08:00:01Z",
    "subject": "orders/o-18",
    "datacontenttype": "application/json",
    "data": {"order_id": "o-18", "total": 1},
    "tenant": "contoso",
}


def grid_object(document: dict[str, Any]) -> Any:
    return build({"binding": "eventGridTrigger", "data": {"type": "json", "inline": document}})


def test_event_grid_schema_event() -> None:
    raw = grid_object(GRID)
    assert azevent.EVENT_GRID.recognise(raw)
    assert not azevent.CLOUD_EVENTS.recognise(raw)
    assert not any(d.recognise(raw) for d in azblob.DECODERS)
    event = azevent.EVENT_GRID.decode(raw, CTX)
    assert isinstance(event, faaskit.CloudEvent)
    assert (event.id, event.type, event.source, event.subject) == (
        GRID["id"],
        GRID["eventType"],
        GRID["topic"],
        GRID["subject"],
    )
    assert event.data == GRID["data"]
    assert event.time == raw.event_time
    assert event.to_cloudevent()["type"] == GRID["eventType"]


def test_cloudevents_schema_event() -> None:
    raw = grid_object(CLOUD)
    assert azevent.CLOUD_EVENTS.recognise(raw)
    assert not azevent.EVENT_GRID.recognise(raw)
    event = azevent.CLOUD_EVENTS.decode(raw, CTX)
    assert (event.id, event.type, event.source, event.subject) == (
        CLOUD["id"],
        CLOUD["type"],
        CLOUD["source"],
        CLOUD["subject"],
    )
    assert event.data == CLOUD["data"]
    assert event.time is not None and event.time.isoformat() == "2024-06-01T08:00:01+00:00"
    structure = event.to_cloudevent()
    assert structure["specversion"] == "1.0"
    assert structure["data"] == CLOUD["data"]


def test_plain_json_events_decode_like_the_converted_objects() -> None:
    for document, decoder in ((GRID, azevent.EVENT_GRID), (CLOUD, azevent.CLOUD_EVENTS)):
        assert decoder.recognise(document)
        assert decoder.decode(document, CTX) == decoder.decode(grid_object(document), CTX)


def test_storage_events_belong_to_the_blob_decoders() -> None:
    storage = dict(GRID, eventType="Microsoft.Storage.BlobCreated")
    storage["subject"] = "/blobServices/default/containers/c/blobs/k"
    assert not azevent.EVENT_GRID.recognise(grid_object(storage))
    assert azevent.EventGridEvent(storage=True).recognise(grid_object(storage))


@pytest.mark.parametrize("missing", ["id", "eventType"])
def test_event_without_id_or_type_is_refused(missing: str) -> None:
    document = {k: v for k, v in GRID.items() if k != missing}
    with pytest.raises(InvalidEventError) as info:
        azevent.EVENT_GRID.decode(document, CTX)
    assert info.value.field in ("id", "eventType")


def test_bad_event_time_is_a_typed_error() -> None:
    with pytest.raises(InvalidEventError) as info:
        azevent.EVENT_GRID.decode(dict(GRID, eventTime="yesterday"), CTX)
    assert info.value.field == "time"


def test_not_an_event_is_a_typed_error() -> None:
    with pytest.raises(InvalidEventError):
        azevent.EVENT_GRID.decode(object(), CTX)


# Registration through function_app.


def test_events_handler_is_an_event_grid_trigger_and_gets_every_event() -> None:
    seen: list[faaskit.CloudEvent] = []

    @faaskit.handler(faaskit.events({"source": ["contoso.orders"]}))
    def on_event(event: faaskit.CloudEvent, ctx: Any) -> None:
        seen.append(event)

    (raw,) = function_of(on_event).get_raw_bindings()
    assert json.loads(raw)["type"] == "eventGridTrigger"
    storage = dict(CLOUD, type="Microsoft.Storage.BlobDeleted")
    for document in (GRID, CLOUD, storage):
        invoke(on_event, grid_object(document))
    assert [e.type for e in seen] == [GRID["eventType"], CLOUD["type"], storage["type"]]
    assert all(isinstance(e, faaskit.CloudEvent) for e in seen)


def test_blob_handler_given_a_custom_event_is_a_mismatch() -> None:
    @faaskit.handler(faaskit.blob("images", events=("created", "deleted")))
    def on_blob(event: Any, ctx: Any) -> None: ...

    with pytest.raises(TriggerMismatchError, match=r"Contoso\.Orders\.OrderPlaced"):
        invoke(on_blob, grid_object(GRID))
    from faaskit._run import run

    with pytest.raises(TriggerMismatchError):
        run(on_blob, azevent.EVENT_GRID.decode(GRID, CTX), CTX, source="eventgrid", report=False)
