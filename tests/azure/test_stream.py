"""Azure Event Hubs and the Cosmos DB change feed -> Record / RecordBatch; registration and the
stream semantics (stop at the first failing record and raise).

Objects are built through the ``azure.functions`` converters from trigger metadata written here
from the Azure documentation (Event Hubs trigger metadata, cardinality one and many; Cosmos DB
trigger documents).
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import pytest

import faaskit
from faaskit._context import local_context
from faaskit.exceptions import BatchFailedError, ConfigurationError, InvalidEventError
from faaskit.testing.azure_objects import build
from faaskit_azure import stream as azstream
from tests.azure.helpers import binding_of, invoke

pytest.importorskip("azure.functions")

CTX = local_context("test")


def hub_spec(body: str, *, sequence: int = 11, key: str = "device-7") -> dict[str, Any]:
    system = {"x-opt-sequence-number": sequence, "x-opt-enqueued-time": "2024-04-01T09:00:00Z"}
    return {
        "binding": "eventHubTrigger",
        "data": {"type": "string", "value": body},
        "trigger_metadata": {
            "SystemProperties": {"type": "json", "value": json.dumps(system)},
            "EnqueuedTimeUtc": {"type": "string", "value": "2024-04-01T09:00:00.5Z"},
            "SequenceNumber": {"type": "json", "value": str(sequence)},
            "Offset": {"type": "string", "value": "4096"},
            "PartitionKey": {"type": "string", "value": key},
        },
    }


def hub_batch(bodies: list[str]) -> Any:
    """A cardinality-many delivery: collection data plus ``SystemPropertiesArray``."""
    from azure.functions import get_binding_registry
    from azure.functions.meta import Datum

    system = [
        {
            "SequenceNumber": 100 + i,
            "PartitionKey": "pk",
            "EnqueuedTimeUtc": f"2024-04-01T09:00:0{i}Z",
            "Offset": str(i * 10),
        }
        for i in range(len(bodies))
    ]
    metadata = {"SystemPropertiesArray": Datum(json.dumps(system), "json")}
    data = Datum(SimpleNamespace(bytes=[b.encode() for b in bodies]), "collection_bytes")
    return get_binding_registry().get("eventHubTrigger").decode(data, trigger_metadata=metadata)


def cosmos(documents: list[Any]) -> Any:
    return build({"binding": "cosmosDBTrigger", "data": {"type": "json", "inline": documents}})


def test_single_event_hub_event() -> None:
    raw = build(hub_spec('{"temp": 20.5}'))
    assert azstream.EVENT_HUBS.recognise(raw)
    batch = azstream.EventHubs(hub="telemetry").decode(raw, CTX)
    (record,) = batch.records
    assert record.id == str(raw.sequence_number)
    assert record.partition_key == raw.partition_key
    assert record.data == raw.get_body()
    assert record.json() == {"temp": 20.5}
    assert record.time == raw.enqueued_time
    assert record.source == batch.source == "telemetry"


def test_event_hub_batch_keeps_order_and_sequence_numbers() -> None:
    raw = hub_batch(["a", "b", "c"])
    assert azstream.EVENT_HUBS.recognise(raw)
    batch = azstream.EVENT_HUBS.decode(raw, CTX)
    assert [r.id for r in batch] == [str(e.sequence_number) for e in raw] == ["100", "101", "102"]
    assert [r.data for r in batch] == [b"a", b"b", b"c"]
    assert batch.records[2].time == dt.datetime(2024, 4, 1, 9, 0, 2, tzinfo=dt.timezone.utc)


def test_event_without_sequence_number_is_refused() -> None:
    import azure.functions as func

    with pytest.raises(InvalidEventError) as info:
        azstream.EVENT_HUBS.decode(func.EventHubEvent(body=b"x"), CTX)
    assert info.value.field == "sequence_number"


def test_cosmos_change_feed() -> None:
    documents = [{"id": "1", "name": "a", "_ts": 1700000000, "_lsn": 5}, {"id": "2", "n": [1]}]
    raw = cosmos(documents)
    assert azstream.COSMOS_DB.recognise(raw)
    batch = azstream.CosmosDB(container="items").decode(raw, CTX)
    assert [r.id for r in batch] == [d["id"] for d in documents]
    assert [r.new for r in batch] == documents
    assert [r.keys for r in batch] == [{"id": d["id"]} for d in documents]
    assert [json.loads(r.data) for r in batch] == documents
    assert batch.records[0].time == dt.datetime.fromtimestamp(1700000000, dt.timezone.utc)
    assert batch.records[1].time is None
    assert all(isinstance(r.new, dict) and r.old is None for r in batch)


@pytest.mark.parametrize(
    ("bad", "field"),
    [({"name": "no id"}, "id"), (None, "[1]"), ({"id": "2", "_ts": "x"}, "_ts")],
)
def test_bad_cosmos_documents_are_kept_as_failed_entries(bad: Any, field: str) -> None:
    batch = azstream.COSMOS_DB.decode(cosmos([{"id": "1"}, bad, {"id": "3"}]), CTX)
    assert [r.id for r in batch] == ["1", "3"]
    assert [e.error is None for e in batch.entries] == [True, False, True]
    error = batch.entries[1].error
    assert isinstance(error, InvalidEventError) and error.field == field


# Registration and semantics through function_app.


def test_stream_registers_an_event_hub_with_cardinality_many() -> None:
    @faaskit.handler(faaskit.stream("telemetry"))
    def on_record(record: Any, ctx: Any) -> None: ...

    binding = binding_of(on_record, connections={"eventhub": "Hub"})
    assert (binding["type"], binding["eventHubName"], binding["connection"]) == (
        "eventHubTrigger",
        "telemetry",
        "Hub",
    )
    assert binding["cardinality"].upper() == "MANY"


def test_database_slash_container_registers_the_cosmos_change_feed() -> None:
    @faaskit.handler(faaskit.stream("shop/orders"))
    def on_change(record: Any, ctx: Any) -> None: ...

    binding = binding_of(on_change, cosmosdb_leases="shop-leases")
    assert binding["type"] == "cosmosDBTrigger"
    assert (binding["databaseName"], binding["containerName"]) == ("shop", "orders")
    assert binding["connection"] == "CosmosDBConnection"
    assert binding["leaseContainerName"] == "shop-leases"
    nested = faaskit.handler(faaskit.stream("a/b/c"), name="nested")(lambda r, c: None)
    with pytest.raises(ConfigurationError, match="database/container"):
        binding_of(nested)


def test_stream_service_option_and_its_validation() -> None:
    @faaskit.handler(faaskit.stream("orders"))
    def on_change(record: Any, ctx: Any) -> None: ...

    with pytest.raises(ConfigurationError, match="database/container"):
        binding_of(on_change, stream_service="cosmosdb")
    with pytest.raises(ConfigurationError, match="stream_service"):
        binding_of(on_change, stream_service="kinesis")


def test_per_record_handler_stops_at_the_first_failure_and_raises() -> None:
    seen: list[str] = []

    @faaskit.handler(faaskit.stream("telemetry"))
    def on_record(record: faaskit.Record, ctx: Any) -> None:
        seen.append(record.id)
        if record.data == b"b":
            raise ValueError("bad record")

    assert invoke(on_record, hub_batch(["a"])) is None
    seen.clear()
    with pytest.raises(ValueError, match="bad record"):
        invoke(on_record, hub_batch(["a", "b", "c"]))
    assert seen == ["100", "101"]


def test_cosmos_batch_handler_failures_fail_the_invocation() -> None:
    @faaskit.handler(faaskit.stream("shop/orders", batch=True))
    def on_changes(batch: faaskit.RecordBatch, ctx: Any) -> faaskit.BatchResult:
        return faaskit.BatchResult(failed=[r.id for r in batch if r.new and r.new.get("bad")])

    assert invoke(on_changes, cosmos([{"id": "1"}])) is None
    with pytest.raises(BatchFailedError) as info:
        invoke(on_changes, cosmos([{"id": "1"}, {"id": "2", "bad": True}]))
    assert info.value.failed == ("2",)


def test_undecodable_document_fails_the_invocation_after_the_others_ran() -> None:
    seen: list[str] = []

    @faaskit.handler(faaskit.stream("shop/orders"))
    def on_change(record: faaskit.Record, ctx: Any) -> None:
        seen.append(record.id)

    with pytest.raises(InvalidEventError):
        invoke(on_change, cosmos([{"id": "1"}, {"no": "id"}, {"id": "3"}]))
    assert seen == ["1"]  # a change feed is ordered: nothing after the bad document runs


def test_consumer_group_and_starting_position_options() -> None:
    @faaskit.handler(faaskit.stream("telemetry"))
    def on_record(record: Any, ctx: Any) -> None: ...

    @faaskit.handler(faaskit.stream("shop/orders", starting_position="TRIM_HORIZON"))
    def replay(record: Any, ctx: Any) -> None: ...

    grouped = binding_of(on_record, eventhub_consumer_group={"telemetry": "analytics"})
    assert grouped["consumerGroup"] == "analytics"
    assert "consumerGroup" not in binding_of(on_record)
    assert binding_of(replay)["startFromBeginning"] is True
