"""Realistic Azure Functions trigger invocations, described as the host hands them to the
Python worker: the binding type, the trigger's typed data and its ``trigger_metadata``.

A spec is plain JSON (``{"binding": ..., "data": {"type": ..., "value": ...},
"trigger_metadata": {name: {"type": ..., "value": ...}}}``; bytes as ``value_b64``), so the CLI
can print it and read it back; :func:`faaskit.testing.azure_objects.build` turns it into the
``azure.functions`` object through the library's own converters, as the worker does.

Field names follow the azure-functions converters and the trigger reference pages:
- HTTP: https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger
- Blob: https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger
- Queue: https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger
- Service Bus: https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger
- Event Grid: https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage
- Timer: https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer
- Event Hubs: https://learn.microsoft.com/azure/azure-functions/functions-bindings-event-hubs-trigger
- Cosmos DB: https://learn.microsoft.com/azure/azure-functions/functions-bindings-cosmosdb-v2-trigger
"""

from __future__ import annotations

import base64
import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from faaskit.testing._azure_batch import body_list, servicebus_batch
from faaskit.testing._azure_eventgrid import (
    blob_created_cloudevent,
    blob_created_eventgrid,
    eventgrid,
)
from faaskit.testing._common import body_bytes, iso, new_id, str_map, typed_json, utcnow

__all__ = [
    "blob",
    "blob_created_cloudevent",
    "blob_created_eventgrid",
    "cosmos",
    "eventgrid",
    "eventhub",
    "http",
    "queue",
    "servicebus",
    "servicebus_batch",
    "timer",
]

ACCOUNT_URL = "http://127.0.0.1:10000/devstoreaccount1"


def _s(value: Any) -> dict[str, Any]:
    return {"type": "string", "value": str(value)}


def _data(payload: bytes, kind: str = "string") -> dict[str, Any]:
    if kind == "string":
        try:
            return {"type": "string", "value": payload.decode("utf-8")}
        except UnicodeDecodeError:
            pass
    return {"type": "bytes", "value_b64": base64.b64encode(payload).decode("ascii")}


def http(
    method: str = "GET",
    path: str = "/",
    *,
    query: Mapping[str, Any] | None = None,
    headers: Mapping[str, Any] | None = None,
    body: Any = None,
    route_params: Mapping[str, str] | None = None,
    host: str = "localhost:7071",
    route_prefix: str = "api",
) -> dict[str, Any]:
    """An HTTP trigger invocation (``azure.functions.HttpRequest``)."""
    path, _, inline = path.partition("?")
    params = dict(str_map(query))
    if inline:
        from urllib.parse import parse_qsl

        params = {**dict(parse_qsl(inline, keep_blank_values=True)), **params}
    prefix = f"/{route_prefix.strip('/')}" if route_prefix else ""
    url = f"http://{host}{prefix}{path}" + (f"?{urlencode(params)}" if params else "")
    hdrs = {"host": host, "user-agent": "curl/8.4.0", "accept": "*/*"}
    if body is not None:
        hdrs["content-type"] = "application/json"
    hdrs.update({k.lower(): v for k, v in str_map(headers).items()})
    return {
        "binding": "httpTrigger",
        "data": {
            "type": "http",
            "value": {
                "method": method.upper(),
                "url": url,
                "headers": hdrs,
                "query": params,
                "params": str_map(route_params),
                "body": _data(body_bytes(body), "bytes"),
            },
        },
        "trigger_metadata": {},
    }


