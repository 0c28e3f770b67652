"""Event Grid trigger invocations, custom events and Blob Storage events in both schemas, as the
host hands them to the Python worker
(https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage).
Re-exported by :mod:`faaskit.testing.azure_events`.
"""

from __future__ import annotations

from typing import Any

from faaskit.testing._common import iso, new_id, typed_json

__all__ = ["blob_created_cloudevent", "blob_created_eventgrid", "eventgrid"]

_SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000"


def eventgrid(
    data: Any = None,
    *,
    event_type: str = "Contoso.Orders.OrderPlaced",
    subject: str = "orders/o-1001",
    topic: str = f"{_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.EventGrid/topics/orders",
) -> dict[str, Any]:
    """An Event Grid trigger invocation, Event Grid schema (``azure.functions.EventGridEvent``)."""
    event = {
        "topic": topic,
        "subject": subject,
        "eventType": event_type,
        "eventTime": iso(None),
        "id": new_id(),
        "data": {"order_id": "o-1001", "amount": 42} if data is None else data,
        "dataVersion": "1.0",
        "metadataVersion": "1",
    }
    return {"binding": "eventGridTrigger", "data": typed_json(event), "trigger_metadata": {}}


def _storage_topic(account: str) -> str:
    return (
        f"{_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/{account}"
    )


def _blob_event_type(action: str) -> str:
    return (
        "Microsoft.Storage.BlobDeleted" if action == "deleted" else "Microsoft.Storage.BlobCreated"
    )


def _blob_data(account: str, container: str, name: str, size: int, action: str) -> dict[str, Any]:
    return {
        "api": "DeleteBlob" if action == "deleted" else "PutBlob",
        "clientRequestId": new_id(),
        "requestId": new_id(),
        "eTag": "0x8D4BCC2E4835CD0",
        "contentType": "text/plain",
        "contentLength": size,
        "blobType": "BlockBlob",
        "url": f"https://{account}.blob.core.windows.net/{container}/{name}",
        "sequencer": "00000000000004420000000000028963",
        "storageDiagnostics": {"batchId": new_id()},
    }


def blob_created_eventgrid(
    container: str = "samples",
    name: str = "uploads/example.txt",
    *,
    account: str = "mystorageaccount",
    size: int = 1024,
    action: str = "created",
) -> dict[str, Any]:
    """``Microsoft.Storage.BlobCreated`` (or ``BlobDeleted``) in the Event Grid schema."""
    spec = eventgrid(
        _blob_data(account, container, name, size, action),
        event_type=_blob_event_type(action),
        subject=f"/blobServices/default/containers/{container}/blobs/{name}",
        topic=_storage_topic(account),
    )
    return spec


def blob_created_cloudevent(
    container: str = "samples",
    name: str = "uploads/example.txt",
    *,
    account: str = "mystorageaccount",
    size: int = 1024,
    action: str = "created",
) -> dict[str, Any]:
    """``Microsoft.Storage.BlobCreated`` (or ``BlobDeleted``) in the CloudEvents 1.0 schema."""
    event = {
        "specversion": "1.0",
        "type": _blob_event_type(action),
        "source": _storage_topic(account),
        "id": new_id(),
        "time": iso(None),
        "subject": f"/blobServices/default/containers/{container}/blobs/{name}",
        "dataschema": "#",
        "data": _blob_data(account, container, name, size, action),
    }
    return {"binding": "eventGridTrigger", "data": typed_json(event), "trigger_metadata": {}}
