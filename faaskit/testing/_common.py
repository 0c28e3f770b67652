"""Small helpers shared by the event factories: ids, timestamps, bodies and overrides."""

from __future__ import annotations

import base64
import datetime as _dt
import json
import uuid
from collections.abc import Mapping
from typing import Any

from faaskit.exceptions import ConfigurationError

__all__ = [
    "ACCOUNT",
    "REGION",
    "body_bytes",
    "body_text",
    "iso",
    "new_id",
    "set_path",
    "typed_json",
    "utcnow",
]

ACCOUNT = "123456789012"
REGION = "us-east-1"


def typed_json(value: Any) -> dict[str, Any]:
    """``value`` as the JSON-typed data the Functions host hands the Python worker."""
    return {"type": "json", "value": json.dumps(value)}


def new_id() -> str:
    """A fresh random id in the 8-4-4-4-12 form the clouds use."""
    return str(uuid.uuid4())


def utcnow() -> _dt.datetime:
    """The current UTC time, to the millisecond."""
    now = _dt.datetime.now(_dt.timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def iso(when: _dt.datetime | str | None, *, millis: bool = False) -> str:
    """``when`` (default now) as ISO 8601 UTC with a ``Z`` suffix."""
    if isinstance(when, str):
        return when
    value = (when or utcnow()).astimezone(_dt.timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if millis:
        text += f".{value.microsecond // 1000:03d}"
    return text + "Z"


def body_bytes(body: Any) -> bytes:
    """Bytes for a body given as bytes, str, or a JSON-serialisable value."""
    if body is None:
        return b""
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    return json.dumps(body).encode("utf-8")


def body_text(body: Any) -> tuple[str, bool]:
    """A body as the (text, is_base64) pair the AWS HTTP payloads carry."""
    data = body_bytes(body)
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii"), True


def set_path(document: Any, path: str, value: Any) -> None:
    """Set ``a.b.0.c`` inside nested dicts and lists; missing dict levels are created."""
    parts = path.split(".")
    node = document
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            try:
                index = int(part)
                if last:
                    node[index] = value
                    return
                node = node[index]
            except (ValueError, IndexError):
                raise ConfigurationError(
                    f"override {path!r}: {part!r} is not an index of a list of {len(node)}"
                ) from None
        elif isinstance(node, dict):
            if last:
                node[part] = value
                return
            if not isinstance(node.get(part), dict | list):
                node[part] = {}
            node = node[part]
        else:
            raise ConfigurationError(
                f"override {path!r}: {'.'.join(parts[:depth])!r} is not an object"
            )


def str_map(values: Mapping[str, Any] | None) -> dict[str, str]:
    """A mapping with every value turned into a string."""
    return {str(k): str(v) for k, v in (values or {}).items()}
