"""Request body schemas for ``faaskit.http(..., body=Schema)``.

``Schema`` is an attrs class (the handler gets an instance), a ``TypedDict`` (a checked dict)
or a JSON Schema dict (checked by the ``jsonschema`` package, imported on the first request
such a route receives). Every field error is collected, so a 400 lists them all.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, Union

import attrs

from faaskit.exceptions import ConfigurationError

__all__ = ["BodySchema", "FieldError", "body_schema"]

_SCALARS: dict[Any, tuple[tuple[type, ...], str]] = {
    str: ((str,), "string"),
    int: ((int,), "integer"),
    float: ((int, float), "number"),
    bool: ((bool,), "boolean"),
}


@attrs.frozen(kw_only=True)
class FieldError:
    """One problem in a request body: ``field`` is a path such as ``items[0].price``."""

    field: str
    message: str


def _join(path: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{path}[{part}]"
    return f"{path}.{part}" if path else part


def _is_typed_dict(schema: Any) -> bool:
    return isinstance(schema, type) and typing.is_typeddict(schema)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except Exception as exc:
        raise ConfigurationError(
            f"cannot read the field types of body schema {cls.__qualname__}: {exc}"
        ) from exc


class BodySchema:
    """A checked body schema: :meth:`validate` gives ``(value, errors)``, :meth:`json_schema`
    the JSON Schema (for OpenAPI).
    """

    def __init__(self, schema: Any) -> None:
        if not (attrs.has(schema) or _is_typed_dict(schema) or isinstance(schema, Mapping)):
            raise ConfigurationError(
                f"body schema must be an attrs class, a TypedDict or a JSON Schema dict, got "
                f"{schema!r}"
            )
        self.schema = schema
        self._validator: Any = None

    def validate(self, data: Any) -> tuple[Any, list[FieldError]]:
        """The validated value (an attrs instance, or the data) and every field error."""
        if isinstance(self.schema, Mapping):
            return data, self._json_schema_errors(data)
        errors: list[FieldError] = []
        value = self._check(self.schema, data, "", errors)
        return value, errors

    def _json_schema_errors(self, data: Any) -> list[FieldError]:
        if self._validator is None:
            try:
                import jsonschema
            except ImportError as exc:  # pragma: no cover - depends on the installation
                raise ConfigurationError(
                    "a JSON Schema body needs the jsonschema package: pip install jsonschema"
                ) from exc
            cls = jsonschema.validators.validator_for(self.schema)
            try:
                cls.check_schema(self.schema)
            except jsonschema.SchemaError as exc:
                raise ConfigurationError(f"invalid JSON Schema for a body: {exc.message}") from exc
            self._validator = cls(self.schema)
        out = []
        for error in sorted(self._validator.iter_errors(data), key=lambda e: list(e.path)):
            path = ""
            for part in error.path:
                path = _join(path, part)
            out.append(FieldError(field=path or "(body)", message=error.message))
        return out

    def _check(self, kind: Any, data: Any, path: str, errors: list[FieldError]) -> Any:
        where = path or "(body)"
        if kind is Any or kind is object:
            return data
        if kind is None or kind is type(None):
            if data is not None:
                errors.append(FieldError(field=where, message="must be null"))
            return data
        origin = typing.get_origin(kind)
        if origin in (Union, types.UnionType):
            options = typing.get_args(kind)
            for option in options:
                trial: list[FieldError] = []
                value = self._check(option, data, path, trial)
                if not trial:
                    return value
            names = " or ".join(_type_name(o) for o in options)
            errors.append(FieldError(field=where, message=f"must be {names}"))
            return data
        if origin is Literal:
            allowed = typing.get_args(kind)
            if not any(data == a and type(data) is type(a) for a in allowed):
                errors.append(FieldError(field=where, message=f"must be one of {list(allowed)}"))
            return data
        if kind in _SCALARS:
            accepted, name = _SCALARS[kind]
            if not isinstance(data, accepted) or (kind is not bool and isinstance(data, bool)):
                errors.append(FieldError(field=where, message=f"must be {_article(name)}"))
            return data
        if origin in (list, tuple, set, frozenset) or kind in (list, tuple):
            if not isinstance(data, list):
                errors.append(FieldError(field=where, message="must be an array"))
                return data
            args = typing.get_args(kind)
            item = args[0] if args else Any
            return [self._check(item, v, _join(path, i), errors) for i, v in enumerate(data)]
        if origin is dict or kind is dict:
            if not isinstance(data, dict):
                errors.append(FieldError(field=where, message="must be an object"))
                return data
            args = typing.get_args(kind)
            value_kind = args[1] if len(args) == 2 else Any
            return {k: self._check(value_kind, v, _join(path, k), errors) for k, v in data.items()}
        if attrs.has(kind) or _is_typed_dict(kind):
            return self._object(kind, data, path, errors)
        return data

    def _object(self, kind: Any, data: Any, path: str, errors: list[FieldError]) -> Any:
        if not isinstance(data, dict):
            errors.append(FieldError(field=path or "(body)", message="must be an object"))
            return data
        hints = _hints(kind)
        required = _required(kind)
        before = len(errors)
        values: dict[str, Any] = {}
        for name in sorted(set(data) - set(hints)):
            errors.append(FieldError(field=_join(path, name), message="is not a known field"))
        for name, field_kind in hints.items():
            if name not in data:
                if name in required:
                    errors.append(FieldError(field=_join(path, name), message="is required"))
                continue
            values[name] = self._check(field_kind, data[name], _join(path, name), errors)
        if len(errors) == before and attrs.has(kind):
            for field in attrs.fields(kind):
                if field.validator is not None and field.name in values:
                    try:
                        field.validator(None, field, values[field.name])
                    except (TypeError, ValueError) as exc:
                        errors.append(FieldError(field=_join(path, field.name), message=str(exc)))
        if len(errors) > before or not attrs.has(kind):
            return values
        aliases = {f.name: f.alias or f.name for f in attrs.fields(kind)}
        try:
            return kind(**{aliases.get(k, k): v for k, v in values.items()})
        except (TypeError, ValueError) as exc:
            errors.append(FieldError(field=path or "(body)", message=str(exc)))
            return values

    def json_schema(self) -> dict[str, Any]:
        """The schema as JSON Schema (a JSON Schema dict is returned as given)."""
        if isinstance(self.schema, Mapping):
            return dict(self.schema)
        return _json_of(self.schema)


@functools.cache
def _required(kind: Any) -> frozenset[str]:
    if attrs.has(kind):
        return frozenset(
            f.name for f in attrs.fields(kind) if f.default is attrs.NOTHING and f.init
        )
    return frozenset(getattr(kind, "__required_keys__", ()))


def _article(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _type_name(kind: Any) -> str:
    if kind in _SCALARS:
        return _SCALARS[kind][1]
    if kind is None or kind is type(None):
        return "null"
    return getattr(kind, "__name__", str(kind))


def _json_of(kind: Any) -> dict[str, Any]:
    origin = typing.get_origin(kind)
    if kind in _SCALARS:
        return {"type": _SCALARS[kind][1]}
    if kind is None or kind is type(None):
        return {"type": "null"}
    if origin in (Union, types.UnionType):
        return {"anyOf": [_json_of(o) for o in typing.get_args(kind)]}
    if origin is Literal:
        return {"enum": list(typing.get_args(kind))}
    if origin in (list, tuple, set, frozenset) or kind in (list, tuple):
        args = typing.get_args(kind)
        return {"type": "array", **({"items": _json_of(args[0])} if args else {})}
    if origin is dict or kind is dict:
        args = typing.get_args(kind)
        extra = {"additionalProperties": _json_of(args[1])} if len(args) == 2 else {}
        return {"type": "object", **extra}
    if attrs.has(kind) or _is_typed_dict(kind):
        hints = _hints(kind)
        out: dict[str, Any] = {
            "type": "object",
            "title": kind.__name__,
            "properties": {n: _json_of(k) for n, k in hints.items()},
            "additionalProperties": False,
        }
        required = sorted(_required(kind) & set(hints))
        if required:
            out["required"] = required
        return out
    return {}


def body_schema(schema: Any) -> BodySchema | None:
    """The checked schema of ``faaskit.http(..., body=schema)`` (None for no schema)."""
    return None if schema is None else BodySchema(schema)
