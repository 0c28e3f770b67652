"""The interface between :mod:`faaskit.storage` and a cloud backend.

A backend module (``faaskit_aws.storage``, ``faaskit_azure.storage``, their publishers)
returns subclasses of :class:`BlobStore`, :class:`QueueSender`, :class:`Topic` or
:class:`EventBus`; :func:`faaskit.storage.blobs` and its siblings import it on first use of its
URL scheme. Backends import the storage core through this module only, never through a private
``faaskit.storage._*`` or ``faaskit._*`` module. The publishing names load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from faaskit.storage._base import (
    AttributeValue,
    BlobInfo,
    BlobStore,
    Body,
    QueueSender,
    check_attributes,
    encode_body,
    unquote_etag,
)
from faaskit.storage._keys import check_key
from faaskit.storage._streams import read_head, reader
from faaskit.storage._url import Location, store_url

if TYPE_CHECKING:
    from faaskit._cloudevent import structure
    from faaskit._trace import current as current_trace
    from faaskit._trace import to_traceparent, to_xray
    from faaskit.storage._publish import BusEvent, EventBus, Topic, check_subject

__all__ = [
    "AttributeValue",
    "BlobInfo",
    "BlobStore",
    "Body",
    "BusEvent",
    "EventBus",
    "Location",
    "QueueSender",
    "Topic",
    "check_attributes",
    "check_key",
    "check_subject",
    "current_trace",
    "encode_body",
    "read_head",
    "reader",
    "store_url",
    "structure",
    "to_traceparent",
    "to_xray",
    "unquote_etag",
]

_LAZY = {
    "BusEvent": ("faaskit.storage._publish", "BusEvent"),
    "EventBus": ("faaskit.storage._publish", "EventBus"),
    "Topic": ("faaskit.storage._publish", "Topic"),
    "check_subject": ("faaskit.storage._publish", "check_subject"),
    "current_trace": ("faaskit._trace", "current"),
    "structure": ("faaskit._cloudevent", "structure"),
    "to_traceparent": ("faaskit._trace", "to_traceparent"),
    "to_xray": ("faaskit._trace", "to_xray"),
}


def __getattr__(name: str) -> Any:
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(f"module 'faaskit.storage.backend' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(where[0]), where[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
