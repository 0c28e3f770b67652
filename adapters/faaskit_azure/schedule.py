"""The Azure timer trigger -> :class:`faaskit.ScheduleEvent`.

The function receives an ``azure.functions.TimerRequest``: ``past_due`` and the
``schedule_status`` of the schedule monitor (``Last``, ``Next``, ``LastUpdated``; absent when
monitoring is off).
https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#usage

``time`` is the occurrence being run: ``ScheduleStatus.Last`` (the host records it before
invoking), else the invocation time. ``schedule`` is the declared expression, which the timer
payload does not carry.

Registration: ``faaskit.schedule(expression)`` becomes a ``timerTrigger`` whose schedule is the
6-field NCRONTAB translation of the expression (``faaskit._cron.to_ncrontab``); an
expression Azure cannot express is refused with a ``ConfigurationError`` at registration.
A failed tick is retried with exponential backoff ``schedule_retries`` times (default 2, as
AWS retries a failed scheduled invocation; 0 turns retries off, -1 retries until it succeeds;
one value, or a mapping of handler name to value); the timer itself never redelivers.
https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import attrs

from faaskit import Context, ScheduleEvent
from faaskit.adapter import shown
from faaskit.exceptions import InvalidEventError
from faaskit_azure._bindings import binding, option, parse_time, retry

__all__ = ["DECODERS", "TIMER", "Timer", "register"]


@attrs.frozen(kw_only=True)
class Timer:
    """A timer tick (``azure.functions.TimerRequest``)."""

    source: str = "azure-timer"
    schedule: str | None = None

    def recognise(self, raw: Any) -> bool:
        return type(raw).__name__ == "TimerRequest" and type(raw).__module__.startswith(
            "azure.functions"
        )

    def decode(self, raw: Any, ctx: Context) -> ScheduleEvent:
        source = self.source
        status = getattr(raw, "schedule_status", None) or {}
        if not isinstance(status, Mapping):
            raise InvalidEventError(
                f"{source} ScheduleStatus must be an object, got {type(status).__name__}",
                source=source,
                field="ScheduleStatus",
            )
        past_due = getattr(raw, "past_due", False)
        if not isinstance(past_due, bool):
            raise InvalidEventError(
                f"{source} IsPastDue must be a boolean, got {shown(past_due)}",
                source=source,
                field="IsPastDue",
            )
        time = parse_time(status.get("Last"), source=source, field="ScheduleStatus.Last")
        return ScheduleEvent(
            time=time or _dt.datetime.now(_dt.timezone.utc),
            schedule=self.schedule,
            past_due=past_due,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> None:
        return None


TIMER = Timer()
DECODERS = (TIMER,)


def ncrontab(expression: str) -> str:
    """The 6-field NCRONTAB for ``expression`` (``rate(...)``, AWS ``cron(...)`` or NCRONTAB)."""
    from faaskit.adapter import to_ncrontab

    return to_ncrontab(expression)


def register(app: Any, handler: Any, options: Mapping[str, Any]) -> None:
    """Register a ``schedule`` handler behind a ``timerTrigger``.

    ``function_app(..., run_on_startup=True)`` also fires the timer when the host starts
    (useful locally; Azure advises against it in production).
    """
    expression = handler.trigger.expression
    kwargs: dict[str, Any] = {"schedule": ncrontab(expression)}
    if option(options, "run_on_startup", handler.name, None):
        kwargs["run_on_startup"] = True
    built = binding(
        app, handler, "timer_trigger", "timer", "TimerRequest", Timer(schedule=expression), kwargs
    )
    retry(app, built, handler, options, key="schedule_retries", entity=handler.name, default=2)
