"""Conformance: the corpus's worker-level Event Hubs and Cosmos DB invocations, turned into
``azure.functions`` objects by the binding converters, normalized by faaskit and checked field by
field against the raw payload.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import azure.functions as func
from azure.functions.meta import Datum

import faaskit
from faaskit._context import Context
from faaskit_azure import stream as azstream
from tests.conformance.helpers import worker

CTX = Context(request_id="invocation-1", function_name="fn", platform="azure")


def decode(raw: Any) -> faaskit.RecordBatch:
    (decoder,) = [d for d in azstream.DECODERS if d.recognise(raw)]
    batch = decoder.decode(raw, CTX)
    assert isinstance(batch, faaskit.RecordBatch)
    return batch


def test_worker_level_event_hub() -> None:
    fixture = worker("eventhub")
    meta = {k: v["value"] for k, v in fixture["trigger_metadata"].items()}
    typed = {k: Datum(v["value"], v["type"]) for k, v in fixture["trigger_metadata"].items()}
    data = fixture["data"]
    converter = func.get_binding_registry().get(fixture["binding"])
    raw = converter.decode(Datum(data["value"], data["type"]), trigger_metadata=typed)
    (record,) = decode(raw).records
    assert record.id == str(json.loads(meta["SequenceNumber"]))
    assert record.partition_key == meta["PartitionKey"]
    assert record.data == data["value"].encode()
    assert record.json() == json.loads(data["value"])
    enqueued = dt.datetime.fromisoformat(meta["EnqueuedTimeUtc"].replace("Z", "+00:00"))
    assert record.time == enqueued


def test_worker_level_cosmos_change_feed() -> None:
    fixture = worker("cosmos")
    documents = fixture["data"]["inline"]
    converter = func.get_binding_registry().get(fixture["binding"])
    raw = converter.decode(Datum(json.dumps(documents), "json"), trigger_metadata={})
    batch = decode(raw)
    assert len(batch) == len(documents)
    for record, document in zip(batch, documents, strict=True):
        assert record.id == document["id"]
        assert record.new == document
        assert json.loads(record.data) == document
        assert record.old is None
        if "_ts" in document:
            assert record.time == dt.datetime.fromtimestamp(document["_ts"], dt.timezone.utc)
        else:
            assert record.time is None
