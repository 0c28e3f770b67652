"""DynamoDB attribute values (``{"S": "x"}``, ``{"N": "1"}``, ...) to plain Python.

Format: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
``S`` -> str, ``N`` -> int (or ``Decimal`` when not an integer), ``B`` -> bytes (base64
decoded), ``SS``/``NS``/``BS`` -> set, ``M`` -> dict, ``L`` -> list, ``NULL`` -> None,
``BOOL`` -> bool. A malformed value raises :class:`~faaskit.InvalidEventError` naming its path,
as does nesting deeper than DynamoDB's 32 levels:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-data-types
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit_aws._fields import b64, invalid, number

__all__ = ["image", "value"]


def _items(raw: Any, source: str, path: str) -> list[Any]:
    if not isinstance(raw, list):
        raise invalid(source, path, f"must be an array, got {type(raw).__name__}")
    return raw


# DynamoDB supports up to 32 levels of nested maps and lists.
MAX_DEPTH = 32


def value(raw: Any, source: str, path: str, depth: int = 0) -> Any:
    """One attribute value, recursively (``depth`` counts the maps and lists around it)."""
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise invalid(source, path, "must be an object with exactly one type key")
    ((kind, data),) = raw.items()
    where = f"{path}.{kind}"
    if kind == "S":
        if not isinstance(data, str):
            raise invalid(source, where, f"must be a string, got {type(data).__name__}")
        return data
    if kind == "N":
        return number(data, source, where)
    if kind == "B":
        return b64(data, source, where)
    if kind == "BOOL":
        if not isinstance(data, bool):
            raise invalid(source, where, f"must be a boolean, got {type(data).__name__}")
        return data
    if kind == "NULL":
        if data is not True:
            raise invalid(source, where, "must be true")
        return None
    if kind in ("M", "L"):
        depth += 1
        if depth > MAX_DEPTH:
            raise invalid(source, where, f"is nested deeper than {MAX_DEPTH} levels")
        if kind == "M":
            return image(data, source, where, depth)
        return [
            value(v, source, f"{where}[{i}]", depth)
            for i, v in enumerate(_items(data, source, where))
        ]
    if kind == "SS":
        items = _items(data, source, where)
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise invalid(source, f"{where}[{i}]", "must be a string")
        return set(items)
    if kind == "NS":
        return {
            number(v, source, f"{where}[{i}]") for i, v in enumerate(_items(data, source, where))
        }
    if kind == "BS":
        return {b64(v, source, f"{where}[{i}]") for i, v in enumerate(_items(data, source, where))}
    raise invalid(source, path, f"has an unknown type key {kind!r}")


def image(raw: Any, source: str, path: str, depth: int = 0) -> dict[str, Any]:
    """A map of attribute names to values (``NewImage``, ``OldImage``, ``Keys``, ``M``)."""
    if not isinstance(raw, Mapping):
        raise invalid(source, path, f"must be an object, got {type(raw).__name__}")
    return {str(name): value(item, source, f"{path}.{name}", depth) for name, item in raw.items()}
