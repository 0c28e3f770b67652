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
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from faaskit._cloudevent import CloudEvent
from faaskit._context import Context
from faaskit._events import BatchEntry
from faaskit.exceptions import BatchFailedError, ConfigurationError, InvalidEventError

__all__ = [
    "CLOUD_EVENTS",
    "DECODERS",
    "EVENT_GRID",
    "EventGridEvent",
    "GridEvent",
    "batch_entries",
    "binding",
    "blob_subject",
    "connection",
    "grid_fields",
    "is_storage_blob",
    "option",
    "parse_time",
    "raise_failures",
    "register",
    "register_grid",
    "utc",
]

_BLOB_SUBJECT = re.compile(r"^/?blobServices/default/containers/([^/]+)/blobs/(.+)$")


def utc(value: _dt.datetime | None) -> _dt.datetime | None:
    """``value`` as an aware UTC datetime; Azure reports naive times in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=_dt.timezone.utc)
    return value.astimezone(_dt.timezone.utc)


def parse_time(value: Any, *, source: str, field: str) -> _dt.datetime | None:
    """An ISO-8601 time (``datetime`` or string, 7-digit fractions allowed) in UTC, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return utc(value)
    if isinstance(value, str):
        try:
            return utc(_dt.datetime.fromisoformat(value.strip()))
        except ValueError:
            pass
    raise InvalidEventError(
        f"{source} field {field!r} is not an ISO-8601 time: {value!r}", source=source, field=field
    )


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


# Registration glue shared by every non-HTTP family.

_CONNECTIONS = {
    "storage": "AzureWebJobsStorage",
    "servicebus": "ServiceBusConnection",
    "eventhub": "EventHubConnection",
    "cosmosdb": "CosmosDBConnection",
}


def option(options: Mapping[str, Any], key: str, name: str, default: Any) -> Any:
    """``options[key]``: one value for every entity, or a mapping of entity ``name`` to value."""
    value = options.get(key)
    if isinstance(value, Mapping):
        return value.get(name, default)
    return default if value is None else value


def connection(options: Mapping[str, Any], service: str) -> str:
    """The app setting holding ``service``'s connection (``connections={service: setting}``)."""
    chosen = option(options, "connections", service, _CONNECTIONS[service])
    if not isinstance(chosen, str) or not chosen:
        raise ConfigurationError(
            f"connections[{service!r}] must name an app setting, got {chosen!r}"
        )
    return chosen


def _annotation(spec: str) -> Any:
    import azure.functions as func

    if spec.startswith("list[") and spec.endswith("]"):
        # typing.List, not list[...]: the worker's is_iterable_type_annotation only knows it.
        return typing.List[getattr(func, spec[5:-1])]  # type: ignore[misc]  # noqa: UP006
    return getattr(func, spec)


def batch_entries(
    items: Iterable[Any],
    decode: Callable[[Any, int], Any],
    fallback_id: Callable[[Any, int], str],
) -> tuple[list[Any], list[BatchEntry]]:
    """Decode every item of a batch; one that fails becomes an entry carrying its error (it
    counts as failed, so the delivery fails and is retried), never dropped.
    """
    decoded: list[Any] = []
    entries: list[BatchEntry] = []
    for index, item in enumerate(items):
        try:
            event = decode(item, index)
        except InvalidEventError as exc:
            entries.append(BatchEntry(id=fallback_id(item, index), error=exc))
            continue
        decoded.append(event)
        entries.append(BatchEntry(id=event.id, events=(event,), item=event))
    return decoded, entries


def raise_failures(result: Any, source: str) -> None:
    """Raise when a batch handler reported failures: Azure can only retry whole deliveries.

    (The sync path raises in ``run_batch`` already; this covers results that come back whole.)
    """
    from faaskit._events import BatchResult

    if isinstance(result, BatchResult) and result.failed:
        failed = tuple(result.failed)
        raise BatchFailedError(
            f"{source}: the handler reported {len(failed)} failed item(s) "
            f"({', '.join(failed[:10])}); failing the invocation so the delivery is retried",
            failed=failed,
        )


def binding(
    app: Any,
    handler: Any,
    decorator: str,
    arg_name: str,
    annotation: str,
    decoder: Any,
    kwargs: Mapping[str, Any],
) -> None:
    """Add ``handler`` to ``app`` behind ``app.<decorator>(arg_name=..., **kwargs)``.

    The wrapper takes ``arg_name`` annotated ``azure.functions.<annotation>`` plus ``context``
    and runs :func:`faaskit_azure.invoke.entry`: decode with ``decoder``, the shared semantics
    without failure reports (a failure raises, so the platform retries), ``decoder.encode``.
    """
    from faaskit_azure.invoke import entry
    from faaskit_azure.wrapper import make_wrapper

    wrapper = make_wrapper(
        handler.name,
        [(arg_name, _annotation(annotation))],
        None,
        entry(handler, decoder, arg_name),
        is_async=handler.is_async,
        module=getattr(handler, "__module__", None),
    )
    built = getattr(app, decorator)(arg_name=arg_name, **kwargs)(wrapper)
    app.function_name(handler.name)(built)
