"""Schedules: EventBridge scheduled rules and EventBridge Scheduler ticks.

Payload formats:
- Scheduled rule (``source`` ``aws.events``, ``detail-type`` ``"Scheduled Event"``, the rule's
  ARN in ``resources``): https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
- EventBridge Scheduler (``source`` ``aws.scheduler``, the schedule's ARN in ``resources``):
  https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets.html

``ScheduleEvent.schedule`` is the rule's name, or ``group/name`` for a Scheduler schedule (the
cron or rate expression itself is not part of the event). EventBridge does not report late
ticks, so ``past_due`` is always False here.
"""

from __future__ import annotations

from typing import Any

from faaskit import Context, ScheduleEvent
from faaskit_aws._fields import iso_time, optional, require
from faaskit_aws.event import is_scheduled

__all__ = ["DECODERS", "SCHEDULED_EVENT", "schedule_name"]


def schedule_name(arn: Any) -> str | None:
    """``rule/nightly`` -> ``nightly``; ``schedule/group/name`` -> ``group/name``."""
    if not isinstance(arn, str) or not arn:
        return None
    resource = arn.split(":", 5)[-1]
    kind, _, name = resource.partition("/")
    if kind == "rule":
        return name.rsplit("/", 1)[-1] or None
    if kind == "schedule":
        return name or None
    return resource or None


class ScheduledEvent:
    """A tick of an EventBridge schedule (rule or Scheduler)."""

    source = "eventbridge-schedule"

    def recognise(self, raw: Any) -> bool:
        return is_scheduled(raw)

    def decode(self, raw: Any, ctx: Context) -> ScheduleEvent:
        source = self.source
        resources = optional(raw, "resources", list, source, "") or []
        return ScheduleEvent(
            time=iso_time(raw.get("time"), source, "time"),
            schedule=schedule_name(resources[0]) if resources else None,
            past_due=False,
            id=optional(raw, "id", str, source, "") or require(raw, "time", str, source, ""),
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> Any:
        from faaskit_aws.blob import passthrough

        return passthrough(result)


SCHEDULED_EVENT = ScheduledEvent()

DECODERS = (SCHEDULED_EVENT,)
