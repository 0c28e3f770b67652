"""Schedule expressions, translated between AWS and Azure.

Three input forms are accepted:

- ``rate(N minute[s]|hour[s]|day[s])``, the EventBridge rate form;
- ``cron(min hour day-of-month month day-of-week year)``, the 6-field AWS form
  (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html):
  exactly one of day-of-month and day-of-week is ``?``, weekdays count 1-7 from Sunday, and
  ``L``, ``W`` and ``#`` exist;
- ``sec min hour day month day-of-week``, the 6-field NCRONTAB form of the Azure timer trigger
  (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions):
  weekdays count 0-6 from Sunday, no ``?``, ``L``, ``W`` or ``#``.

:func:`to_aws` and :func:`to_ncrontab` translate any of them, and raise
:class:`~faaskit.exceptions.ConfigurationError` naming the expression and the reason when the
target cannot express it (AWS cannot fire on seconds other than 0 nor restrict both days; Azure
has no year field, no ``L``/``W``/``#``, and no rate that does not divide the clock evenly).
A rate becomes an aligned NCRONTAB (``rate(5 minutes)`` fires at :00, :05, ...), which is how
Azure schedules run.
"""

from __future__ import annotations

import re

import attrs

from faaskit.exceptions import ConfigurationError

__all__ = ["Cron", "Rate", "parse", "to_aws", "to_ncrontab"]

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|hour|day)s?\s*\)$", re.IGNORECASE)
_CALL = re.compile(r"^(\w+)\((.*)\)$", re.DOTALL)
_TERM = re.compile(r"^(?:(\*)|(\w+)(?:-(\w+))?)(?:/(\d+))?$")
_AWS_DOM_SPECIAL = re.compile(r"^(?:L|LW|L-\d{1,2}|\d{1,2}W)$")
_AWS_DOW_SPECIAL = re.compile(r"^(?:L|(?:[1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(?:L|#[1-5]))$")


@attrs.frozen(kw_only=True)
class Rate:
    """``rate(value unit)``: every ``value`` minutes, hours or days."""

    value: int
    unit: str


@attrs.frozen(kw_only=True)
class _Term:
    """One comma-separated term in neutral numbering; ``start=None`` is ``*``, ``end=None``
    runs to the field's maximum.
    """

    start: int | None
    end: int | None
    step: int


@attrs.frozen(kw_only=True)
class _Field:
    name: str
    low: int
    high: int


_SECOND = _Field(name="second", low=0, high=59)
_MINUTE = _Field(name="minute", low=0, high=59)
_HOUR = _Field(name="hour", low=0, high=23)
_DOM = _Field(name="day-of-month", low=1, high=31)
_MONTH = _Field(name="month", low=1, high=12)
_DOW = _Field(name="day-of-week", low=0, high=6)
_YEAR = _Field(name="year", low=1970, high=2199)

# A parsed field: terms in neutral numbering, or the text of an AWS-only construct.
_Terms = tuple[_Term, ...]
_ANY: _Terms = (_Term(start=None, end=None, step=1),)


@attrs.frozen(kw_only=True)
class Cron:
    """A cron schedule in neutral numbering (weekdays 0-6 from Sunday).

    A field held as ``str`` is AWS-only syntax (``L``, ``W``, ``#`` or a year) kept verbatim.
    """

    second: _Terms
    minute: _Terms
    hour: _Terms
    day: _Terms | str
    month: _Terms
    weekday: _Terms | str
    year: _Terms | str = _ANY


def _fail(expression: str, reason: str) -> ConfigurationError:
    return ConfigurationError(f"schedule {expression!r}: {reason}")


def _value(text: str, field: _Field, aws: bool, expression: str) -> int:
    upper = text.upper()
    if field is _MONTH and upper in _MONTHS:
        return _MONTHS.index(upper) + 1
    if field is _DOW and upper in _DAYS:
        return _DAYS.index(upper)
    if not text.isdigit():
        raise _fail(expression, f"{text!r} is not a valid {field.name} value")
    number = int(text)
    if field is _DOW and aws:
        if not 1 <= number <= 7:
            raise _fail(expression, f"AWS {field.name} {number} is outside 1-7 (1 = Sunday)")
        return number - 1
    if not field.low <= number <= field.high:
        raise _fail(expression, f"{field.name} {number} is outside {field.low}-{field.high}")
    return number


