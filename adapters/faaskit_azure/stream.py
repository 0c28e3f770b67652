"""Azure streams -> :class:`faaskit.Record` / :class:`faaskit.RecordBatch`.

- Event Hubs trigger: ``azure.functions.EventHubEvent`` (``sequence_number``,
  ``partition_key``, ``enqueued_time``, body bytes), one event or, with
  ``cardinality="many"``, a list.
  https://learn.microsoft.com/azure/azure-functions/functions-bindings-event-hubs-trigger
- Cosmos DB change feed trigger: ``azure.functions.DocumentList``, one record per changed
  document; ``new`` is the document as a dict, ``time`` its ``_ts``, ``id`` and ``keys`` its
  ``id`` (the change feed tells neither the partition key path nor insert from update).
  https://learn.microsoft.com/azure/azure-functions/functions-bindings-cosmosdb-v2-trigger

A per-record handler runs the records in order and stops at the first failure, which is
raised; a ``batch=True`` handler that returns a ``BatchResult`` with failures makes the
invocation fail the same way. Neither trigger redelivers a failed batch by itself (Event Hubs
checkpoints regardless), so both are registered with a retry policy
(https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries):
exponential backoff, ``stream_retries`` times (default 5, as AWS retries a stream batch;
-1 retries until it succeeds, 0 turns retries off).

Registration: ``faaskit.stream(name)`` is an Event Hub; a name ``database/container`` (or
``function_app(..., stream_service="cosmosdb")``) is a Cosmos DB container, its leases kept in
``cosmosdb_leases`` (default ``leases``, created if missing); ``starting_position=
"TRIM_HORIZON"`` reads the feed from the beginning. Event Hubs are always registered with
``cardinality="many"`` (per-record handlers still see one ``Record`` at a time), in the consumer
group ``eventhub_consumer_group`` (default ``$Default``); where an Event Hub starts reading is a
``host.json`` setting (``initialOffsetOptions``).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from typing import Any

import attrs

from faaskit import Context, Record, RecordBatch
from faaskit.adapter import shown
from faaskit.exceptions import ConfigurationError, InvalidEventError
from faaskit_azure._bindings import (
    batch_entries,
    binding,
    connection,
    option,
    parse_time,
    raise_failures,
    retry,
)

__all__ = ["COSMOS_DB", "DECODERS", "EVENT_HUBS", "CosmosDB", "EventHubs", "register"]


def _azure(raw: Any, name: str) -> bool:
    return type(raw).__name__ == name and type(raw).__module__.startswith("azure.functions")


@attrs.frozen(kw_only=True)
class EventHubs:
    """An Event Hubs event or a list of them."""

    source: str = "azure-eventhub"
    hub: str | None = None

    def recognise(self, raw: Any) -> bool:
        if isinstance(raw, list):
            return bool(raw) and all(_azure(item, "EventHubEvent") for item in raw)
        return _azure(raw, "EventHubEvent")

    def record(self, raw: Any) -> Record:
        """One ``EventHubEvent`` as a portable record."""
        source = self.source
        sequence = getattr(raw, "sequence_number", None)
        if sequence is None or isinstance(sequence, bool):
            raise InvalidEventError(
                f"{source} event has no sequence number", source=source, field="sequence_number"
            )
        body = raw.get_body()
        if isinstance(body, str):
            body = body.encode("utf-8")
        if not isinstance(body, bytes | bytearray):
            raise InvalidEventError(
                f"{source} event body must be bytes, got {type(body).__name__}",
                source=source,
                field="body",
            )
        return Record(
            id=str(sequence),
            data=bytes(body),
            partition_key=getattr(raw, "partition_key", None) or None,
            time=parse_time(
                getattr(raw, "enqueued_time", None), source=source, field="enqueued_time"
            ),
            source=self.hub,
            raw=raw,
        )

    def decode(self, raw: Any, ctx: Context) -> RecordBatch:
        if not isinstance(raw, list):
            return RecordBatch(records=[self.record(raw)], source=self.hub, raw=raw)
        records, entries = batch_entries(
            raw,
            lambda item, _: self.record(item),
            lambda item, index: str(getattr(item, "sequence_number", None) or f"#{index}"),
        )
        return RecordBatch(records=records, source=self.hub, raw=raw, entries=entries)

    def encode(self, result: Any, raw: Any) -> None:
        raise_failures(result, self.source)


def _document(raw: Any, index: int, source: str) -> dict[str, Any]:
    if raw is None:
        raise InvalidEventError(
            f"{source} change feed entry {index} is empty", source=source, field=f"[{index}]"
        )
    if not isinstance(raw, Mapping):
        raise InvalidEventError(
            f"{source} change feed entry {index} must be a document, got {type(raw).__name__}",
            source=source,
            field=f"[{index}]",
        )
    return dict(raw)


def _document_id(item: Any, index: int) -> str:
    ident = item.get("id") if isinstance(item, Mapping) else None
    return ident if isinstance(ident, str) and ident else f"#{index}"


def _ts(value: Any, source: str) -> _dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidEventError(
            f"{source} document '_ts' must be epoch seconds, got {shown(value)}",
            source=source,
            field="_ts",
        )
    try:
        return _dt.datetime.fromtimestamp(value, _dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise InvalidEventError(
            f"{source} document '_ts' is out of range: {value!r}", source=source, field="_ts"
        ) from None


@attrs.frozen(kw_only=True)
class CosmosDB:
    """A Cosmos DB change feed delivery (``azure.functions.DocumentList``)."""

    source: str = "azure-cosmosdb"
    container: str | None = None

    def recognise(self, raw: Any) -> bool:
        return _azure(raw, "DocumentList")

    def record(self, item: Any, index: int) -> Record:
        """One changed document as a portable record."""
        source = self.source
        doc = _document(item, index, source)
        ident = doc.get("id")
        if not isinstance(ident, str) or not ident:
            raise InvalidEventError(
                f"{source} change feed entry {index} has no 'id'", source=source, field="id"
            )
        try:
            data = json.dumps(doc, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError, RecursionError) as exc:
            raise InvalidEventError(
                f"{source} change feed entry {index} is not a JSON document: {type(exc).__name__}",
                source=source,
                field=f"[{index}]",
            ) from None
        return Record(
            id=ident,
            data=data,
            time=_ts(doc.get("_ts"), source),
            source=self.container,
            new=doc,
            keys={"id": ident},
            raw=item,
        )

    def decode(self, raw: Any, ctx: Context) -> RecordBatch:
        records, entries = batch_entries(raw, self.record, _document_id)
        return RecordBatch(records=records, source=self.container, raw=raw, entries=entries)

    def encode(self, result: Any, raw: Any) -> None:
        raise_failures(result, self.source)


EVENT_HUBS = EventHubs()
COSMOS_DB = CosmosDB()
DECODERS = (EVENT_HUBS, COSMOS_DB)

_SERVICES = ("eventhub", "cosmosdb")
_RETRIES = 5


def _retry(app: Any, built: Any, handler: Any, options: Mapping[str, Any]) -> None:
    entity = handler.trigger.name
    retry(app, built, handler, options, key="stream_retries", entity=entity, default=_RETRIES)


def register(app: Any, handler: Any, options: Mapping[str, Any]) -> None:
    """Register a ``stream`` handler behind an Event Hubs or a Cosmos DB trigger."""
    name = handler.trigger.name
    default = "cosmosdb" if "/" in name else "eventhub"
    service = option(options, "stream_service", name, default)
    if service not in _SERVICES:
        raise ConfigurationError(
            f"handler {handler.name!r}: stream_service for {name!r} must be one of "
            f"{_SERVICES}, got {service!r}"
        )
    if service == "eventhub":
        kwargs: dict[str, Any] = {
            "event_hub_name": name,
            "connection": connection(options, "eventhub"),
            "cardinality": "many",
        }
        group = option(options, "eventhub_consumer_group", name, None)
        if group:
            kwargs["consumer_group"] = group
        built = binding(
            app,
            handler,
            "event_hub_message_trigger",
            "events",
            "list[EventHubEvent]",
            EventHubs(hub=name),
            kwargs,
        )
        _retry(app, built, handler, options)
        return
    database, _, container = name.partition("/")
    if not database or not container or "/" in container:
        raise ConfigurationError(
            f"handler {handler.name!r}: a Cosmos DB stream is named 'database/container', "
            f"got {name!r}"
        )
    kwargs = {
        "database_name": database,
        "container_name": container,
        "connection": connection(options, "cosmosdb"),
        "lease_container_name": option(options, "cosmosdb_leases", name, "leases"),
        "create_lease_container_if_not_exists": True,
    }
    if handler.trigger.starting_position.upper() == "TRIM_HORIZON":
        kwargs["start_from_beginning"] = True
    built = binding(
        app,
        handler,
        "cosmos_db_trigger",
        "documents",
        "DocumentList",
        CosmosDB(container=container),
        kwargs,
    )
    _retry(app, built, handler, options)
