"""Service Bus batches (``cardinality="many"``) as the host hands them to the Python worker:
the bodies as a collection, each message's properties as parallel ``...Array`` trigger
metadata, as the ``azure.functions`` Service Bus converter reads them
(https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger).
Re-exported by :mod:`faaskit.testing.azure_events`.
"""

from __future__ import annotations

import base64
import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

from faaskit.exceptions import ConfigurationError
from faaskit.testing._common import body_bytes, iso, new_id, typed_json, utcnow

__all__ = ["body_list", "servicebus_batch"]


def body_list(value: Any, name: str) -> list[Any]:
    """``value`` as a list of bodies; a clear error for a string or a non-list."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ConfigurationError(f"{name} must be a list of message bodies ({name}:=[...])")
    return list(value)


def _numbered(count: Any) -> list[Any]:
    if isinstance(count, str) and count.isdigit():
        count = int(count)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ConfigurationError(f"count must be a whole number of messages >= 1, got {count!r}")
    return [{"n": n} for n in range(1, count + 1)]


def servicebus_batch(
    bodies: Sequence[Any] | None = None,
    *,
    count: int = 3,
    subject: str | None = None,
    properties: Mapping[str, Any] | None = None,
    session_id: str = "",
    delivery_count: int = 1,
    content_type: str = "application/json",
    message_ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A Service Bus trigger invocation with ``cardinality="many"`` (a list of
    ``azure.functions.ServiceBusMessage``): one message per item of ``bodies`` (default
    ``count`` numbered JSON messages). The host sends the bodies as a collection and each
    message's properties as parallel ``...Array`` metadata, as documented for the trigger
    (https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger).
    """
    items = body_list(bodies, "bodies") if bodies is not None else _numbered(count)
    if not items:
        raise ConfigurationError("a Service Bus batch needs at least one message")
    ids = list(message_ids) if message_ids is not None else []
    if message_ids is not None and len(ids) != len(items):
        raise ConfigurationError(
            f"message_ids has {len(ids)} ids for {len(items)} messages; give one per message"
        )
    ids = ids or [new_id().replace("-", "") for _ in items]
    now = utcnow()
    size = len(items)
    user = dict(properties or {})

    def each(value: Any) -> dict[str, Any]:
        return typed_json([value] * size)

    return {
        "binding": "serviceBusTrigger",
        "data": {
            "type": "collection_bytes",
            "value": [base64.b64encode(body_bytes(b)).decode("ascii") for b in items],
        },
        "trigger_metadata": {
            "MessageIdArray": typed_json(ids),
            "ContentTypeArray": each(content_type),
            "CorrelationIdArray": each(""),
            "DeliveryCountArray": each(delivery_count),
            "SequenceNumberArray": typed_json(list(range(1, size + 1))),
            "EnqueuedTimeUtcArray": each(iso(now)),
            "ExpiresAtUtcArray": each(iso(now + _dt.timedelta(days=14))),
            "LockedUntilArray": each(iso(now + _dt.timedelta(minutes=1))),
            "LockTokenArray": typed_json([new_id() for _ in items]),
            "SessionIdArray": each(session_id),
            "SubjectArray": each(subject or ""),
            "ToArray": each(""),
            "ReplyToArray": each(""),
            "UserPropertiesArray": each(user),
            "ApplicationPropertiesArray": each(user),
        },
    }
