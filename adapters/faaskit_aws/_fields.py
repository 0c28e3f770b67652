"""Typed reads of AWS event payload fields shared by the non-HTTP decoders.

A missing or mistyped field becomes an :class:`InvalidEventError` naming the field by its path
in the payload (``Records[2].kinesis.data``), never a ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from faaskit.adapter import shown
from faaskit.exceptions import InvalidEventError

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = [
    "arn_name",
    "b64",
    "epoch",
    "first_record",
    "invalid",
    "iso_time",
    "number",
    "optional",
    "records",
    "require",
]

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def invalid(source: str, path: str, problem: str) -> InvalidEventError:
    """The error for a malformed field."""
    return InvalidEventError(f"{source} event field {path!r} {problem}", source=source, field=path)


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {Mapping: "an object", str: "a string", int: "an integer", list: "an array"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _check(value: Any, kind: type | tuple[type, ...], source: str, path: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise invalid(source, path, f"must be {_type_name(kind)}, got {type(value).__name__}")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def require(
    obj: Mapping[str, Any], name: str, kind: type | tuple[type, ...], source: str, path: str
) -> Any:
    """``obj[name]``, which must be present and of ``kind``."""
    value = obj.get(name)
    if value is None:
        raise invalid(source, f"{path}.{name}" if path else name, "is missing")
    return _check(value, kind, source, f"{path}.{name}" if path else name)


def optional(
    obj: Mapping[str, Any], name: str, kind: type | tuple[type, ...], source: str, path: str
) -> Any:
    """``obj[name]`` when present and not null (then it must be of ``kind``), else None."""
    value = obj.get(name)
    if value is None:
        return None
    return _check(value, kind, source, f"{path}.{name}" if path else name)


def records(raw: Any, source: str, path: str = "") -> Sequence[Any]:
    """The list ``raw["Records"]`` of a batched event (``path`` locates ``raw`` itself)."""
    if not isinstance(raw, Mapping):
        where = f"{path}.Records" if path else "Records"
        raise invalid(source, where, f"cannot be read from a {type(raw).__name__}")
    return require(raw, "Records", list, source, path)  # type: ignore[no-any-return]


def first_record(raw: Any) -> Mapping[str, Any] | None:
    """The first record of ``raw["Records"]`` when ``raw`` looks like a batch (never raises)."""
    if type(raw) is not dict:
        return None
    batch = raw.get("Records")
    if type(batch) is not list or not batch:
        return None
    first = batch[0]
    return first if type(first) is dict else None


def iso_time(value: Any, source: str, path: str) -> _dt.datetime | None:
    """An ISO 8601 timestamp (``Z`` allowed) as an aware datetime; None when absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid(source, path, f"must be an ISO 8601 string, got {type(value).__name__}")
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise invalid(source, path, f"is not an ISO 8601 time: {shown(value)}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)


# Longer than any epoch timestamp in microseconds, and beyond what a datetime can hold.
_EPOCH_CHARS = 40
_MAX_MICROS = 10**20


def epoch(value: Any, source: str, path: str, *, unit: int = 1) -> _dt.datetime | None:
    """Seconds (times ``unit``: 1000 for milliseconds) since the epoch, as an aware datetime."""
    if value is None:
        return None
    try:
        if type(value) is str and len(value) > _EPOCH_CHARS:
            raise ValueError
        if type(value) is int or (type(value) is str and value.isdigit()):
            return _EPOCH + _dt.timedelta(microseconds=int(value) * 1_000_000 // unit)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise TypeError
        from decimal import Decimal  # only fractional timestamps need it (cold start)

        micros = Decimal(str(value)) * 1_000_000 / unit
        # Checked before int(), which takes time quadratic in a huge exponent.
        if not abs(micros) < _MAX_MICROS:
            raise ValueError
        return _EPOCH + _dt.timedelta(microseconds=int(micros))
    except (TypeError, ValueError, ArithmeticError):
        raise invalid(source, path, f"is not an epoch timestamp: {shown(value)}") from None


def b64(value: Any, source: str, path: str) -> bytes:
    """Standard base64 text decoded to bytes."""
    if not isinstance(value, str):
        raise invalid(source, path, f"must be a base64 string, got {type(value).__name__}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise invalid(source, path, "is not valid base64") from None


# DynamoDB and SQS numbers: at most 38 significant digits, magnitudes 1E-130 to 9.99E+125.
_NUMBER_CHARS = 200
_EXPONENT = 130


def number(value: Any, source: str, path: str) -> int | Decimal:
    """A decimal number string as an ``int`` when it is an integer literal, else ``Decimal``."""
    if not isinstance(value, str):
        raise invalid(source, path, f"must be a number string, got {type(value).__name__}")
    text = value.strip()
    if len(text) > _NUMBER_CHARS:
        raise invalid(source, path, f"has more than {_NUMBER_CHARS} characters")
    digits = text[1:] if text[:1] in "+-" else text
    if digits.isdigit() and digits.isascii():
        return int(text)
    try:
        from decimal import Decimal  # only non-integers need it (cold start)

        result = Decimal(text)
    except ArithmeticError:
        raise invalid(source, path, f"is not a number: {shown(value)}") from None
    if not result.is_finite():
        raise invalid(source, path, f"is not a finite number: {shown(value)}")
    if result and not -_EXPONENT <= result.adjusted() <= _EXPONENT:
        raise invalid(source, path, f"is out of range: {shown(value)}")
    return result


def arn_name(arn: Any) -> str | None:
    """The resource name in an ARN: ``...:stream/name`` and ``...:queue`` give the last part.

    DynamoDB stream ARNs (``table/Name/stream/...``) give the table name.
    """
    if not isinstance(arn, str) or not arn:
        return None
    resource = arn.split(":", 5)[-1]
    parts = resource.split("/")
    if len(parts) >= 2 and parts[0] == "table":
        return parts[1]
    return parts[-1]
