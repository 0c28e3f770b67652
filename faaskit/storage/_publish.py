"""The send side of topics and event buses: :class:`Topic` and :class:`EventBus`.

A topic fans one message out to every subscription (SNS, a Service Bus topic, the dev
server's local topic); an event bus routes structured events to the rules that match them
(EventBridge, an Event Grid topic, the dev server's local bus). Events are given as a
:class:`~faaskit.CloudEvent` or a dict with ``source``, ``type`` and ``data`` (and optional
``subject``, ``id``, ``time``); :func:`bus_event` checks them the same way on every backend.
"""

from __future__ import annotations

import abc
import datetime as _dt
import json
import uuid
from collections.abc import Mapping
from typing import Any

import attrs

from faaskit.exceptions import InvalidStorageRequest
from faaskit.storage._base import AttributeValue, Body

__all__ = ["BusEvent", "EventBus", "Topic", "bus_event", "check_subject"]


class Topic(abc.ABC):
    """Publishes messages to one topic; ``publish`` returns the id the service gave it."""

    _url: str  # set by each backend's constructor

    @property
    def url(self) -> str:
        """The topic's URL (``sns://name``, ``servicebus-topic://name``, ``file:///path``)."""
        return self._url

    @abc.abstractmethod
    def publish(
        self,
        body: Body,
        *,
        attributes: Mapping[str, AttributeValue] | None = None,
        subject: str | None = None,
    ) -> str:
        """Publish one message (a dict or list body is sent as JSON, ``str`` as UTF-8) with
        message ``attributes`` (``str``, ``int``, ``float`` or ``bytes`` values) and an
        optional ``subject`` (SNS ``Subject``, Service Bus ``Label``): subscribers see them as
        :attr:`Message.attributes` and :attr:`Message.subject`.
        """

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


@attrs.frozen(kw_only=True)
class BusEvent:
    """An event as every bus backend sends it; ``data`` is a JSON object."""

    id: str
    source: str
    type: str
    data: Mapping[str, Any]
    subject: str | None = None
    time: _dt.datetime


class EventBus(abc.ABC):
    """Puts events on one event bus or Event Grid topic; ``put`` returns the event's id."""

    _url: str  # set by each backend's constructor

    @property
    def url(self) -> str:
        """The bus's URL (``events://bus``, ``eventgrid://host``, ``file:///path``)."""
        return self._url

    def put(self, event: Any) -> str:
        """Put one event: a :class:`~faaskit.CloudEvent` or a dict with ``source``, ``type``
        and ``data`` (a JSON object), optionally ``subject``, ``id`` and ``time``.
        """
        return self._put(bus_event(event, self.url))

    @abc.abstractmethod
    def _put(self, event: BusEvent) -> str:
        """Send the checked event; its id."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


def bus_event(event: Any, url: str) -> BusEvent:
    """``event`` checked: non-empty string ``source`` and ``type``, JSON-object ``data``."""
    if type(event).__name__ == "CloudEvent":
        fields: Mapping[str, Any] = {
            "id": event.id,
            "source": event.source,
            "type": event.type,
            "subject": event.subject,
            "time": event.time,
            "data": event.data,
        }
    elif isinstance(event, Mapping):
        unknown = set(event) - {"id", "source", "type", "subject", "time", "data"}
        if unknown:
            raise InvalidStorageRequest(
                f"{url}: an event has source, type, data, subject, id and time, "
                f"not {', '.join(sorted(map(str, unknown)))}"
            )
        fields = event
    else:
        raise InvalidStorageRequest(
            f"{url}: an event is a faaskit.CloudEvent or a dict, not {type(event).__name__}"
        )
    for name in ("source", "type"):
        if not isinstance(fields.get(name), str) or not fields[name]:
            raise InvalidStorageRequest(f"{url}: the event needs a non-empty string {name!r}")
    data = fields.get("data") if fields.get("data") is not None else {}
    if not isinstance(data, Mapping):
        raise InvalidStorageRequest(
            f"{url}: event data must be a JSON object (EventBridge's detail is one), "
            f"not {type(data).__name__}"
        )
    try:
        json.dumps(data)
    except (TypeError, ValueError) as exc:
        raise InvalidStorageRequest(f"{url}: event data is not JSON-serializable: {exc}") from exc
    time = fields.get("time") or _dt.datetime.now(_dt.timezone.utc)
    if not isinstance(time, _dt.datetime):
        raise InvalidStorageRequest(f"{url}: event time must be a datetime, not {time!r}")
    subject = fields.get("subject")
    if subject is not None and not isinstance(subject, str):
        raise InvalidStorageRequest(f"{url}: event subject must be a string, not {subject!r}")
    return BusEvent(
        id=str(fields.get("id") or uuid.uuid4()),
        source=fields["source"],
        type=fields["type"],
        data=dict(data),
        subject=subject,
        time=time if time.tzinfo else time.replace(tzinfo=_dt.timezone.utc),
    )


def check_subject(subject: str | None, url: str) -> str | None:
    """A message subject every topic backend takes: printable text, at most 100 characters
    (SNS's limit), no line breaks.
    """
    if subject is None:
        return None
    if not isinstance(subject, str) or not subject:
        raise InvalidStorageRequest(f"{url}: subject must be a non-empty string, not {subject!r}")
    if len(subject) > 100 or not (subject.isascii() and subject.isprintable()):
        raise InvalidStorageRequest(
            f"{url}: subject {subject[:40]!r} must be at most 100 printable ASCII characters"
        )
    return subject
