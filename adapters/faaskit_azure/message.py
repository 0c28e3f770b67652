"""Azure queues and topics -> :class:`faaskit.Message` / :class:`faaskit.MessageBatch`.

- Storage Queue trigger: ``azure.functions.QueueMessage`` (``id``, body, ``dequeue_count``,
  ``insertion_time``, ...), always one message per invocation.
  https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger
- Service Bus queue and topic-subscription trigger: ``azure.functions.ServiceBusMessage``
  (``message_id``, ``application_properties``/``user_properties``, ``delivery_count``,
  ``enqueued_time_utc``, ``subject``/``label``, ``session_id``), one message or, with
  ``cardinality="many"``, a list.
  https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger

A failing message raises: the platform retries it (``dequeue_count`` / ``delivery_count``) and
moves it to the poison queue or dead-letter queue. In a Service Bus batch every message runs
(sessions stop at the first failure to keep order) and the first failure is raised afterwards,
so the whole batch is redelivered.

Registration: ``faaskit.queue(name)`` is a Storage Queue by default;
``function_app(..., queue_service="servicebus")`` (or a mapping of queue name to
``"storage"``/``"servicebus"``) makes it a Service Bus queue. A Storage Queue invokes once
per message, so a ``batch=True`` handler there receives batches of one. ``faaskit.topic(name,
subscription=...)`` is always a Service Bus topic subscription (default subscription: the
handler's name, shortened to a prefix and a stable hash when longer than the 50 characters
Service Bus allows). A declared subscription must be a valid Service Bus subscription name
(1-50 letters, digits, ``.``, ``-``, ``_``), else registration raises ``ConfigurationError``.
https://learn.microsoft.com/rest/api/servicebus/create-subscription
Connections name app settings (``connections={"servicebus": ...}``).
``servicebus_sessions=True`` (or a mapping of entity name to bool) registers session-aware
receivers, which entities that require sessions accept alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import attrs

from faaskit import Context, Message, MessageBatch
from faaskit.exceptions import ConfigurationError, InvalidEventError
from faaskit_azure._bindings import (
    batch_entries,
    binding,
    connection,
    option,
    parse_time,
    raise_failures,
)

__all__ = [
    "DECODERS",
    "SERVICE_BUS",
    "STORAGE_QUEUE",
    "ServiceBus",
    "StorageQueue",
    "register",
    "subscription_name",
]


def _azure(raw: Any, name: str) -> bool:
    return type(raw).__name__ == name and type(raw).__module__.startswith("azure.functions")


def _body(raw: Any, source: str) -> bytes:
    try:
        body = raw.get_body()
    except Exception as exc:
        raise InvalidEventError(
            f"{source} message body is unreadable: {exc}", source=source, field="body"
        ) from exc
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if body is None:
        return b""
    raise InvalidEventError(
        f"{source} message body must be bytes or text, got {type(body).__name__}",
        source=source,
        field="body",
    )


def _message_id(value: Any, source: str, field: str) -> str:
    if value is None or value == "":
        raise InvalidEventError(f"{source} message has no {field}", source=source, field=field)
    return str(value)


def _count(value: Any, source: str, field: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidEventError(
            f"{source} field {field!r} is not a count: {value!r}", source=source, field=field
        ) from exc


@attrs.frozen(kw_only=True)
class StorageQueue:
    """A Storage Queue message (``azure.functions.QueueMessage``)."""

    source: str = "azure-storage-queue"
    queue: str | None = None
    batch: bool = False

    def recognise(self, raw: Any) -> bool:
        return _azure(raw, "QueueMessage")

    def decode(self, raw: Any, ctx: Context) -> Message | MessageBatch:
        message = self.message(raw)
        if self.batch:
            return MessageBatch(messages=[message], source=self.queue, raw=raw)
        return message

    def message(self, raw: Any) -> Message:
        """One ``QueueMessage`` as a portable message."""
        source = self.source
        return Message(
            id=_message_id(getattr(raw, "id", None), source, "id"),
            body=_body(raw, source),
            attributes={},
            delivery_count=_count(getattr(raw, "dequeue_count", None), source, "dequeue_count"),
            enqueued_at=parse_time(
                getattr(raw, "insertion_time", None), source=source, field="insertion_time"
            ),
            source=self.queue,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> None:
        raise_failures(result, self.source)


def _properties(raw: Any, source: str) -> dict[str, Any]:
    for name in ("application_properties", "user_properties"):
        value = getattr(raw, name, None)
        if value:
            if not isinstance(value, Mapping):
                raise InvalidEventError(
                    f"{source} {name} must be an object, got {type(value).__name__}",
                    source=source,
                    field=name,
                )
            return dict(value)
    return {}


def _trace(raw: Any) -> str | None:
    """The producer's W3C ``traceparent`` (or the older ``Diagnostic-Id``) application property.

    https://learn.microsoft.com/azure/service-bus-messaging/service-bus-end-to-end-tracing
    """
    for name in ("application_properties", "user_properties"):
        properties = getattr(raw, name, None)
        if isinstance(properties, Mapping):
            for key in ("traceparent", "Diagnostic-Id"):
                value = properties.get(key)
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                if isinstance(value, str) and value:
                    return value
    return None


@attrs.frozen(kw_only=True)
class ServiceBus:
    """A Service Bus message or a list of them (``cardinality="many"``)."""

    source: str = "azure-servicebus"
    entity: str | None = None

    def recognise(self, raw: Any) -> bool:
        if isinstance(raw, list):
            return bool(raw) and all(_azure(item, "ServiceBusMessage") for item in raw)
        return _azure(raw, "ServiceBusMessage")

    def message(self, raw: Any) -> Message:
        """One ``ServiceBusMessage`` as a portable message."""
        source = self.source
        session = getattr(raw, "session_id", None)
        return Message(
            id=_message_id(getattr(raw, "message_id", None), source, "message_id"),
            body=_body(raw, source),
            attributes=_properties(raw, source),
            delivery_count=_count(getattr(raw, "delivery_count", None), source, "delivery_count"),
            enqueued_at=parse_time(
                getattr(raw, "enqueued_time_utc", None), source=source, field="enqueued_time_utc"
            ),
            source=self.entity,
            subject=getattr(raw, "subject", None) or getattr(raw, "label", None) or None,
            group_id=session or None,
            trace_id=_trace(raw),
            raw=raw,
        )

    def decode(self, raw: Any, ctx: Context) -> Message | MessageBatch:
        if not isinstance(raw, list):
            return self.message(raw)
        messages, entries = batch_entries(
            raw,
            lambda item, _: self.message(item),
            lambda item, index: str(getattr(item, "message_id", None) or f"#{index}"),
        )
        return MessageBatch(
            messages=messages,
            source=self.entity,
            fifo=any(getattr(item, "session_id", None) for item in raw),
            raw=raw,
            entries=entries,
        )

    def encode(self, result: Any, raw: Any) -> None:
        raise_failures(result, self.source)


STORAGE_QUEUE = StorageQueue()
SERVICE_BUS = ServiceBus()
DECODERS = (STORAGE_QUEUE, SERVICE_BUS)

_SERVICES = ("storage", "servicebus")


def _bus(options: Mapping[str, Any], handler: Any) -> dict[str, Any]:
    """The connection and session settings every Service Bus trigger takes."""
    kwargs: dict[str, Any] = {"connection": connection(options, "servicebus")}
    sessions = option(options, "servicebus_sessions", handler.trigger.name, False)
    if not isinstance(sessions, bool):
        raise ConfigurationError(
            f"handler {handler.name!r}: servicebus_sessions must be a bool, got {sessions!r}"
        )
    if sessions:
        kwargs["is_sessions_enabled"] = True
    return kwargs


_SUBSCRIPTION_MAX = 50
_SUBSCRIPTION = re.compile(rf"[A-Za-z0-9._-]{{1,{_SUBSCRIPTION_MAX}}}")
_HASH = 8


def subscription_name(handler: Any) -> str:
    """The Service Bus subscription a ``topic`` handler receives through.

    A declared name is checked; the default (the handler's name) is made valid and, when too
    long, cut to a prefix plus a hash of the whole name, so it stays stable across deploys.
    """
    declared = handler.trigger.subscription
    if declared is not None:
        if not isinstance(declared, str) or not _SUBSCRIPTION.fullmatch(declared):
            raise ConfigurationError(
                f"handler {handler.name!r}: subscription {declared!r} is not a valid Service "
                f"Bus subscription name (1-{_SUBSCRIPTION_MAX} letters, digits, '.', '-', '_')"
            )
        return declared
    name = str(handler.name)
    if _SUBSCRIPTION.fullmatch(name):
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:_HASH]
    prefix = re.sub(r"[^A-Za-z0-9._-]", "-", name)[: _SUBSCRIPTION_MAX - _HASH - 1]
    return f"{prefix}-{digest}"


def register(app: Any, handler: Any, options: Mapping[str, Any]) -> None:
    """Register a ``queue`` or ``topic`` handler with its Storage Queue or Service Bus trigger."""
    from faaskit.adapter import Topic

    trigger = handler.trigger
    bus = ServiceBus(entity=trigger.name)
    if isinstance(trigger, Topic):
        kwargs: dict[str, Any] = {
            "topic_name": trigger.name,
            "subscription_name": subscription_name(handler),
            **_bus(options, handler),
        }
        binding(app, handler, "service_bus_topic_trigger", "msg", "ServiceBusMessage", bus, kwargs)
        return
    service = option(options, "queue_service", trigger.name, "storage")
    if service not in _SERVICES:
        raise ConfigurationError(
            f"handler {handler.name!r}: queue_service for {trigger.name!r} must be one of "
            f"{_SERVICES}, got {service!r}"
        )
    if service == "storage":
        decoder = StorageQueue(queue=trigger.name, batch=trigger.batch)
        kwargs = {"queue_name": trigger.name, "connection": connection(options, "storage")}
        binding(app, handler, "queue_trigger", "msg", "QueueMessage", decoder, kwargs)
        return
    kwargs = {"queue_name": trigger.name, **_bus(options, handler)}
    annotation = "ServiceBusMessage"
    if trigger.batch:
        kwargs["cardinality"] = "many"
        annotation = "list[ServiceBusMessage]"
    binding(app, handler, "service_bus_queue_trigger", "msg", annotation, bus, kwargs)
