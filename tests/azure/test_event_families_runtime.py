"""Every non-HTTP trigger family inside the real Azure Functions Python runtime.

``faaskit_azure.function_app`` registers one handler per binding (Storage Queue, Service Bus
queue and topic, blob trigger, Event Grid for blobs and for events, timer, Event Hubs, Cosmos
DB); the runtime (``azure-functions-runtime``, Python 3.13) must index every wrapper, decode
the host's typed data through its converters and run the handler; a failing message must fail
the invocation so the platform retries it.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from faaskit.testing.azure_host import (
    AzureHost,
    HostEvent,
    Typed,
    blob_created,
    cosmos_documents,
    event_grid_event,
    event_hub_event,
    queue_message,
    service_bus_message,
    timer_tick,
)
from tests.runtime.helpers import AZURE_RUNTIME

pytestmark = AZURE_RUNTIME

APP = """
import json, logging
import faaskit, faaskit_azure

log = logging.getLogger("families")


def report(kind, **fields):
    log.warning(json.dumps({"kind": kind, **fields}, default=str))


@faaskit.handler(faaskit.queue("orders"))
def on_order(message, ctx):
    if message.json().get("fail"):
        raise ValueError("order rejected")
    report("message", id=message.id, body=message.text, count=message.delivery_count,
           source=message.source, platform=ctx.platform)


@faaskit.handler(faaskit.queue("payments"))
def on_payment(message, ctx):
    report("message", id=message.id, attributes=dict(message.attributes),
           subject=message.subject, source=message.source)


@faaskit.handler(faaskit.topic("news", subscription="mailer"))
def on_news(message, ctx):
    report("message", id=message.id, body=message.text, source=message.source)


@faaskit.handler(faaskit.blob("uploads"))
def on_upload(event, ctx):
    report("blob", bucket=event.bucket, key=event.key, size=event.size, store=event.store)


@faaskit.handler(faaskit.blob("images", events=("created", "deleted")))
def on_image(event, ctx):
    report("blob", bucket=event.bucket, key=event.key, action=event.action)


@faaskit.handler(faaskit.events({"source": ["contoso"]}))
def on_event(event, ctx):
    report("event", id=event.id, type=event.type, data=event.data)


@faaskit.handler(faaskit.schedule("rate(5 minutes)"))
def tick(event, ctx):
    report("schedule", schedule=event.schedule, past_due=event.past_due)


@faaskit.handler(faaskit.queue("bulk", batch=True))
def on_bulk(batch, ctx):
    report("batch", ids=[m.id for m in batch])
    return faaskit.BatchResult(failed=[m.id for m in batch if m.text == "bad"])


@faaskit.handler(faaskit.stream("telemetry"))
def on_reading(record, ctx):
    if record.data == b"bad":
        raise ValueError(f"bad reading {record.id}")
    report("stream", id=record.id, data=record.data.decode(), key=record.partition_key)


@faaskit.handler(faaskit.stream("shop/orders", batch=True))
def on_changes(batch, ctx):
    report("stream", ids=[r.id for r in batch], new=[r.new for r in batch])


