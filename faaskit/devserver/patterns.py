"""EventBridge-style event patterns, matched locally for ``faaskit.events(pattern)`` handlers.

The rules follow "Amazon EventBridge event patterns" and "Content filtering in Amazon
EventBridge event patterns"
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html):

- a pattern mirrors the event's structure; every key must match (AND), the values listed for
  a leaf are alternatives (OR); a leaf of the event that is an array matches when any of its
  elements does;
- a listed value is an exact match (string, number, ``true``/``false``, ``null``), or an
  operator: ``prefix``, ``suffix`` (each optionally ``{"equals-ignore-case": ...}``),
  ``equals-ignore-case``, ``wildcard``, ``anything-but`` (a value, a list of values, or a
  ``prefix``/``suffix``/``equals-ignore-case``/``wildcard`` object), ``numeric`` (``["<", 5,
  ">=", 0]`` or ``["=", 3]``), ``exists`` (true/false), ``cidr``;
- ``"$or": [pattern, ...]`` matches when any of the sub-patterns does.

Only a field that is present can match a value or an operator other than ``exists: false``.
"""

from __future__ import annotations

import ipaddress
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from faaskit.exceptions import ConfigurationError

__all__ = ["matches"]

_MISSING = object()

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def matches(pattern: Mapping[str, Any], event: Any) -> bool:
    """Whether ``event`` (a JSON-like dict) matches the EventBridge-style ``pattern``.

    Raises :class:`~faaskit.exceptions.ConfigurationError` naming the field when the pattern
    itself is malformed.
    """
    return _object(pattern, event, "")


def _object(pattern: Mapping[str, Any], event: Any, path: str) -> bool:
    if not isinstance(pattern, Mapping):
        raise _bad(path or "pattern", "must be an object")
    for key, expected in pattern.items():
        where = f"{path}.{key}" if path else str(key)
        if key == "$or":
            if not isinstance(expected, list) or not expected:
                raise _bad(where, "must be a non-empty list of patterns")
            if not any(_object(alt, event, where) for alt in expected):
                return False
            continue
        value = event.get(key, _MISSING) if isinstance(event, Mapping) else _MISSING
        if isinstance(expected, Mapping):
            if not _object(expected, value if isinstance(value, Mapping) else {}, where):
                return False
        elif isinstance(expected, list):
            if not _leaf(expected, value, where):
                return False
        else:
            raise _bad(where, f"must be a list of values or an object, got {expected!r}")
    return True


def _leaf(options: list[Any], value: Any, path: str) -> bool:
    for option in options:
        if isinstance(option, Mapping) and "exists" in option:
            if _exists(option, value, path):
                return True
            continue
        if value is _MISSING:
            continue
        candidates = value if isinstance(value, list) else [value]
        if any(_one(option, item, path) for item in candidates):
            return True
    return False


def _exists(option: Mapping[str, Any], value: Any, path: str) -> bool:
    wanted = option["exists"]
    if not isinstance(wanted, bool) or len(option) != 1:
        raise _bad(path, '"exists" takes true or false alone')
    present = value is not _MISSING and not isinstance(value, Mapping)
    return present == wanted


def _one(option: Any, value: Any, path: str) -> bool:
    if not isinstance(option, Mapping):
        return _same(option, value)
    if len(option) != 1:
        raise _bad(path, f"an operator object holds one operator, got {sorted(option)}")
    [(name, argument)] = option.items()
    if name == "anything-but":
        return _anything_but(argument, value, path)
    if name == "numeric":
        return _numeric(argument, value, path)
    if name == "cidr":
        return _cidr(argument, value, path)
    return _string_operator(name, argument, value, path)


def _same(expected: Any, value: Any) -> bool:
    if isinstance(expected, bool) or isinstance(value, bool) or expected is None or value is None:
        return expected is value
    if isinstance(expected, int | float) and isinstance(value, int | float):
        return float(expected) == float(value)
    return type(expected) is type(value) and bool(expected == value)


def _string_operator(name: str, argument: Any, value: Any, path: str) -> bool:
    if not isinstance(value, str):
        return False
    ignore_case = False
    if name in ("prefix", "suffix") and isinstance(argument, Mapping):
        if set(argument) != {"equals-ignore-case"}:
            raise _bad(path, f'"{name}" takes a string or {{"equals-ignore-case": ...}}')
        argument, ignore_case = argument["equals-ignore-case"], True
    if not isinstance(argument, str):
        raise _bad(path, f'"{name}" takes a string, got {argument!r}')
    if name == "equals-ignore-case":
        return value.casefold() == argument.casefold()
    text, wanted = (value.casefold(), argument.casefold()) if ignore_case else (value, argument)
    if name == "prefix":
        return text.startswith(wanted)
    if name == "suffix":
        return text.endswith(wanted)
    if name == "wildcard":
        regex = ".*".join(re.escape(part) for part in wanted.split("*"))
        return re.fullmatch(regex, text, re.DOTALL) is not None
    raise _bad(path, f"unknown operator {name!r}")


def _anything_but(argument: Any, value: Any, path: str) -> bool:
    if isinstance(argument, Mapping):
        if len(argument) != 1:
            raise _bad(path, '"anything-but" takes one operator object')
        [(name, inner)] = argument.items()
        if name in ("prefix", "suffix", "equals-ignore-case", "wildcard"):
            if isinstance(inner, list):
                return isinstance(value, str) and not any(
                    _string_operator(name, item, value, path) for item in inner
                )
            return isinstance(value, str) and not _string_operator(name, inner, value, path)
        raise _bad(path, f'"anything-but" does not take {name!r}')
    excluded = argument if isinstance(argument, list) else [argument]
    return not any(_same(item, value) for item in excluded)


def _numeric(argument: Any, value: Any, path: str) -> bool:
    if not isinstance(argument, list) or not argument or len(argument) % 2:
        raise _bad(path, '"numeric" takes pairs of operator and number, like [">", 0, "<=", 5]')
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    for index in range(0, len(argument), 2):
        symbol, bound = argument[index], argument[index + 1]
        compare = _COMPARE.get(symbol) if isinstance(symbol, str) else None
        if compare is None or isinstance(bound, bool) or not isinstance(bound, int | float):
            raise _bad(path, f'"numeric" cannot use {symbol!r} {bound!r}')
        if not compare(value, bound):
            return False
    return True


def _cidr(argument: Any, value: Any, path: str) -> bool:
    try:
        network = ipaddress.ip_network(str(argument), strict=False)
    except ValueError as exc:
        raise _bad(path, f'"cidr" needs a network like 10.0.0.0/24: {exc}') from exc
    try:
        return isinstance(value, str) and ipaddress.ip_address(value) in network
    except ValueError:
        return False


def _bad(path: str, message: str) -> ConfigurationError:
    return ConfigurationError(f"events pattern field {path!r} {message}")