def blob(
    container: str = "samples",
    name: str = "uploads/example.txt",
    *,
    data: Any = "Hello from Blob storage!",
    content_type: str = "text/plain",
    metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A blob trigger invocation (``azure.functions.InputStream``)."""
    payload = body_bytes(data)
    return {
        "binding": "blobTrigger",
        "data": _data(payload, "bytes"),
        "trigger_metadata": {
            "BlobTrigger": _s(f"{container}/{name}"),
            "Uri": _s(f"{ACCOUNT_URL}/{container}/{name}"),
            "Properties": typed_json(
                {
                    "ContentLength": len(payload),
                    "ContentType": content_type,
                    "ETag": f'"0x8D{abs(hash(payload)) % 16**13:013X}"',
                    "BlobType": "BlockBlob",
                    "LastModified": iso(None),
                }
            ),
            "Metadata": typed_json(dict(metadata or {})),
            "name": _s(name.rsplit("/", 1)[-1]),
        },
    }


def queue(
    body: Any = "Hello from Queue storage!", *, dequeue_count: int = 1, id: str | None = None
) -> dict[str, Any]:
    """A Storage Queue trigger invocation (``azure.functions.QueueMessage``)."""
    now = utcnow()
    return {
        "binding": "queueTrigger",
        "data": _data(body_bytes(body)),
        "trigger_metadata": {
            "Id": _s(id or new_id()),
            "DequeueCount": typed_json(dequeue_count),
            "ExpirationTime": _s((now + _dt.timedelta(days=7)).isoformat()),
            "InsertionTime": _s(now.isoformat()),
            "NextVisibleTime": _s((now + _dt.timedelta(minutes=10)).isoformat()),
            "PopReceipt": _s(base64.b64encode(new_id().encode()[:16]).decode("ascii")),
        },
    }


def servicebus(
    body: Any = "Hello from Service Bus!",
    *,
    subject: str | None = None,
    properties: Mapping[str, Any] | None = None,
    session_id: str = "",
    delivery_count: int = 1,
    content_type: str = "application/json",
    message_id: str | None = None,
    bodies: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """A Service Bus queue or topic trigger invocation: cardinality one
    (``azure.functions.ServiceBusMessage``), or with ``bodies`` cardinality many (a list).
    """
    if bodies is not None:
        return servicebus_batch(
            bodies,
            subject=subject,
            properties=properties,
            session_id=session_id,
            delivery_count=delivery_count,
            content_type=content_type,
        )
    now = utcnow()
    user = dict(properties or {})
    return {
        "binding": "serviceBusTrigger",
        "data": _data(body_bytes(body)),
        "trigger_metadata": {
            "MessageId": _s(message_id or new_id().replace("-", "")),
            "ContentType": _s(content_type),
            "CorrelationId": _s(""),
            "DeliveryCount": typed_json(delivery_count),
            "SequenceNumber": typed_json(1),
            "EnqueuedTimeUtc": _s(iso(now)),
            "ExpiresAtUtc": _s(iso(now + _dt.timedelta(days=14))),
            "LockedUntil": _s(iso(now + _dt.timedelta(minutes=1))),
            "LockToken": _s(new_id()),
            "SessionId": _s(session_id),
            "Subject": _s(subject or ""),
            "To": _s(""),
            "ReplyTo": _s(""),
            "UserProperties": typed_json(user),
            "ApplicationProperties": typed_json(user),
        },
    }


def timer(
    *, past_due: bool = False, last: Any = None, next: Any = None, adjust_for_dst: bool = True
) -> dict[str, Any]:
    """A timer trigger invocation (``azure.functions.TimerRequest``)."""
    now = utcnow()
    info = {
        "Schedule": {"AdjustForDST": adjust_for_dst},
        "ScheduleStatus": {
            "Last": iso(last or now - _dt.timedelta(minutes=5)),
            "Next": iso(next or now + _dt.timedelta(minutes=5)),
            "LastUpdated": iso(now),
        },
        "IsPastDue": past_due,
    }
    return {"binding": "timerTrigger", "data": typed_json(info), "trigger_metadata": {}}


def eventhub(
    body: Any = "Hello from Event Hubs!",
    *,
    partition_key: str = "partition-1",
    sequence_number: int = 1,
    offset: str = "0",
    properties: Mapping[str, Any] | None = None,
    bodies: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """An Event Hubs trigger invocation: cardinality one (``azure.functions.EventHubEvent``),
    or with ``bodies`` cardinality many (a list of events).
    """
    now = iso(None)
    if bodies is not None:
        bodies = body_list(bodies, "bodies")
        return {
            "binding": "eventHubTrigger",
            "data": {
                "type": "collection_string",
                "value": [body_bytes(b).decode("utf-8", "replace") for b in bodies],
            },
            "trigger_metadata": {
                "SystemPropertiesArray": typed_json(
                    [
                        {
                            "EnqueuedTimeUtc": now,
                            "PartitionKey": partition_key,
                            "SequenceNumber": sequence_number + index,
                            "Offset": str(int(offset) + index),
                        }
                        for index in range(len(bodies))
                    ]
                ),
                "PartitionContext": typed_json({"EventHubName": "events", "PartitionId": "0"}),
            },
        }
    return {
        "binding": "eventHubTrigger",
        "data": _data(body_bytes(body)),
        "trigger_metadata": {
            "SystemProperties": typed_json(
                {
                    "x-opt-sequence-number": sequence_number,
                    "x-opt-offset": offset,
                    "x-opt-enqueued-time": now,
                    "x-opt-partition-key": partition_key,
                }
            ),
            "EnqueuedTimeUtc": _s(now),
            "SequenceNumber": typed_json(sequence_number),
            "Offset": _s(offset),
            "PartitionKey": _s(partition_key),
            "PropertiesArray": typed_json([dict(properties or {})]),
        },
    }


def cosmos(documents: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """A Cosmos DB change-feed invocation (``azure.functions.DocumentList``)."""
    docs = (
        list(documents)
        if documents is not None
        else [{"id": "item-1", "name": "example", "_ts": int(utcnow().timestamp())}]
    )
    return {"binding": "cosmosDBTrigger", "data": typed_json(docs), "trigger_metadata": {}}