app = faaskit_azure.function_app(
    on_order, on_payment, on_news, on_bulk, on_upload, on_image, on_event, tick, on_reading,
    on_changes, queue_service={"payments": "servicebus", "bulk": "servicebus"},
)
"""

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Any:
    app = tmp_path_factory.mktemp("families")
    (app / "function_app.py").write_text(textwrap.dedent(APP))
    with AzureHost(app) as running:
        yield running


def reported(invocation: Any) -> dict[str, Any]:
    assert invocation.ok, invocation.error
    (line,) = [r.message for r in invocation.logs if r.logger == "families"]
    result: dict[str, Any] = json.loads(line)
    return result


def test_every_family_is_indexed_with_its_binding(host: Any) -> None:
    triggers = {f.name: f.trigger.type for f in host.functions()}
    assert triggers == {
        "on_order": "queueTrigger",
        "on_payment": "serviceBusTrigger",
        "on_news": "serviceBusTrigger",
        "on_bulk": "serviceBusTrigger",
        "on_upload": "blobTrigger",
        "on_image": "eventGridTrigger",
        "on_event": "eventGridTrigger",
        "tick": "timerTrigger",
        "on_reading": "eventHubTrigger",
        "on_changes": "cosmosDBTrigger",
    }


def test_storage_queue(host: Any) -> None:
    got = reported(
        host.invoke_event("on_order", queue_message({"n": 1}, id="q-1", dequeue_count=3))
    )
    assert got == {
        "kind": "message",
        "id": "q-1",
        "body": '{"n": 1}',
        "count": 3,
        "source": "orders",
        "platform": "azure",
    }


def test_failing_message_fails_the_invocation(host: Any) -> None:
    invocation = host.invoke_event("on_order", queue_message({"fail": True}))
    assert not invocation.ok
    assert "order rejected" in invocation.error.message


def test_service_bus_queue_and_topic(host: Any) -> None:
    delivery = service_bus_message(
        "x", message_id="sb-1", subject="paid", application_properties={"tenant": "a"}
    )
    got = reported(host.invoke_event("on_payment", delivery))
    assert got == {
        "kind": "message",
        "id": "sb-1",
        "attributes": {"tenant": "a"},
        "subject": "paid",
        "source": "payments",
    }
    got = reported(host.invoke_event("on_news", service_bus_message("hi", message_id="n-1")))
    assert (got["id"], got["body"], got["source"]) == ("n-1", "hi", "news")


def test_blob_trigger(host: Any) -> None:
    got = reported(host.invoke_event("on_upload", blob_created("uploads/in/a.csv", b"1,2,3")))
    assert got == {
        "kind": "blob",
        "bucket": "uploads",
        "key": "in/a.csv",
        "size": 5,
        "store": "azure://uploads",
    }


@pytest.mark.parametrize("schema", ["eventgrid", "cloudevents"])
def test_event_grid_blob_and_custom_events(host: Any, schema: str) -> None:
    subject = "/blobServices/default/containers/images/blobs/cat.png"
    data = {"api": "DeleteBlob", "url": "https://acct.blob.core.windows.net/images/cat.png"}
    if schema == "eventgrid":
        blob = {
            "id": "1",
            "topic": "t",
            "subject": subject,
            "data": data,
            "eventType": "Microsoft.Storage.BlobDeleted",
            "eventTime": "2024-01-01T00:00:00Z",
            "dataVersion": "",
            "metadataVersion": "1",
        }
        custom = {
            "id": "2",
            "topic": "t",
            "subject": "s",
            "data": {"n": 1},
            "eventType": "Contoso.Thing",
            "eventTime": "2024-01-01T00:00:00Z",
            "dataVersion": "1",
            "metadataVersion": "1",
        }
    else:
        blob = {
            "specversion": "1.0",
            "id": "1",
            "source": "t",
            "subject": subject,
            "type": "Microsoft.Storage.BlobDeleted",
            "time": "2024-01-01T00:00:00Z",
            "data": data,
        }
        custom = {
            "specversion": "1.0",
            "id": "2",
            "source": "t",
            "subject": "s",
            "type": "Contoso.Thing",
            "time": "2024-01-01T00:00:00Z",
            "data": {"n": 1},
        }
    got = reported(host.invoke_event("on_image", event_grid_event(blob)))
    assert (got["bucket"], got["key"], got["action"]) == ("images", "cat.png", "deleted")
    got = reported(host.invoke_event("on_event", event_grid_event(custom)))
    assert (got["id"], got["type"], got["data"]) == ("2", "Contoso.Thing", {"n": 1})


def test_timer(host: Any) -> None:
    got = reported(host.invoke_event("tick", timer_tick(past_due=True)))
    assert got == {"kind": "schedule", "schedule": "rate(5 minutes)", "past_due": True}


def test_event_hub_and_cosmos(host: Any) -> None:
    delivery = event_hub_event("21.5", partition_key="dev-1", sequence_number=42)
    got = reported(host.invoke_event("on_reading", delivery))
    assert (got["id"], got["data"], got["key"]) == ("42", "21.5", "dev-1")
    docs = [{"id": "a", "n": 1}, {"id": "b", "n": 2}]
    got = reported(host.invoke_event("on_changes", cosmos_documents(docs)))
    assert (got["ids"], got["new"]) == (["a", "b"], docs)


def test_event_hub_batch_stops_at_the_first_bad_record(host: Any) -> None:
    system = [
        {
            "SequenceNumber": 7 + i,
            "PartitionKey": "dev-1",
            "EnqueuedTimeUtc": "2024-01-01T00:00:00Z",
        }
        for i in range(3)
    ]
    delivery = HostEvent(
        trigger_type="eventHubTrigger",
        data=Typed(kind="collection_bytes", value=[b"ok", b"bad", b"never"]),
        metadata={"SystemPropertiesArray": system},
    )
    invocation = host.invoke_event("on_reading", delivery)
    assert not invocation.ok
    assert "bad reading 8" in invocation.error.message
    reports = [json.loads(r.message) for r in invocation.logs if r.logger == "families"]
    assert [report["id"] for report in reports] == ["7"]


def test_service_bus_batch_reporting_failures_fails_the_invocation(host: Any) -> None:
    ids = ["m-1", "m-2"]

    def delivery(bodies: list[str]) -> HostEvent:
        return HostEvent(
            trigger_type="serviceBusTrigger",
            data=Typed(kind="collection_string", value=bodies),
            metadata={
                "MessageIdArray": ids,
                "DeliveryCountArray": [1, 1],
                "UserPropertiesArray": [{}, {}],
            },
        )

    assert reported(host.invoke_event("on_bulk", delivery(["a", "b"])))["ids"] == ids
    invocation = host.invoke_event("on_bulk", delivery(["a", "bad"]))
    assert not invocation.ok
    assert "BatchFailedError" in invocation.error.message
