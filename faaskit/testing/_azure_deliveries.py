"""Trigger deliveries as the Azure Functions host sends them to the Python worker.

Each builder returns a :class:`HostEvent`: the trigger's binding type, the trigger data and the
trigger metadata, with the keys the host fills in (and ``azure.functions`` reads) for that
binding. Documentation, under https://learn.microsoft.com/azure/azure-functions/ :

- queue: ``functions-bindings-storage-queue-trigger#message-metadata``
- blob (``BlobTrigger``, ``Uri``, ``Properties``, ``Metadata``):
  ``functions-bindings-storage-blob-trigger#metadata``
- timer (``TimerInfo``): ``functions-bindings-timer``
- Service Bus: ``functions-bindings-service-bus-trigger#message-metadata``
- Event Hubs: ``functions-bindings-event-hubs-trigger#event-metadata``
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from faaskit.testing._azure_wire import HostEvent

__all__ = [
    "blob_created",
    "cosmos_documents",
    "event_grid_event",
    "event_hub_event",
    "queue_message",
    "service_bus_message",
    "timer_tick",
]

_ACCOUNT = "http://127.0.0.1:10000/devstoreaccount1"


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


def _text(body: str | bytes | Mapping[str, Any] | Sequence[Any]) -> str | bytes:
    if isinstance(body, str | bytes):
        return body
    return json.dumps(body)


def queue_message(
    body: str | bytes | Mapping[str, Any] | Sequence[Any],
    *,
    id: str | None = None,
    dequeue_count: int = 1,
    insertion_time: _dt.datetime | None = None,
    pop_receipt: str = "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
) -> HostEvent:
    """A Storage Queue message (a dict or list body is sent as its JSON text)."""
    inserted = insertion_time or _now()
    text = _text(body)
    metadata: dict[str, Any] = {
        "Id": id or str(uuid.uuid4()),
        "DequeueCount": dequeue_count,
        "InsertionTime": inserted,
        "ExpirationTime": inserted + _dt.timedelta(days=7),
        "NextVisibleTime": inserted + _dt.timedelta(minutes=10),
        "PopReceipt": pop_receipt,
        "QueueTrigger": text if isinstance(text, str) else text.decode("utf-8", "replace"),
    }
    return HostEvent(trigger_type="queueTrigger", data=text, metadata=metadata)


def blob_created(
    path: str,
    content: bytes | str = b"",
    *,
    content_type: str = "application/octet-stream",
    metadata: Mapping[str, str] | None = None,
    account_url: str = _ACCOUNT,
) -> HostEvent:
    """A blob at ``path`` (``container/name``) as a blob trigger delivers it."""
    data = content.encode() if isinstance(content, str) else content
    properties = {
        "ContentLength": len(data),
        "ContentType": content_type,
        "ContentMD5": hashlib.md5(data).hexdigest(),
        "ETag": f'"0x{uuid.uuid4().hex[:15].upper()}"',
        "BlobType": "BlockBlob",
        "LastModified": _now(),
        "Created": _now(),
    }
    trigger_metadata = {
        "BlobTrigger": path.strip("/"),
        "Uri": f"{account_url}/{path.strip('/')}",
        "Properties": properties,
        "Metadata": dict(metadata or {}),
    }
    return HostEvent(trigger_type="blobTrigger", data=data, metadata=trigger_metadata)


def timer_tick(
    *, past_due: bool = False, last: _dt.datetime | None = None, next: _dt.datetime | None = None
) -> HostEvent:
    """A timer firing (``TimerInfo`` JSON)."""
    now = _now()
    info = {
        "Schedule": {"AdjustForDST": True},
        "ScheduleStatus": {
            "Last": (last or now - _dt.timedelta(minutes=5)).isoformat(),
            "Next": (next or now + _dt.timedelta(minutes=5)).isoformat(),
            "LastUpdated": now.isoformat(),
        },
        "IsPastDue": past_due,
    }
    return HostEvent(trigger_type="timerTrigger", data=info, metadata={})


def service_bus_message(
    body: str | bytes | Mapping[str, Any] | Sequence[Any],
    *,
    message_id: str | None = None,
    content_type: str = "application/json",
    correlation_id: str = "",
    subject: str = "",
    session_id: str = "",
    delivery_count: int = 1,
    sequence_number: int = 1,
    application_properties: Mapping[str, Any] | None = None,
) -> HostEvent:
    """A Service Bus message (queue or topic subscription)."""
    enqueued = _now()
    properties = dict(application_properties or {})
    metadata: dict[str, Any] = {
        "MessageId": message_id or uuid.uuid4().hex,
        "ContentType": content_type,
        "CorrelationId": correlation_id,
        "Subject": subject,
        "Label": subject,
        "SessionId": session_id,
        "DeliveryCount": delivery_count,
        "SequenceNumber": sequence_number,
        "EnqueuedTimeUtc": enqueued,
        "ExpiresAtUtc": enqueued + _dt.timedelta(days=14),
        "LockedUntil": enqueued + _dt.timedelta(minutes=1),
        "LockToken": str(uuid.uuid4()),
        "To": "",
        "ReplyTo": "",
        "UserProperties": properties,
        "ApplicationProperties": properties,
    }
    return HostEvent(trigger_type="serviceBusTrigger", data=_text(body), metadata=metadata)


def event_grid_event(event: Mapping[str, Any]) -> HostEvent:
    """One Event Grid event (Event Grid or CloudEvents schema): the host invokes once per
    element of the array Event Grid posts.
    """
    return HostEvent(trigger_type="eventGridTrigger", data=dict(event), metadata={})


def event_hub_event(
    body: str | bytes | Mapping[str, Any] | Sequence[Any],
    *,
    partition_key: str | None = None,
    sequence_number: int = 1,
    offset: str = "0",
    properties: Mapping[str, Any] | None = None,
    event_hub: str = "events",
) -> HostEvent:
    """One Event Hubs event (a function with the default cardinality ``one``)."""
    enqueued = _now()
    system = {
        "x-opt-sequence-number": sequence_number,
        "x-opt-offset": offset,
        "x-opt-enqueued-time": enqueued.isoformat(),
        "x-opt-partition-key": partition_key,
        "SequenceNumber": sequence_number,
        "Offset": offset,
        "PartitionKey": partition_key,
        "EnqueuedTimeUtc": enqueued.isoformat(),
    }
    metadata: dict[str, Any] = {
        "SystemProperties": system,
        "Properties": dict(properties or {}),
        "EnqueuedTimeUtc": enqueued,
        "SequenceNumber": sequence_number,
        "Offset": offset,
        "PartitionKey": partition_key or "",
        "PartitionContext": {"EventHubName": event_hub, "ConsumerGroup": "$Default"},
    }
    return HostEvent(trigger_type="eventHubTrigger", data=_text(body), metadata=metadata)


def cosmos_documents(documents: Sequence[Mapping[str, Any]]) -> HostEvent:
    """A batch of changed Cosmos DB documents from the change feed."""
    return HostEvent(trigger_type="cosmosDBTrigger", data=[dict(d) for d in documents])