def _terms(text: str, field: _Field, aws: bool, expression: str) -> _Terms:
    out: list[_Term] = []
    for part in text.split(","):
        found = _TERM.fullmatch(part)
        if not found:
            raise _fail(expression, f"cannot read {field.name} field {text!r}")
        star, first, last, step_text = found.groups()
        step = int(step_text) if step_text else 1
        if step < 1:
            raise _fail(expression, f"{field.name} step must be at least 1")
        if star:
            out.append(_Term(start=None, end=None, step=step))
            continue
        start = _value(first, field, aws, expression)
        end: int | None = start
        if last is not None:
            end = _value(last, field, aws, expression)
            if end < start:
                raise _fail(expression, f"{field.name} range {part!r} runs backwards")
        elif step_text:
            end = None
        low = field.low if field is not _DOW else 0
        if start == low and end is None:
            out.append(_Term(start=None, end=None, step=step))
        else:
            out.append(_Term(start=start, end=end, step=step))
    return tuple(out)


def _parse_aws_cron(body: str, expression: str) -> Cron:
    fields = body.split()
    if len(fields) != 6:
        raise _fail(
            expression,
            "AWS cron needs 6 fields: minute hour day-of-month month day-of-week year",
        )
    minute, hour, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise _fail(expression, "AWS cron needs '?' in exactly one of day-of-month, day-of-week")
    day: _Terms | str = _ANY if dom == "?" else dom
    if isinstance(day, str):
        day = (
            dom if _AWS_DOM_SPECIAL.fullmatch(dom.upper()) else _terms(dom, _DOM, True, expression)
        )
    weekday: _Terms | str = _ANY if dow == "?" else dow
    if isinstance(weekday, str):
        special = _AWS_DOW_SPECIAL.fullmatch(dow.upper())
        weekday = dow if special else _terms(dow, _DOW, True, expression)
    if year != "*":
        _terms(year, _YEAR, True, expression)
    return Cron(
        second=(_Term(start=0, end=0, step=1),),
        minute=_terms(minute, _MINUTE, True, expression),
        hour=_terms(hour, _HOUR, True, expression),
        day=day,
        month=_terms(month, _MONTH, True, expression),
        weekday=weekday,
        year=_ANY if year == "*" else year,
    )


def _parse_ncrontab(fields: list[str], expression: str) -> Cron:
    for text in fields:
        if "?" in text or "#" in text or _AWS_DOM_SPECIAL.fullmatch(text.upper()):
            raise _fail(expression, f"NCRONTAB has no {text!r}; it supports only * , - /")
    second, minute, hour, dom, month, dow = fields
    return Cron(
        second=_terms(second, _SECOND, False, expression),
        minute=_terms(minute, _MINUTE, False, expression),
        hour=_terms(hour, _HOUR, False, expression),
        day=_terms(dom, _DOM, False, expression),
        month=_terms(month, _MONTH, False, expression),
        weekday=_terms(dow, _DOW, False, expression),
    )


def parse(expression: str) -> Rate | Cron:
    """Parse a ``rate(...)``, AWS ``cron(...)`` or 6-field NCRONTAB expression."""
    if not isinstance(expression, str) or not expression.strip():
        raise ConfigurationError(
            f"a schedule expression must be a non-empty string, got {expression!r}"
        )
    text = expression.strip()
    rate = _RATE.fullmatch(text)
    if rate:
        value = int(rate.group(1))
        if value < 1:
            raise _fail(expression, "a rate must be at least 1")
        return Rate(value=value, unit=rate.group(2).lower())
    call = _CALL.fullmatch(text)
    if call:
        kind = call.group(1).lower()
        if kind == "cron":
            return _parse_aws_cron(call.group(2), expression)
        if kind == "rate":
            raise _fail(expression, "write a rate as rate(N minutes|hours|days)")
        if kind == "at":
            raise _fail(expression, "one-time at(...) schedules have no Azure equivalent")
        raise _fail(expression, f"unknown schedule form {kind}(...)")
    fields = text.split()
    if len(fields) == 6:
        return _parse_ncrontab(fields, expression)
    if len(fields) == 5:
        raise _fail(
            expression,
            "5 fields is Unix cron; write 6-field NCRONTAB (seconds first, e.g. "
            f"'0 {text}') or AWS cron(...)",
        )
    raise _fail(expression, "expected rate(...), cron(...) or 6-field NCRONTAB")


