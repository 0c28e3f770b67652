"""CloudEvents 1.0: the generic event-bus event, and the JSON structure every event offers."""

from __future__ import annotations

import base64
import datetime as _dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from faaskit._json import loads

if TYPE_CHECKING:
    from faaskit._types import JSON, JSONObject, Raw

__all__ = ["CloudEvent", "iso_or_empty", "structure"]


def _iso(time: _dt.datetime | None) -> str | None:
    if time is None:
        return None
    if time.tzinfo is None:
        time = time.replace(tzinfo=_dt.timezone.utc)
    return time.isoformat().replace("+00:00", "Z")


def iso_or_empty(time: _dt.datetime | None) -> str:
    """``time`` in ISO 8601 as given (naive stays naive), or ``""`` when unknown."""
    return time.isoformat() if time else ""


def structure(
    *,
    id: str,
    source: str,
    type: str,
    time: _dt.datetime | None = None,
    subject: str | None = None,
    data: JSON = None,
    content_type: str | None = None,
    extensions: Mapping[str, object] | None = None,
) -> JSONObject:
    """A CloudEvents 1.0 JSON-format event (``specversion`` ``"1.0"``).

    Bytes become ``data_base64`` unless they are JSON or text, per the JSON event format spec.
    An empty ``id`` (which the spec forbids) is replaced by a random UUID.
    """
    if not id:
        import uuid

        id = str(uuid.uuid4())
    event: JSONObject = {
        "specversion": "1.0",
        "id": id,
        "source": source or "/",
        "type": type,
    }
    if subject is not None:
        event["subject"] = subject
    if time is not None:
        event["time"] = _iso(time)
    if isinstance(data, bytes | bytearray):
        raw = bytes(data)
        media = (content_type or "").split(";", 1)[0].strip().lower()
        try:
            if media.endswith("json"):
                event["data"] = loads(raw) if raw else None
            elif media.startswith("text/"):
                event["data"] = raw.decode("utf-8")
            elif raw:
                event["data_base64"] = base64.b64encode(raw).decode("ascii")
        except ValueError:
            event["data_base64"] = base64.b64encode(raw).decode("ascii")
    elif data is not None:
        event["data"] = data
    if content_type:
        event["datacontenttype"] = content_type
    elif "data" in event and not isinstance(event["data"], str):
        event["datacontenttype"] = "application/json"
    for name, value in (extensions or {}).items():
        if value is not None:
            event[name] = value
    return event


@attrs.frozen(kw_only=True)
class CloudEvent:
    """An event-bus event (EventBridge, Azure Event Grid) in CloudEvents terms.

    ``data`` is the event's payload as plain JSON values.
    """

    id: str
    source: str
    type: str
    subject: str | None = None
    time: _dt.datetime | None = None
    data: JSON = None
    raw: Raw = attrs.field(default=None, eq=False, repr=False)

    def to_cloudevent(self) -> JSONObject:
        """This event as a CloudEvents 1.0 JSON structure."""
        return structure(
            id=self.id,
            source=self.source,
            type=self.type,
            time=self.time,
            subject=self.subject,
            data=self.data,
        )
