"""Deliver local stream records and bus events to handlers the way each cloud does.

AWS: stream records as a Kinesis batch through ``handler(event, context)``
(https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html); the partial batch response
names the record to resume from, so that record failed and the ones after it are still
pending (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html).
Bus events as the EventBridge event a rule target receives
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).

Azure: stream records as an Event Hubs delivery (``cardinality="many"``), or a Cosmos DB
change-feed delivery for a handler registered on a container; a failure raises, so the whole
delivery is retried. Bus events as an Event Grid event (Event Grid schema: ``topic`` is the
event's source, ``eventType`` its detail-type, ``subject`` its first resource).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from faaskit import Handler, Message
from faaskit.devserver.deliver import azure_binding, report_failure
from faaskit.exceptions import ConfigurationError
from faaskit.testing import aws_bus, aws_streams, azure_events
from faaskit.testing.runner import invoke

__all__ = ["deliver_events", "deliver_records"]

log = logging.getLogger("faaskit.serve")

# The record attribute naming a record's partition key (``queues(...).send(body,
# attributes={"partition_key": "k"})``).
PARTITION_KEY = "partition_key"


def _partition_key(message: Message) -> str:
    return str(message.attributes.get(PARTITION_KEY) or "partition-1")


def _sequence(message: Message, index: int) -> str:
    """A Kinesis-like sequence number that grows with the local message id (send order)."""
    sent, _, rest = message.id.partition("-")
    counter = rest.partition("-")[0]
    if sent.isdigit() and counter.isdigit():
        return f"4959{sent}{counter}"
    return f"4959{index:028d}"


def _kinesis(
    stream: str, pairs: Sequence[tuple[Message, int]]
) -> tuple[dict[str, Any], dict[str, str]]:
    records: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    for index, (message, _) in enumerate(pairs):
        [record] = aws_streams.kinesis(
            message.body, stream=stream, partition_key=_partition_key(message)
        )["Records"]
        sequence = _sequence(message, index)
        record["kinesis"]["sequenceNumber"] = sequence
        record["eventID"] = f"shardId-000000000000:{sequence}"
        if message.enqueued_at is not None:
            record["kinesis"]["approximateArrivalTimestamp"] = round(
                message.enqueued_at.timestamp(), 3
            )
        ids[sequence] = message.id
        records.append(record)
    return {"Records": records}, ids


def deliver_records(
    handler: Handler, platform: str, stream: str, pairs: Sequence[tuple[Message, int]]
) -> set[str]:
    """Deliver ``(record, attempt)`` pairs of ``stream`` in order; the ids that failed."""
    every = {m.id for m, _ in pairs}
    if platform == "aws":
        event, ids = _kinesis(stream, pairs)
        try:
            result = invoke(handler, event)
        except Exception as exc:
            report_failure(handler, f"stream {stream}", exc)
            return every
        reported = result.get("batchItemFailures") if isinstance(result, dict) else None
        return {ids.get(str(f.get("itemIdentifier")), "") for f in reported or ()} - {""}
    binding = azure_binding(handler)
    bodies = [m.body for m, _ in pairs]
    if binding == "eventHubTrigger":
        first = pairs[0][0]
        spec = azure_events.eventhub(bodies=bodies, partition_key=_partition_key(first))
    elif binding == "cosmosDBTrigger":
        try:
            spec = azure_events.cosmos([json.loads(b) for b in bodies])
        except ValueError as exc:
            report_failure(handler, f"stream {stream} (a Cosmos DB document must be JSON)", exc)
            return every
    else:
        raise ConfigurationError(
            f"handler {handler.name!r}: no local stream delivery for {binding}"
        )
    try:
        invoke(handler, spec, platform="azure")
    except Exception as exc:
        report_failure(handler, f"stream {stream}", exc)
        return every
    return set()


def deliver_events(
    handler: Handler, platform: str, bus: str, pairs: Sequence[tuple[Message, int]]
) -> set[str]:
    """Deliver ``(event, attempt)`` pairs (EventBridge envelopes), one invocation each."""
    failed: set[str] = set()
    for message, _ in pairs:
        event = json.loads(message.body)
        try:
            invoke(handler, _event(event, platform), platform=platform)
        except Exception as exc:
            report_failure(handler, f"event {event.get('id')}", exc)
            failed.add(message.id)
    return failed


def _event(event: dict[str, Any], platform: str) -> Any:
    if platform == "aws":
        native = aws_bus.eventbridge(
            event.get("detail", {}),
            detail_type=event["detail-type"],
            source=event["source"],
            resources=event.get("resources", ()),
            time=event.get("time"),
        )
        native.update({k: event[k] for k in ("version", "id", "account", "region")})
        return native
    resources = event.get("resources") or [""]
    spec = azure_events.eventgrid(
        event.get("detail", {}),
        event_type=event["detail-type"],
        subject=str(resources[0]),
        topic=event["source"],
    )
    grid = json.loads(spec["data"]["value"])
    grid.update(id=event["id"], eventTime=event["time"])
    spec["data"]["value"] = json.dumps(grid)
    return spec
