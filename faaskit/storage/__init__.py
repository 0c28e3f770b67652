"""Portable object storage and message sending on the clouds' own SDKs.

::

    from faaskit import storage

    results = storage.blobs("s3://results/reports")      # or azure://..., file:///...
    results.put("2024/summary.json", b"{}", content_type="application/json")
    storage.queues("sqs://work").send({"report": "2024/summary.json"})

=================================  ===================================================
``s3://bucket[/prefix]``           Amazon S3 (boto3; default credential chain;
                                   ``endpoint_url=`` or ``AWS_ENDPOINT_URL`` for
                                   S3-compatible stores)
``azure://container[/prefix]``     Azure Blob Storage (azure-storage-blob; connection
                                   string from ``AzureWebJobsStorage`` or
                                   ``connection_string=``, or ``account_url=`` and
                                   ``credential=``)
``file:///path``                   a local directory (atomic writes)
``sqs://name`` or the queue URL    Amazon SQS
``azure-queue://name``             Azure Queue Storage (messages base64-encoded, as
                                   Azure Functions expects; ``encoding="text"`` to not)
``file:///path`` (queues)          a local durable queue: one file per message
=================================  ===================================================

The SDK of a backend is imported when a store of that backend is first made; ``import
faaskit.storage`` imports neither boto3 nor azure. Keyword options go to the backend (and
from there to the SDK client). Errors are :class:`BlobNotFound` (a ``KeyError``; object,
bucket, container or queue missing), :class:`AccessDenied` (a ``PermissionError``),
:class:`InvalidStorageRequest` (a ``ValueError``; a key or body no backend takes) and
:class:`StorageError` (an ``OSError``; anything else), each keeping the SDK's error as
``__cause__`` and naming the store URL and key.

The ``file://`` backends are also public as classes, :class:`FileBlobStore` and
:class:`FileQueue`, for tools that host local storage (the dev server reads a queue's
messages and sets damaged ones aside); they load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from faaskit.exceptions import (
    AccessDenied,
    BlobNotFound,
    ConfigurationError,
    InvalidStorageRequest,
    PreconditionFailed,
    StorageError,
)
from faaskit.storage._base import BlobInfo, BlobStore, QueueSender
from faaskit.storage._publish import EventBus, Topic
from faaskit.storage._url import Location, parse

if TYPE_CHECKING:
    from faaskit.storage._file import FileBlobStore
    from faaskit.storage._filequeue import FileQueue

__all__ = [
    "AccessDenied",
    "BlobInfo",
    "BlobNotFound",
    "BlobStore",
    "EventBus",
    "FileBlobStore",
    "FileQueue",
    "InvalidStorageRequest",
    "Location",
    "PreconditionFailed",
    "QueueSender",
    "StorageError",
    "Topic",
    "blobs",
    "events",
    "queues",
    "topics",
]

_BACKENDS = {
    ("blobs", "file"): ("faaskit.storage._file", "blob_store"),
    ("blobs", "s3"): ("faaskit_aws.storage", "blob_store"),
    ("blobs", "azure"): ("faaskit_azure.storage", "blob_store"),
    ("queues", "file"): ("faaskit.storage._filequeue", "queue_sender"),
    ("queues", "sqs"): ("faaskit_aws.storage", "queue_sender"),
    ("queues", "azure-queue"): ("faaskit_azure.storage", "queue_sender"),
    ("topics", "file"): ("faaskit.storage._filetopic", "topic"),
    ("topics", "sns"): ("faaskit_aws._publish", "topic"),
    ("topics", "servicebus-topic"): ("faaskit_azure._publish", "topic"),
    ("events", "file"): ("faaskit.storage._filetopic", "event_bus"),
    ("events", "events"): ("faaskit_aws._publish", "event_bus"),
    ("events", "eventgrid"): ("faaskit_azure._publish", "event_bus"),
}


def _open(kind: str, url: str, options: dict[str, Any]) -> Any:
    location = parse(url, kind)
    module_name, factory = _BACKENDS[kind, location.scheme]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:  # pragma: no cover - the adapters ship in the wheel
        raise ConfigurationError(f"storage URL {url!r}: cannot load {module_name}: {exc}") from exc
    return getattr(module, factory)(location, **options)


def blobs(url: str, **options: Any) -> BlobStore:
    """The :class:`BlobStore` for ``url`` (``s3://``, ``azure://`` or ``file://``).

    ``options`` configure the backend: for ``file://`` ``create`` and ``durable``; for S3
    ``endpoint_url``, ``region_name``, credentials, ``config`` or a ready ``client``; for Azure
    ``connection_string``, ``account_url`` and ``credential``, a ready ``client``
    (``BlobServiceClient``) and any azure-core option such as ``retry_total``.
    """
    store: BlobStore = _open("blobs", url, options)
    return store


def queues(url: str, **options: Any) -> QueueSender:
    """The :class:`QueueSender` for ``url`` (``sqs://``, ``azure-queue://`` or ``file://``).

    ``options`` as for :func:`blobs`; SQS FIFO queues also take ``group_id``.
    """
    sender: QueueSender = _open("queues", url, options)
    return sender


def topics(url: str, **options: Any) -> Topic:
    """The :class:`Topic` for ``url`` (``sns://``, ``servicebus-topic://`` or ``file://``).

    ``options`` configure the backend: for SNS as for :func:`queues` (FIFO topics also take
    ``group_id``); for Service Bus ``connection_string``, ``endpoint``, ``credential``; for
    ``file://`` ``create`` and ``durable``.
    """
    topic: Topic = _open("topics", url, options)
    return topic


def events(url: str, **options: Any) -> EventBus:
    """The :class:`EventBus` for ``url`` (``events://``, ``eventgrid://`` or ``file://``).

    ``options`` configure the backend: for EventBridge as for :func:`queues`; for Event Grid
    ``key``, ``endpoint``, ``credential``; for ``file://`` ``create`` and ``durable``.
    """
    bus: EventBus = _open("events", url, options)
    return bus


# The file backends by class, for tools that host them (the dev server, the test fixtures);
# loaded on first use like every backend.
_LAZY = {
    "FileBlobStore": "faaskit.storage._file",
    "FileQueue": "faaskit.storage._filequeue",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'faaskit.storage' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
