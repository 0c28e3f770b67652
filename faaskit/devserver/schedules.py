"""When a schedule fires next, for the dev server: ``rate(...)``, AWS ``cron(...)`` and
NCRONTAB, parsed by :mod:`faaskit._cron`, evaluated in UTC as both clouds do.

AWS-only day constructs (``L``, ``W``, ``#``) and years are approximated: the dev server fires
on every day those fields allow at most, and says so when it starts.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from faaskit.adapter import Cron, Rate, parse_schedule

__all__ = ["approximate", "next_fire"]

_UNIT = {"minute": 60, "hour": 3600, "day": 86400}


def _allows(terms: Any, value: int, low: int, high: int) -> bool:
    if isinstance(terms, str):
        return True
    for term in terms:
        start = low if term.start is None else term.start
        end = high if term.end is None else term.end
        if start <= value <= end and (value - start) % term.step == 0:
            return True
    return False


def _restricted(terms: Any) -> bool:
    return isinstance(terms, str) or any(t.start is not None or t.step != 1 for t in terms)


def _day_ok(cron: Cron, day: _dt.date) -> bool:
    if not _allows(cron.month, day.month, 1, 12):
        return False
    weekday = (day.weekday() + 1) % 7  # Sunday = 0
    dom_ok = _allows(cron.day, day.day, 1, 31)
    dow_ok = _allows(cron.weekday, weekday, 0, 6)
    if _restricted(cron.day) and _restricted(cron.weekday):
        return dom_ok or dow_ok
    return dom_ok and dow_ok


def approximate(expression: str) -> bool:
    """Whether the dev server can only approximate ``expression`` (``L``, ``W``, ``#``, year)."""
    parsed = parse_schedule(expression)
    return isinstance(parsed, Cron) and any(
        isinstance(f, str) for f in (parsed.day, parsed.weekday, parsed.year)
    )


def next_fire(expression: str, after: _dt.datetime) -> _dt.datetime:
    """The first time strictly after ``after`` (aware, UTC) that ``expression`` fires.

    A rate fires aligned to the clock (``rate(5 minutes)`` at :00, :05, ...), as on Azure.
    """
    parsed = parse_schedule(expression)
    start = after.astimezone(_dt.timezone.utc).replace(microsecond=0) + _dt.timedelta(seconds=1)
    if isinstance(parsed, Rate):
        period = parsed.value * _UNIT[parsed.unit]
        stamp = int(start.timestamp())
        stamp += -stamp % period
        return _dt.datetime.fromtimestamp(stamp, _dt.timezone.utc)
    day = start.date()
    for _ in range(366 * 5):
        if _day_ok(parsed, day):
            for hour in range(24):
                if not _allows(parsed.hour, hour, 0, 23):
                    continue
                for minute in range(60):
                    if not _allows(parsed.minute, minute, 0, 59):
                        continue
                    for second in range(60):
                        if not _allows(parsed.second, second, 0, 59):
                            continue
                        when = _dt.datetime(
                            day.year,
                            day.month,
                            day.day,
                            hour,
                            minute,
                            second,
                            tzinfo=_dt.timezone.utc,
                        )
                        if when >= start:
                            return when
        day += _dt.timedelta(days=1)
    raise ValueError(f"schedule {expression!r} never fires in the next five years")
