"""Azure Storage Queue and Service Bus messages -> Message / MessageBatch; registration and the
delivery semantics (a failure raises so the platform retries and dead-letters).

Objects are built through the ``azure.functions`` converters from trigger metadata written here
from the Azure documentation (queue trigger metadata; Service Bus trigger metadata, cardinality
one and many).
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

import faaskit
from faaskit._context import local_context
from faaskit.exceptions import BatchFailedError, ConfigurationError, InvalidEventError
from faaskit.testing.azure_objects import build
from faaskit_azure import message as azmessage
from tests.azure.helpers import binding_of, function_of, invoke

pytest.importorskip("azure.functions")

CTX = local_context("test")


def s(value: str) -> dict[str, Any]:
    return {"type": "string", "value": value}


def j(value: Any) -> dict[str, Any]:
    return {"type": "json", "value": json.dumps(value)}


def queue_spec(body: str, *, id: str = "q-1", dequeue: int = 1) -> dict[str, Any]:
    return {
        "binding": "queueTrigger",
        "data": s(body),
        "trigger_metadata": {
            "Id": s(id),
            "DequeueCount": j(dequeue),
            "InsertionTime": s("2024-02-03T04:05:06+00:00"),
            "ExpirationTime": s("2024-02-10T04:05:06+00:00"),
            "NextVisibleTime": s("2024-02-03T04:15:06+00:00"),
            "PopReceipt": s("AgAAAAMAAAAAAAAA"),
        },
    }


def bus_spec(body: str, *, id: str = "m-1", session: str = "", **props: Any) -> dict[str, Any]:
    return {
        "binding": "serviceBusTrigger",
        "data": s(body),
        "trigger_metadata": {
            "MessageId": s(id),
            "DeliveryCount": j(3),
            "EnqueuedTimeUtc": s("2024-02-03T04:05:06.1234567Z"),
            "SessionId": s(session),
            "Subject": s("order-placed"),
            "UserProperties": j(props),
            "ApplicationProperties": j(props),
        },
    }


def bus_batch(bodies: list[str], *, sessions: list[str] | None = None) -> Any:
    """A cardinality-many delivery: collection data plus per-message metadata arrays."""
    from azure.functions import get_binding_registry
    from azure.functions.meta import Datum

    count = len(bodies)
    metadata = {
        "MessageIdArray": Datum(json.dumps([f"m-{i}" for i in range(count)]), "json"),
        "DeliveryCountArray": Datum(json.dumps([1] * count), "json"),
        "EnqueuedTimeUtcArray": Datum(json.dumps(["2024-02-03T04:05:06Z"] * count), "json"),
        "SessionIdArray": Datum(json.dumps(sessions or [""] * count), "json"),
        "UserPropertiesArray": Datum(json.dumps([{"n": i} for i in range(count)]), "json"),
        "ApplicationPropertiesArray": Datum(json.dumps([{"n": i} for i in range(count)]), "json"),
    }
    data = Datum(SimpleNamespace(string=bodies), "collection_string")
    return get_binding_registry().get("serviceBusTrigger").decode(data, trigger_metadata=metadata)


def test_storage_queue_message() -> None:
    raw = build(queue_spec('{"order": 7}', id="abc", dequeue=2))
    assert azmessage.STORAGE_QUEUE.recognise(raw)
    assert not azmessage.SERVICE_BUS.recognise(raw)
    message = azmessage.StorageQueue(queue="orders").decode(raw, CTX)
    assert message.id == raw.id
    assert message.body == raw.get_body()
    assert message.json() == {"order": 7}
    assert message.delivery_count == raw.dequeue_count
    assert message.enqueued_at == raw.insertion_time
    assert message.source == "orders"
    assert message.attributes == {}
    assert message.group_id is None and message.subject is None


def test_service_bus_message() -> None:
    raw = build(bus_spec("hello", id="sb-9", tenant="a", priority=2))
    assert azmessage.SERVICE_BUS.recognise(raw)
    message = azmessage.ServiceBus(entity="orders").decode(raw, CTX)
    assert isinstance(message, faaskit.Message)
    assert message.id == raw.message_id
    assert message.text == "hello"
    assert message.attributes == raw.application_properties == {"tenant": "a", "priority": 2}
    assert message.delivery_count == raw.delivery_count
    assert message.enqueued_at == raw.enqueued_time_utc
    assert message.subject == raw.subject
    assert message.group_id is None
    assert message.source == "orders"


def test_service_bus_session_becomes_group_id_and_label_is_the_subject() -> None:
    spec = bus_spec("x", session="customer-42")
    spec["trigger_metadata"]["Label"] = spec["trigger_metadata"].pop("Subject")
    spec["trigger_metadata"].pop("ApplicationProperties")
    raw = build(spec)
    message = azmessage.SERVICE_BUS.decode(raw, CTX)
    assert message.group_id == raw.session_id
    assert message.subject == raw.label
    assert message.attributes == raw.user_properties


def test_service_bus_batch() -> None:
    raw = bus_batch(["a", "b", "c"])
    assert azmessage.SERVICE_BUS.recognise(raw)
    batch = azmessage.ServiceBus(entity="orders").decode(raw, CTX)
    assert isinstance(batch, faaskit.MessageBatch)
    assert [m.id for m in batch] == [item.message_id for item in raw]
    assert [m.body for m in batch] == [item.get_body() for item in raw]
    assert [m.attributes for m in batch] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert not batch.fifo
    assert azmessage.SERVICE_BUS.decode(bus_batch(["a"], sessions=["s"]), CTX).fifo


def test_message_without_id_is_refused() -> None:
    raw = build(bus_spec("x", id=""))
    with pytest.raises(InvalidEventError) as info:
        azmessage.SERVICE_BUS.decode(raw, CTX)
    assert info.value.field == "message_id"


def test_non_mapping_properties_are_refused() -> None:
    raw = build(bus_spec("x"))
    raw._ServiceBusMessage__application_properties = ["not", "a", "map"]
    with pytest.raises(InvalidEventError):
        azmessage.SERVICE_BUS.decode(raw, CTX)


# Registration and semantics through function_app.


def test_queue_is_a_storage_queue_by_default_and_service_bus_when_asked() -> None:
    @faaskit.handler(faaskit.queue("orders"))
    def on_order(message: Any, ctx: Any) -> None: ...

    storage = binding_of(on_order)
    assert (storage["type"], storage["queueName"]) == ("queueTrigger", "orders")
    assert storage["connection"] == "AzureWebJobsStorage"
    bus = binding_of(on_order, queue_service={"orders": "servicebus"})
    assert (bus["type"], bus["queueName"], bus["connection"]) == (
        "serviceBusTrigger",
        "orders",
        "ServiceBusConnection",
    )
    assert bus.get("cardinality", "ONE").upper() == "ONE"
    with pytest.raises(ConfigurationError, match="queue_service"):
        binding_of(on_order, queue_service="kafka")


def test_batch_service_bus_queue_has_cardinality_many_and_a_list_annotation() -> None:
    import typing

    import azure.functions as func

    @faaskit.handler(faaskit.queue("orders", batch=True))
    def on_orders(batch: Any, ctx: Any) -> None: ...

    function = function_of(on_orders, queue_service="servicebus")
    (raw,) = function.get_raw_bindings()
    assert json.loads(raw)["cardinality"].upper() == "MANY"
    hints = typing.get_type_hints(function.get_user_function())
    assert func.meta.is_iterable_type_annotation(hints["msg"], func.ServiceBusMessage)


def test_topic_is_a_service_bus_subscription() -> None:
    @faaskit.handler(faaskit.topic("news", subscription="mailer"))
    def on_news(message: Any, ctx: Any) -> None: ...

    @faaskit.handler(faaskit.topic("news"))
    def archive(message: Any, ctx: Any) -> None: ...

    binding = binding_of(on_news, connections={"servicebus": "Bus"})
    assert binding["type"] == "serviceBusTrigger"
    assert (binding["topicName"], binding["subscriptionName"]) == ("news", "mailer")
    assert binding["connection"] == "Bus"
    assert binding_of(archive)["subscriptionName"] == "archive"


def test_failing_message_raises_so_azure_retries_it() -> None:
    @faaskit.handler(faaskit.queue("orders"))
    def on_order(message: faaskit.Message, ctx: Any) -> None:
        if message.json()["order"] == 13:
            raise ValueError("unlucky order")

    assert invoke(on_order, queue_spec('{"order": 1}')) is None
    with pytest.raises(ValueError, match="unlucky"):
        invoke(on_order, queue_spec('{"order": 13}'))


def test_service_bus_batch_runs_every_message_then_raises_the_first_failure() -> None:
    seen: list[str] = []

    @faaskit.handler(faaskit.queue("orders"))
    def on_order(message: faaskit.Message, ctx: Any) -> None:
        seen.append(message.text)
        if message.text in ("b", "d"):
            raise ValueError(f"bad {message.text}")

    with pytest.raises(ValueError, match="bad b"):
        invoke(on_order, bus_batch(["a", "b", "c", "d"]), queue_service="servicebus")
    assert seen == ["a", "b", "c", "d"]


def test_session_batch_stops_at_the_first_failure_to_keep_order() -> None:
    seen: list[str] = []

    @faaskit.handler(faaskit.queue("orders"))
    def on_order(message: faaskit.Message, ctx: Any) -> None:
        seen.append(message.text)
        if message.text == "b":
            raise ValueError("bad b")

    raw = bus_batch(["a", "b", "c"], sessions=["s1", "s1", "s1"])
    with pytest.raises(ValueError, match="bad b"):
        invoke(on_order, raw, queue_service="servicebus")
    assert seen == ["a", "b"]


def test_batch_handler_reporting_failures_fails_the_invocation() -> None:
    @faaskit.handler(faaskit.queue("orders", batch=True))
    def on_orders(batch: faaskit.MessageBatch, ctx: Any) -> faaskit.BatchResult:
        return faaskit.BatchResult(failed=[m.id for m in batch if m.text == "b"])

    assert invoke(on_orders, bus_batch(["a", "c"]), queue_service="servicebus") is None
    with pytest.raises(BatchFailedError) as info:
        invoke(on_orders, bus_batch(["a", "b"]), queue_service="servicebus")
    assert info.value.failed == ("m-1",)


def test_storage_queue_batch_handler_gets_a_batch_of_one() -> None:
    seen: list[Any] = []

    @faaskit.handler(faaskit.queue("orders", batch=True))
    def on_orders(batch: faaskit.MessageBatch, ctx: Any) -> None:
        seen.append([m.id for m in batch])

    invoke(on_orders, queue_spec("x", id="only"))
    assert seen == [["only"]]


def test_message_handler_receiving_a_timer_is_a_mismatch() -> None:
    from faaskit_azure.message import StorageQueue

    @faaskit.handler(faaskit.schedule("rate(5 minutes)"))
    def tick(event: Any, ctx: Any) -> None: ...

    from faaskit._run import run
    from faaskit.exceptions import TriggerMismatchError

    message = StorageQueue().decode(build(queue_spec("x")), CTX)
    with pytest.raises(TriggerMismatchError):
        run(tick, message, CTX, source="azure-storage-queue", report=False)


def test_undecodable_message_in_a_batch_fails_the_delivery_after_the_others_ran() -> None:
    seen: list[str] = []

    @faaskit.handler(faaskit.queue("orders"))
    def on_order(message: faaskit.Message, ctx: Any) -> None:
        seen.append(message.text)

    raw = bus_batch(["a", "b", "c"])
    raw[1]._ServiceBusMessage__message_id = None
    batch = azmessage.SERVICE_BUS.decode(raw, CTX)
    assert [m.text for m in batch] == ["a", "c"]
    assert [e.id for e in batch.entries] == ["m-0", "#1", "m-2"]
    with pytest.raises(InvalidEventError):
        invoke(on_order, raw, queue_service="servicebus")
    assert seen == ["a", "c"]


def test_async_batch_handler_reporting_failures_fails_the_invocation() -> None:
    import asyncio

    @faaskit.handler(faaskit.queue("orders", batch=True))
    async def on_orders(batch: faaskit.MessageBatch, ctx: Any) -> faaskit.BatchResult:
        return faaskit.BatchResult(failed=[m.id for m in batch if m.text == "b"])

    with pytest.raises(BatchFailedError) as info:
        asyncio.run(invoke(on_orders, bus_batch(["a", "b"]), queue_service="servicebus"))
    assert info.value.failed == ("m-1",)
