"""``file:///path`` as a topic or an event bus: the dev server's local topic and bus.

A local topic is a ``file://`` queue directory (``<data>/queues/<topic>`` under ``faaskit
serve``), which the dev server fans out to each subscriber's own queue. The local bus is the
queue directory ``<data>/events``: each event is stored as the EventBridge event a rule
would route (``source``, ``detail-type``, ``detail``, ``id``, ``time``, ``resources``), and the
dev server hands it to every ``faaskit.events(pattern)`` handler that matches, as an
EventBridge event on AWS or an Event Grid event on Azure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit.storage._base import AttributeValue, Body
from faaskit.storage._filequeue import FileQueue
from faaskit.storage._publish import BusEvent, EventBus, Topic, check_subject

__all__ = ["FileBus", "FileTopic", "event_bus", "topic"]


class FileTopic(Topic):
    """A local topic: messages written (atomically, in order) to a queue directory."""

    def __init__(self, path: str, *, url: str | None = None, **options: Any) -> None:
        self.queue = FileQueue(path, url=url, **options)
        self._url = self.queue.url

    def publish(
        self,
        body: Body,
        *,
        attributes: Mapping[str, AttributeValue] | None = None,
        subject: str | None = None,
    ) -> str:
        """Write one message, with its attributes and subject; its id."""
        checked = check_subject(subject, self._url)
        return self.queue.send(body, attributes=attributes, subject=checked)


class FileBus(EventBus):
    """The local event bus: one EventBridge-shaped event per message file."""

    def __init__(self, path: str, *, url: str | None = None, **options: Any) -> None:
        self.queue = FileQueue(path, url=url, **options)
        self._url = self.queue.url

    def _put(self, event: BusEvent) -> str:
        self.queue.send(
            {
                "id": event.id,
                "source": event.source,
                "detail-type": event.type,
                "detail": dict(event.data),
                "time": event.time.isoformat().replace("+00:00", "Z"),
                "resources": [event.subject] if event.subject else [],
            }
        )
        return event.id


def topic(location: Any, **options: Any) -> FileTopic:
    """The :class:`FileTopic` for a parsed ``file://`` location."""
    return FileTopic(location.name, url=location.url, **options)


def event_bus(location: Any, **options: Any) -> FileBus:
    """The :class:`FileBus` for a parsed ``file://`` location."""
    return FileBus(location.name, url=location.url, **options)
