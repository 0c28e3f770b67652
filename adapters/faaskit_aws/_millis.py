"""Epoch-millisecond timestamps (SQS ``SentTimestamp``) as aware UTC datetimes, cheaply.

``datetime.fromtimestamp(ms / 1000, tz=utc)`` costs about as much as building the rest of an
SQS message. Messages of one batch are often sent within the same second, so a decoder keeps a
per-batch memo ``seconds`` from a timestamp's seconds digits to what it knows of that second:
the first message of a second is converted the ordinary way and its datetime remembered; from
the second message on, the second is kept *packed* (year, month, day, hour, minute, second as
7 bytes, the state ``pickle`` uses and both the C and the pure-Python ``datetime`` accept) and
each message only appends its packed microseconds. Results are exact: equal to
``datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=int(text))``.

Usage (``message.Sqs.decode`` inlines the common cases)::

    seconds: dict[str, Any] = {}      # one per batch
    when = utc_millis(text, seconds)
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

__all__ = ["FLOAT_EXACT", "MICROS", "utc_millis"]

_UTC = _dt.timezone.utc
_datetime: Any = _dt.datetime
_from_timestamp = _dt.datetime.fromtimestamp

# Below 2**33 s (year 2242) a float of seconds rounds to the exact microsecond.
FLOAT_EXACT = 2**33 * 1000

MICROS: dict[str, bytes] = {}
"""Three millisecond digits to packed microseconds (filled as seen; at most 1000 entries)."""


def utc_millis(text: str, seconds: dict[str, Any]) -> _dt.datetime:
    """``text`` (decimal epoch milliseconds) as an aware UTC datetime, updating the memo.

    Raises ``ValueError`` when ``text`` is not ASCII digits, and ``ValueError``,
    ``OverflowError`` or ``OSError`` when the time is out of range.
    """
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"not epoch milliseconds: {text!r}")
    value = int(text)
    if len(text) < 4 or value >= FLOAT_EXACT:
        return _from_timestamp(value // 1000, _UTC) + _dt.timedelta(milliseconds=value % 1000)
    key, millis = text[:-3], text[-3:]
    known = seconds.get(key)
    micro = MICROS.get(millis)
    if micro is None:
        micro = MICROS[millis] = (int(millis) * 1000).to_bytes(3, "big")
    if known is None:
        when: _dt.datetime = _from_timestamp(value / 1000, _UTC)
        seconds[key] = when
        return when
    if type(known) is not bytes:
        known = seconds[key] = known.__reduce__()[1][0][:7]
    made: _dt.datetime = _datetime(known + micro, _UTC)
    return made