def _emit(terms: _Terms, field: _Field, aws: bool) -> str:
    shift = 1 if aws and field is _DOW else 0
    parts: list[str] = []
    for term in terms:
        if term.start is None:
            if term.step == 1:
                parts.append("*")
            else:
                parts.append(f"{field.low + shift}/{term.step}" if aws else f"*/{term.step}")
        elif term.end is None:
            start = term.start + shift
            parts.append(f"{start}/{term.step}" if aws else f"{start}-{field.high}/{term.step}")
        elif term.end == term.start and term.step == 1:
            parts.append(str(term.start + shift))
        else:
            span = f"{term.start + shift}-{term.end + shift}"
            parts.append(span if term.step == 1 else f"{span}/{term.step}")
    return ",".join(parts)


def _is_any(terms: _Terms | str) -> bool:
    return terms == _ANY


def to_aws(expression: str) -> str:
    """The EventBridge form of ``expression``: ``rate(...)`` or 6-field ``cron(...)``."""
    parsed = parse(expression)
    if isinstance(parsed, Rate):
        unit = parsed.unit if parsed.value == 1 else f"{parsed.unit}s"
        return f"rate({parsed.value} {unit})"
    if parsed.second != (_Term(start=0, end=0, step=1),):
        raise _fail(expression, "AWS schedules fire on whole minutes; the seconds field must be 0")
    day, weekday = parsed.day, parsed.weekday
    if not _is_any(day) and not _is_any(weekday):
        raise _fail(expression, "AWS cron cannot restrict both day-of-month and day-of-week")
    if _is_any(weekday):
        dom = day if isinstance(day, str) else _emit(day, _DOM, True)
        dow = "?"
    else:
        dom = "?"
        dow = weekday if isinstance(weekday, str) else _emit(weekday, _DOW, True)
    year = parsed.year if isinstance(parsed.year, str) else "*"
    fields = (
        _emit(parsed.minute, _MINUTE, True),
        _emit(parsed.hour, _HOUR, True),
        dom,
        _emit(parsed.month, _MONTH, True),
        dow,
        year,
    )
    return f"cron({' '.join(fields)})"


def _rate_to_ncrontab(rate: Rate, expression: str) -> str:
    minutes = rate.value * {"minute": 1, "hour": 60, "day": 1440}[rate.unit]
    if minutes < 60 and 60 % minutes == 0:
        return "0 * * * * *" if minutes == 1 else f"0 */{minutes} * * * *"
    if minutes % 60 == 0 and minutes < 1440 and 1440 % minutes == 0:
        hours = minutes // 60
        return "0 0 * * * *" if hours == 1 else f"0 0 */{hours} * * *"
    if minutes == 1440:
        return "0 0 0 * * *"
    if minutes == 7 * 1440:
        return "0 0 0 * * 0"
    raise _fail(
        expression,
        "Azure NCRONTAB cannot repeat at this rate (the period must divide an hour or a day, or be "
        "1 or 7 days); use a cron expression",
    )


def to_ncrontab(expression: str) -> str:
    """The 6-field NCRONTAB form of ``expression`` for the Azure timer trigger."""
    parsed = parse(expression)
    if isinstance(parsed, Rate):
        return _rate_to_ncrontab(parsed, expression)
    if isinstance(parsed.year, str):
        raise _fail(expression, "Azure NCRONTAB has no year field; the year must be '*'")
    for field, value in ((_DOM, parsed.day), (_DOW, parsed.weekday)):
        if isinstance(value, str):
            raise _fail(
                expression, f"Azure NCRONTAB cannot express {field.name} {value!r} (L, W, #)"
            )
    assert not isinstance(parsed.day, str) and not isinstance(parsed.weekday, str)
    return " ".join(
        (
            _emit(parsed.second, _SECOND, False),
            _emit(parsed.minute, _MINUTE, False),
            _emit(parsed.hour, _HOUR, False),
            _emit(parsed.day, _DOM, False),
            _emit(parsed.month, _MONTH, False),
            _emit(parsed.weekday, _DOW, False),
        )
    )
