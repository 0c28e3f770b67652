"""Trigger declarations for every non-HTTP source: storage, queues, topics, schedules, streams
and event buses. They drive the dispatch checks at run time and the deploy artifacts at build time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar

import attrs

from faaskit._trigger import Trigger
from faaskit.exceptions import ConfigurationError

if TYPE_CHECKING:
    from faaskit._types import JSON

__all__ = [
    "Blob",
    "Events",
    "Queue",
    "Schedule",
    "Stream",
    "Topic",
    "blob",
    "events",
    "queue",
    "schedule",
    "stream",
    "topic",
]


@attrs.frozen(kw_only=True)
class Blob(Trigger):
    """Objects created (or deleted, ...) in ``bucket``, filtered by key prefix and suffix."""

    kind: ClassVar[str] = "blob"
    bucket: str
    prefix: str | None = None
    suffix: str | None = None
    events: tuple[str, ...] = ("created",)


@attrs.frozen(kw_only=True)
class Queue(Trigger):
    """Messages from the queue ``name``; ``batch=True`` hands over the whole batch."""

    kind: ClassVar[str] = "message"
    name: str
    batch: bool = False
    batch_size: int | None = None


@attrs.frozen(kw_only=True)
class Topic(Trigger):
    """Messages published to the topic ``name`` (SNS topic, Service Bus topic)."""

    kind: ClassVar[str] = "message"
    name: str
    subscription: str | None = None


@attrs.frozen(kw_only=True)
class Schedule(Trigger):
    """A schedule: ``rate(5 minutes)``, AWS ``cron(...)`` or 6-field NCRONTAB."""

    kind: ClassVar[str] = "schedule"
    expression: str


@attrs.frozen(kw_only=True)
class Stream(Trigger):
    """Records from the stream or change feed ``name`` (Kinesis, DynamoDB, Event Hubs,
    Cosmos DB).
    """

    kind: ClassVar[str] = "stream"
    name: str
    batch: bool = False
    starting_position: str = "LATEST"


@attrs.frozen(kw_only=True)
class Events(Trigger):
    """Event-bus events matching ``pattern`` (an EventBridge-style pattern)."""

    kind: ClassVar[str] = "event"
    pattern: Mapping[str, JSON]
    bus: str | None = None


def _name(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{what} must be a non-empty string, got {value!r}")
    return value


def blob(
    bucket: str,
    *,
    prefix: str | None = None,
    suffix: str | None = None,
    events: str | Iterable[str] = ("created",),
) -> Blob:
    """Declare an object-storage trigger on ``bucket`` (an S3 bucket or Azure container)."""
    actions = (events,) if isinstance(events, str) else tuple(events)
    return Blob(bucket=_name(bucket, "bucket"), prefix=prefix, suffix=suffix, events=actions)


def queue(name: str, *, batch: bool = False, batch_size: int | None = None) -> Queue:
    """Declare a queue trigger; by default the handler takes one ``Message`` at a time."""
    return Queue(name=_name(name, "queue name"), batch=batch, batch_size=batch_size)


def topic(name: str, *, subscription: str | None = None) -> Topic:
    """Declare a topic-subscription trigger."""
    return Topic(name=_name(name, "topic name"), subscription=subscription)


def schedule(expression: str) -> Schedule:
    """Declare a schedule: ``rate(...)``, AWS ``cron(...)`` or 6-field NCRONTAB."""
    from faaskit._cron import parse

    text = _name(expression, "schedule expression").strip()
    parse(text)
    return Schedule(expression=text)


def stream(name: str, *, batch: bool = False, starting_position: str = "LATEST") -> Stream:
    """Declare a stream or change-feed trigger."""
    return Stream(name=_name(name, "stream name"), batch=batch, starting_position=starting_position)


def events(pattern: Mapping[str, JSON], *, bus: str | None = None) -> Events:
    """Declare an event-bus rule matching ``pattern``."""
    if not isinstance(pattern, Mapping) or not pattern:
        raise ConfigurationError(f"an events pattern must be a non-empty mapping, got {pattern!r}")
    return Events(pattern=dict(pattern), bus=bus)
