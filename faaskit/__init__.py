"""faaskit: write one serverless handler, deploy it unchanged to AWS Lambda and Azure Functions.

>>> import faaskit
>>> @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
... def get_item(req, ctx):
...     return {"id": req.path_params["item_id"]}

Cold start is a product feature: only what an HTTP handler needs is imported eagerly; every
other public name is loaded on first use (``__getattr__`` below).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from faaskit._context import Context
from faaskit._handler import Handler, handler
from faaskit._http import HttpRequest
from faaskit._multidict import Headers, MultiDict
from faaskit._response import Response
from faaskit._routes import http
from faaskit._trigger import Trigger
from faaskit.exceptions import (
    AccessDenied,
    BadRequestError,
    BatchFailedError,
    BlobNotFound,
    ConfigurationError,
    FaaskitError,
    ForbiddenError,
    HTTPError,
    IdempotencyInProgressError,
    IdempotencyKeyReuseError,
    InvalidEventError,
    InvalidStorageRequest,
    MethodNotAllowedError,
    MetricError,
    NotFoundError,
    PreconditionFailed,
    RequestValidationError,
    StorageError,
    TriggerMismatchError,
    UnauthorizedError,
    UnsupportedEventError,
)

if TYPE_CHECKING:
    from faaskit._batch import BatchResult
    from faaskit._blob import BlobEvent
    from faaskit._cloudevent import CloudEvent
    from faaskit._declarations import blob, events, queue, schedule, stream, topic
    from faaskit._idempotency import idempotent
    from faaskit._message import Message, MessageBatch
    from faaskit._pipeline import register_decoder
    from faaskit._principal import Principal
    from faaskit._response_cookie import Cookie
    from faaskit._schedule import ScheduleEvent
    from faaskit._secret import Secret, secret
    from faaskit._stream import Record, RecordBatch
    from faaskit.adapter import Decoder

__version__ = "0.1.0"

__all__ = [
    "AccessDenied",
    "BadRequestError",
    "BatchFailedError",
    "BatchResult",
    "BlobEvent",
    "BlobNotFound",
    "CloudEvent",
    "ConfigurationError",
    "Context",
    "Cookie",
    "Decoder",
    "FaaskitError",
    "ForbiddenError",
    "HTTPError",
    "Handler",
    "Headers",
    "HttpRequest",
    "IdempotencyInProgressError",
    "IdempotencyKeyReuseError",
    "InvalidEventError",
    "InvalidStorageRequest",
    "Message",
    "MessageBatch",
    "MethodNotAllowedError",
    "MetricError",
    "MultiDict",
    "NotFoundError",
    "PreconditionFailed",
    "Principal",
    "Record",
    "RecordBatch",
    "RequestValidationError",
    "Response",
    "ScheduleEvent",
    "Secret",
    "StorageError",
    "Trigger",
    "TriggerMismatchError",
    "UnauthorizedError",
    "UnsupportedEventError",
    "blob",
    "events",
    "handler",
    "http",
    "idempotent",
    "queue",
    "register_decoder",
    "schedule",
    "secret",
    "stream",
    "topic",
]

_LAZY = {
    "BatchResult": "faaskit._batch",
    "BlobEvent": "faaskit._blob",
    "CloudEvent": "faaskit._cloudevent",
    "Cookie": "faaskit._response_cookie",
    "Decoder": "faaskit.adapter",
    "Message": "faaskit._message",
    "MessageBatch": "faaskit._message",
    "Principal": "faaskit._principal",
    "Record": "faaskit._stream",
    "RecordBatch": "faaskit._stream",
    "ScheduleEvent": "faaskit._schedule",
    "Secret": "faaskit._secret",
    "blob": "faaskit._declarations",
    "events": "faaskit._declarations",
    "idempotent": "faaskit._idempotency",
    "queue": "faaskit._declarations",
    "register_decoder": "faaskit._pipeline",
    "schedule": "faaskit._declarations",
    "secret": "faaskit._secret",
    "stream": "faaskit._declarations",
    "topic": "faaskit._declarations",
}
_SUBMODULES = frozenset({"cli", "deploy", "storage", "testing"})


def __getattr__(name: str) -> object:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"faaskit.{name}")
    raise AttributeError(f"module 'faaskit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
