"""DynamoDB attribute values (``{"S": "x"}``, ``{"N": "1"}``, ...) to plain Python.

Format: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
``S`` -> str, ``N`` -> int (or ``Decimal`` when not an integer), ``B`` -> bytes (base64
decoded), ``SS``/``NS``/``BS`` -> set, ``M`` -> dict, ``L`` -> list, ``NULL`` -> None,
``BOOL`` -> bool. A malformed value raises :class:`~faaskit.InvalidEventError` naming its path.
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


def value(raw: Any, source: str, path: str) -> Any:
    """One attribute value, recursively."""
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
    if kind == "M":
        return image(data, source, where)
    if kind == "L":
        return [
            value(v, source, f"{where}[{i}]") for i, v in enumerate(_items(data, source, where))
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


def image(raw: Any, source: str, path: str) -> dict[str, Any]:
    """A map of attribute names to values (``NewImage``, ``OldImage``, ``Keys``, ``M``)."""
    if not isinstance(raw, Mapping):
        raise invalid(source, path, f"must be an object, got {type(raw).__name__}")
    return {str(name): value(item, source, f"{path}.{name}") for name, item in raw.items()}
