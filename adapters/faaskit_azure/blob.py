"""Azure Blob Storage -> :class:`faaskit.BlobEvent`: the blob trigger and Event Grid blob events.

- Blob trigger: the function receives an ``azure.functions.InputStream`` whose ``name`` is
  ``container/path``, with ``length``, ``uri``, ``blob_properties`` (``ContentLength``,
  ``ContentType``, ``ETag``, ``LastModified``, ...) and ``metadata``.
  https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger
- Event Grid: ``Microsoft.Storage.BlobCreated`` / ``BlobDeleted`` (and the other
  ``Microsoft.Storage.Blob*`` types) in the Event Grid schema or the CloudEvents schema; the
  subject is ``/blobServices/default/containers/{container}/blobs/{name}``.
  https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage

Each event's ``store`` is ``azure://{container}``, so :meth:`BlobEvent.read` goes through
:func:`faaskit.storage.blobs`. The blob trigger also delivers the content itself: it stays
readable from ``event.raw`` (the ``InputStream``). User metadata of a triggered blob is on
``event.raw.metadata``.

Registration: ``faaskit.blob(container, prefix=, suffix=)`` becomes a ``blobTrigger`` on
``container/{prefix}{name}{suffix}``. It becomes an ``eventGridTrigger`` instead when the
declaration asks for actions other than ``created`` (the blob trigger only sees new and
updated blobs) or when ``function_app(..., blob_trigger="eventgrid")`` says so;
``blob_trigger="blob-eventgrid"`` keeps the blob trigger but lets Event Grid drive it.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

import attrs

from faaskit import BlobEvent, Context
from faaskit.exceptions import ConfigurationError, InvalidEventError, TriggerMismatchError
from faaskit_azure._bindings import binding, connection, option, parse_time
from faaskit_azure.event import blob_subject, grid_fields, is_storage_blob, register_grid

__all__ = ["BLOB_TRIGGER", "CLOUD_EVENTS_BLOB", "DECODERS", "EVENT_GRID_BLOB", "register"]


def _strip_etag(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return value.strip('"')


def _int(value: Any, source: str, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidEventError(
            f"{source} field {field!r} is not a size", source=source, field=field
        )
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidEventError(
            f"{source} field {field!r} is not a size: {value!r}", source=source, field=field
        ) from exc


def _split(path: str, source: str, field: str) -> tuple[str, str]:
    container, _, key = path.lstrip("/").partition("/")
    if not container or not key:
        raise InvalidEventError(
            f"{source} field {field!r} must be 'container/path', got {path!r}",
            source=source,
            field=field,
        )
    return container, key


@attrs.frozen(kw_only=True)
class BlobTrigger:
    """A ``blobTrigger`` delivery (``azure.functions.InputStream``)."""

    source: str = "azure-blob"

    def recognise(self, raw: Any) -> bool:
        return type(raw).__name__ == "InputStream" and type(raw).__module__.startswith(
            "azure.functions"
        )

    def decode(self, raw: Any, ctx: Context) -> BlobEvent:
        source = self.source
        name = getattr(raw, "name", None)
        if not isinstance(name, str):
            raise InvalidEventError(
                f"{source} input has no blob name (trigger metadata 'BlobTrigger')",
                source=source,
                field="name",
            )
        container, key = _split(name, source, "name")
        props = getattr(raw, "blob_properties", None) or {}
        if not isinstance(props, Mapping):
            raise InvalidEventError(
                f"{source} blob properties must be an object", source=source, field="Properties"
            )
        length = getattr(raw, "length", None)
        return BlobEvent(
            bucket=container,
            key=key,
            action="created",
            size=_int(
                length if length is not None else props.get("ContentLength"), source, "length"
            ),
            etag=_strip_etag(props.get("ETag")),
            time=parse_time(props.get("LastModified"), source=source, field="LastModified"),
            content_type=props.get("ContentType") or None,
            version=props.get("VersionId") or None,
            url=getattr(raw, "uri", None),
            store=f"azure://{container}",
            source="azure:blob",
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> None:
        return None


_WORDS = re.compile(r"(?<!^)(?=[A-Z])")


def _action(event_type: str | None, data: Mapping[str, Any]) -> str:
    if event_type is None:
        api = str(data.get("api", ""))
        return "deleted" if api.startswith("Delete") else "created"
    suffix = event_type.rsplit(".", 1)[-1]
    suffix = suffix[len("Blob") :] if suffix.startswith("Blob") else suffix
    return _WORDS.sub("_", suffix).lower() or "created"


def _from_url(url: Any) -> tuple[str, str] | None:
    if not isinstance(url, str):
        return None
    path = urllib.parse.urlsplit(url).path.lstrip("/")
    if path.startswith("devstoreaccount1/"):  # Azurite/emulator URLs carry the account name
        path = path.partition("/")[2]
    container, _, key = path.partition("/")
    return (container, urllib.parse.unquote(key)) if container and key else None


@attrs.frozen(kw_only=True)
class EventGridBlob:
    """A storage blob event from Event Grid: ``cloudevents`` False for the Event Grid schema
    (``azure.functions.EventGridEvent``), True for CloudEvents (``azure.functions.CloudEvent``),
    None for both.
    """

    source: str = "eventgrid-blob"
    cloudevents: bool | None = False

    def recognise(self, raw: Any) -> bool:
        if not is_storage_blob(raw):
            return False
        if self.cloudevents is None:
            return True
        try:
            return grid_fields(raw, self.source).cloudevents is self.cloudevents
        except InvalidEventError:
            return False

    def decode(self, raw: Any, ctx: Context) -> BlobEvent:
        source = self.source
        event = grid_fields(raw, source)
        if not is_storage_blob(raw):
            raise TriggerMismatchError(
                f"a blob handler registered for Event Grid received a {event.type or 'untyped'} "
                "event, not a Microsoft.Storage.Blob* event; narrow the subscription's event types",
                source=source,
                expected="blob",
                got="event",
            )
        data = event.data if event.data is not None else {}
        if not isinstance(data, Mapping):
            raise InvalidEventError(
                f"{source} event 'data' must be an object", source=source, field="data"
            )
        where = blob_subject(event.subject) or _from_url(data.get("url"))
        if where is None:
            raise InvalidEventError(
                f"{source} event {event.id}: subject {event.subject!r} names no container/blob",
                source=source,
                field="subject",
            )
        container, key = where
        return BlobEvent(
            bucket=container,
            key=key,
            action=_action(event.type, data),
            size=_int(data.get("contentLength"), source, "data.contentLength"),
            etag=_strip_etag(data.get("eTag")),
            time=event.time,
            content_type=data.get("contentType") or None,
            version=data.get("versionId") or None,
            url=data.get("url"),
            store=f"azure://{container}",
            source="azure:blob",
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> None:
        return None


BLOB_TRIGGER = BlobTrigger()
EVENT_GRID_BLOB = EventGridBlob()
CLOUD_EVENTS_BLOB = EventGridBlob(source="eventgrid-blob-cloudevents", cloudevents=True)
DECODERS = (BLOB_TRIGGER, EVENT_GRID_BLOB, CLOUD_EVENTS_BLOB)


_MODES = ("blob", "blob-eventgrid", "eventgrid")


def register(app: Any, handler: Any, options: Mapping[str, Any]) -> None:
    """Register a ``blob`` handler behind a ``blobTrigger`` or an ``eventGridTrigger``."""
    trigger = handler.trigger
    mode = option(options, "blob_trigger", trigger.bucket, "blob")
    if mode not in _MODES:
        raise ConfigurationError(
            f"handler {handler.name!r}: blob_trigger must be one of {_MODES}, got {mode!r}"
        )
    if mode == "eventgrid" or set(trigger.events) - {"created"}:
        register_grid(app, handler, EventGridBlob(cloudevents=None))
        return
    path = f"{trigger.bucket}/{trigger.prefix or ''}{{name}}{trigger.suffix or ''}"
    kwargs: dict[str, Any] = {"path": path, "connection": connection(options, "storage")}
    if mode == "blob-eventgrid":
        kwargs["source"] = "EventGrid"
    binding(app, handler, "blob_trigger", "blob", "InputStream", BLOB_TRIGGER, kwargs)
