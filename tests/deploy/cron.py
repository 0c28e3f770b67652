"""Independent matchers for AWS schedules and NCRONTAB, written from the AWS and Azure docs.

They answer "does this expression fire at this instant?" so tests can compare translations
by behaviour rather than by text.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def _values(field: str, low: int, high: int, names: list[str], name_base: int) -> set[int]:
    def number(text: str) -> int:
        up = text.upper()
        return names.index(up) + name_base if up in names else int(text)

    out: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base in ("*", "?"):
            first, last = low, high
        elif "-" in base:
            a, b = base.split("-")
            first, last = number(a), number(b)
        else:
            first = number(base)
            last = high if step_text else first
        out.update(range(first, last + 1, step))
    return out


def ncrontab_fires(expr: str, t: dt.datetime) -> bool:
    sec, minute, hour, dom, month, dow = expr.split()
    weekday = (t.weekday() + 1) % 7  # NCRONTAB: 0 = Sunday
    return (
        t.second in _values(sec, 0, 59, [], 0)
        and t.minute in _values(minute, 0, 59, [], 0)
        and t.hour in _values(hour, 0, 23, [], 0)
        and t.day in _values(dom, 1, 31, [], 0)
        and t.month in _values(month, 1, 12, _MONTHS, 1)
        and weekday in _values(dow, 0, 6, _DAYS, 0)
    )


def aws_fires(expr: str, t: dt.datetime) -> bool:
    rate = re.fullmatch(r"rate\((\d+) (minute|hour|day)s?\)", expr)
    if rate:
        # Aligned reading of a rate, as the Azure translation runs it.
        every = int(rate.group(1)) * {"minute": 1, "hour": 60, "day": 1440}[rate.group(2)]
        since_epoch = int((t - dt.datetime(1970, 1, 4)).total_seconds()) // 60  # a Sunday
        return t.second == 0 and since_epoch % every == 0
    body = re.fullmatch(r"cron\((.*)\)", expr)
    assert body, expr
    minute, hour, dom, month, dow, year = body.group(1).split()
    weekday = (t.weekday() + 1) % 7 + 1  # AWS: 1 = Sunday
    return (
        t.second == 0
        and t.minute in _values(minute, 0, 59, [], 0)
        and t.hour in _values(hour, 0, 23, [], 0)
        and t.day in _values(dom, 1, 31, [], 0)
        and t.month in _values(month, 1, 12, _MONTHS, 1)
        and weekday in _values(dow, 1, 7, _DAYS, 1)
        and (year == "*" or t.year in _values(year, 1970, 2199, [], 0))
    )
