"""Event-bus events: EventBridge custom and AWS service events, as CloudEvents.

Payload format (the EventBridge envelope: ``id``, ``source``, ``detail-type``, ``time``,
``resources``, ``detail``): https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
Invoking Lambda from a rule: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html

S3 object events (:mod:`faaskit_aws.blob`) and scheduled events (:mod:`faaskit_aws.schedule`)
share the envelope but have their own portable types, so this decoder leaves them alone.
"""

from __future__ import annotations

from typing import Any

from faaskit import CloudEvent, Context
from faaskit.adapter import loads
from faaskit_aws._fields import iso_time, optional, require

__all__ = ["DECODERS", "EVENTBRIDGE", "is_envelope"]


def is_envelope(raw: Any) -> bool:
    """Whether ``raw`` has the EventBridge envelope's identifying fields (never raises)."""
    return type(raw) is dict and "detail-type" in raw and "source" in raw and "detail" in raw


def is_scheduled(raw: Any) -> bool:
    """An EventBridge scheduled-rule or EventBridge Scheduler tick (never raises)."""
    return (
        is_envelope(raw)
        and raw.get("detail-type") == "Scheduled Event"
        and raw.get("source") in ("aws.events", "aws.scheduler")
    )


def _data(detail: Any) -> Any:
    """The event's ``detail``; a JSON text (EventBridge Scheduler sends ``"{}"``) is parsed."""
    if isinstance(detail, str):
        try:
            return loads(detail)
        except ValueError:
            return detail
    return detail


class EventBridge:
    """Any EventBridge event other than S3 object events and scheduled ticks."""

    source = "eventbridge"

    def recognise(self, raw: Any) -> bool:
        if not is_envelope(raw) or is_scheduled(raw):
            return False
        from faaskit_aws.blob import is_eventbridge_object

        return not is_eventbridge_object(raw)

    def decode(self, raw: Any, ctx: Context) -> CloudEvent:
        source = self.source
        resources = optional(raw, "resources", list, source, "")
        return CloudEvent(
            id=require(raw, "id", str, source, ""),
            source=require(raw, "source", str, source, ""),
            type=require(raw, "detail-type", str, source, ""),
            subject=resources[0] if resources and isinstance(resources[0], str) else None,
            time=iso_time(raw.get("time"), source, "time"),
            data=_data(raw.get("detail")),
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> Any:
        from faaskit_aws.blob import passthrough

        return passthrough(result)


EVENTBRIDGE = EventBridge()

DECODERS = (EVENTBRIDGE,)
