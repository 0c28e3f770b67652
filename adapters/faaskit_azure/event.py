"""Azure Event Grid events -> :class:`faaskit.CloudEvent`, in both delivery schemas.

An ``eventGridTrigger`` hands the function an ``azure.functions.EventGridEvent`` (Event Grid
schema) or an ``azure.functions.CloudEvent`` (CloudEvents 1.0 schema); the host invokes the
function once per event of the delivered array.

Payload documentation:
- Event Grid schema: https://learn.microsoft.com/azure/event-grid/event-schema
- CloudEvents schema: https://learn.microsoft.com/azure/event-grid/cloud-event-schema
- Event Grid trigger for Functions: https://learn.microsoft.com/azure/azure-functions/functions-bindings-event-grid-trigger

Storage blob events (``Microsoft.Storage.Blob*``) are the business of :mod:`faaskit_azure.blob`;
the decoders here leave them alone unless built with ``storage=True`` (a handler declared with
``faaskit.events(...)`` that wants every event as a ``CloudEvent``).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

import attrs

from faaskit import CloudEvent, Context
from faaskit.exceptions import InvalidEventError
from faaskit_azure._bindings import binding, parse_time

__all__ = [
    "CLOUD_EVENTS",
    "DECODERS",
    "EVENT_GRID",
    "EventGridEvent",
    "GridEvent",
    "blob_subject",
    "grid_fields",
    "is_storage_blob",
    "register",
    "register_grid",
]

_BLOB_SUBJECT = re.compile(r"^/?blobServices/default/containers/([^/]+)/blobs/(.+)$")


@attrs.frozen(kw_only=True)
class GridEvent:
    """The envelope of one Event Grid delivery, whatever its schema."""

    id: str
    type: str | None
    source: str | None
    subject: str | None
    time: _dt.datetime | None
    data: Any
    cloudevents: bool


def grid_fields(raw: Any, source: str) -> GridEvent:
    """The envelope of an ``EventGridEvent``, a ``CloudEvent`` or a JSON dict in either schema.

    A CloudEvents document that spells ``specVersion`` reaches the function as an
    ``EventGridEvent`` without a type (the converter only knows ``specversion``); its type is
    then ``None`` and callers infer what they can from ``subject`` and ``data``.
    """
    if isinstance(raw, Mapping):
        body = raw
        cloud = "specversion" in body or "specVersion" in body
        ident, kind = body.get("id"), body.get("type" if cloud else "eventType")
        origin = body.get("source" if cloud else "topic")
        subject, data = body.get("subject"), body.get("data")
        when = parse_time(body.get("time" if cloud else "eventTime"), source=source, field="time")
    else:
        cloud = hasattr(raw, "specversion")
        try:
            ident, subject, data = raw.id, raw.subject, raw.get_json()
            if cloud:
                kind, origin, when = raw.type, raw.source, raw.time
            else:
                kind, origin, when = raw.event_type, raw.topic, raw.event_time
        except AttributeError as exc:
            raise InvalidEventError(
                f"{source}: {type(raw).__name__} is not an Event Grid event", source=source
            ) from exc
        except (ValueError, RecursionError):
            raise InvalidEventError(
                f"{source} event data is not valid JSON", source=source, field="data"
            ) from None
        when = parse_time(when, source=source, field="time")
    if not isinstance(ident, str) or not ident:
        raise InvalidEventError(f"{source} event has no 'id'", source=source, field="id")
    return GridEvent(
        id=ident,
        type=kind if isinstance(kind, str) and kind else None,
        source=origin if isinstance(origin, str) else None,
        subject=subject if isinstance(subject, str) else None,
        time=when,
        data=data,
        cloudevents=cloud,
    )


def _shape(raw: Any) -> str | None:
    """``"eventgrid"``, ``"cloudevents"`` or None for anything that is not an Event Grid event."""
    module = type(raw).__module__
    if module.startswith("azure.functions"):
        name = type(raw).__name__
        if name == "EventGridEvent":
            return "eventgrid"
        if name == "CloudEvent":
            return "cloudevents"
        return None
    if isinstance(raw, Mapping) and "id" in raw and "data" in raw:
        if "specversion" in raw or "specVersion" in raw:
            return "cloudevents"
        if "eventType" in raw and "subject" in raw:
            return "eventgrid"
    return None


def is_storage_blob(raw: Any) -> bool:
    """Whether ``raw`` is an Event Grid event about a storage blob (never raises)."""
    if _shape(raw) is None:
        return False
    try:
        event = grid_fields(raw, "eventgrid")
    except InvalidEventError:
        return False
    if event.type is not None:
        return event.type.startswith("Microsoft.Storage.Blob")
    # Type lost by the converter (camelCase ``specVersion``): a blob subject and a storage API.
    return (
        bool(event.subject and _BLOB_SUBJECT.match(event.subject))
        and isinstance(event.data, Mapping)
        and "api" in event.data
    )


def blob_subject(subject: str | None) -> tuple[str, str] | None:
    """``(container, blob name)`` from a ``/blobServices/default/containers/c/blobs/x`` subject."""
    match = _BLOB_SUBJECT.match(subject or "")
    return (match.group(1), match.group(2)) if match else None


@attrs.frozen(kw_only=True)
class EventGridEvent:
    """An Event Grid event -> ``CloudEvent``: ``schema`` ``"eventgrid"``
    (``azure.functions.EventGridEvent``), ``"cloudevents"`` (``azure.functions.CloudEvent``) or
    None for both; storage blob events only with ``storage=True``.
    """

    source: str = "eventgrid"
    schema: str | None = "eventgrid"
    storage: bool = False

    def recognise(self, raw: Any) -> bool:
        shape = _shape(raw)
        if shape is None or (self.schema is not None and shape != self.schema):
            return False
        return self.storage or not is_storage_blob(raw)

    def decode(self, raw: Any, ctx: Context) -> CloudEvent:
        event = grid_fields(raw, self.source)
        if event.type is None:
            raise InvalidEventError(
                f"{self.source} event {event.id} has no event type",
                source=self.source,
                field="eventType",
            )
        return CloudEvent(
            id=event.id,
            source=event.source or "",
            type=event.type,
            subject=event.subject,
            time=event.time,
            data=event.data,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> None:
        return None


EVENT_GRID = EventGridEvent()
CLOUD_EVENTS = EventGridEvent(source="eventgrid-cloudevents", schema="cloudevents")
DECODERS = (EVENT_GRID, CLOUD_EVENTS)


def register(app: Any, handler: Any, options: Mapping[str, Any]) -> None:
    """Register an ``events`` handler behind an ``eventGridTrigger``.

    Event Grid subscriptions filter by event type and subject; the EventBridge-style pattern of
    the declaration belongs to the subscription (the deploy step), not to the binding.
    """
    register_grid(app, handler, EventGridEvent(schema=None, storage=True))


def register_grid(app: Any, handler: Any, decoder: Any) -> None:
    """Register ``handler`` behind an ``eventGridTrigger`` decoding with ``decoder``."""
    binding(app, handler, "event_grid_trigger", "event", "EventGridEvent", decoder, {})
