"""Strict JSON parsing for everything faaskit reads from the wire.

The same rules everywhere (request bodies, messages, records, principal headers, local queue
files): ``NaN``, ``Infinity`` and numbers too large for a float are refused, as faaskit's own
encoder refuses them, and nesting deeper than the interpreter's recursion limit allows is a
``ValueError`` instead of a ``RecursionError``. Callers turn the ``ValueError`` into their
typed error (400, ``InvalidEventError``, a dead-lettered file).
"""

from __future__ import annotations

import json as _json
import math
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from faaskit._types import JSON

__all__ = ["loads"]


def _constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON: numbers must be finite")


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"number {text[:40]!r} is too large for a float")
    return value


_decode = _json.JSONDecoder(parse_constant=_constant, parse_float=_float).decode


def loads(data: str | bytes | bytearray) -> JSON:
    """``data`` parsed as strict JSON; ``ValueError`` saying why otherwise."""
    if isinstance(data, bytes | bytearray):
        data = _text(data)
    try:
        return _decode(data)
    except RecursionError:
        raise ValueError("JSON is nested too deeply") from None


def _text(data: bytes | bytearray) -> str:
    """``data`` decoded as ``json.loads`` decodes bytes (UTF-8, -16 or -32, BOM detected)."""
    return data.decode(_json.detect_encoding(data), "surrogatepass")
