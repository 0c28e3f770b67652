"""Conformance: the corpus's Azure message invocations (the Storage Queue host payload and the
worker-level queue and Service Bus invocations), turned into ``azure.functions`` objects the way
the Python worker does (``Datum`` -> the binding's converter), normalized by faaskit and checked
field by field against the raw payload.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import azure.functions as func
import pytest
from azure.functions.meta import Datum

import faaskit
from faaskit._context import Context
from faaskit_azure import message as azmessage
from tests.conformance.helpers import worker
from tests.corpus import load, params

CTX = Context(request_id="invocation-1", function_name="fn", platform="azure")


def convert(binding: str, data: Datum, metadata: dict[str, Datum]) -> Any:
    return func.get_binding_registry().get(binding).decode(data, trigger_metadata=metadata)


def typed(metadata: dict[str, Any]) -> dict[str, Datum]:
    return {k: Datum(v["value"], v["type"]) for k, v in metadata.items()}


def when(text: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def decode(raw: Any) -> faaskit.Message:
    (decoder,) = [d for d in azmessage.DECODERS if d.recognise(raw)]
    message = decoder.decode(raw, CTX)
    assert isinstance(message, faaskit.Message)
    return message


def check_queue(message: faaskit.Message, body: str, meta: dict[str, Any]) -> None:
    assert message.id == meta["Id"]
    assert message.body == body.encode()
    assert message.text == body
    assert message.delivery_count == int(meta["DequeueCount"])
    assert message.enqueued_at == when(meta["InsertionTime"])
    assert message.attributes == {}
    assert (message.subject, message.group_id) == (None, None)


@pytest.mark.parametrize("rel", params(platform="azure", kind="message"))
def test_storage_queue_host_payload(rel: str) -> None:
    payload = load(rel)
    (body,) = payload["Data"].values()
    meta = payload["Metadata"]
    # The host sends the same keys to the worker as gRPC trigger metadata.
    metadata = {
        key: Datum(json.dumps(value), "json") if isinstance(value, int) else Datum(value, "string")
        for key, value in meta.items()
        if key != "sys"
    }
    raw = convert("queueTrigger", Datum(body, "string"), metadata)
    check_queue(decode(raw), body, meta)


def test_worker_level_queue() -> None:
    fixture = worker("queue")
    meta = {k: v["value"] for k, v in fixture["trigger_metadata"].items()}
    data = fixture["data"]
    raw = convert(
        fixture["binding"], Datum(data["value"], data["type"]), typed(fixture["trigger_metadata"])
    )
    check_queue(decode(raw), data["value"], meta)


def test_worker_level_service_bus() -> None:
    fixture = worker("servicebus")
    meta = {k: v["value"] for k, v in fixture["trigger_metadata"].items()}
    data = fixture["data"]
    raw = convert(
        fixture["binding"], Datum(data["value"], data["type"]), typed(fixture["trigger_metadata"])
    )
    message = decode(raw)
    assert message.id == meta["MessageId"]
    assert message.body == data["value"].encode()
    assert message.json() == json.loads(data["value"])
    assert message.attributes == json.loads(meta["ApplicationProperties"])
    assert message.delivery_count == int(meta["DeliveryCount"])
    expected = when(meta["EnqueuedTimeUtc"].replace("Z", "+00:00"))
    assert message.enqueued_at == expected
    assert message.subject == (meta.get("Subject") or meta.get("Label") or None)
    assert message.group_id == (meta.get("SessionId") or None)
