"""What ``@faaskit.idempotent`` stores: the key and payload hash of an event, and the result.

Default keys: a :class:`Message`'s id, a :class:`Record`'s source and id, a
:class:`CloudEvent`'s source and id, a :class:`BlobEvent`'s object version and action, and
an :class:`HttpRequest`'s ``Idempotency-Key`` header (a request without one has no key and
runs normally). Results are stored as JSON (never pickled: a record in a shared store must
not be able to run code when it is read back).
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
from typing import Any

from faaskit.exceptions import ConfigurationError

__all__ = ["decode_result", "default_key", "encode_result", "payload_hash"]

HEADER = "Idempotency-Key"


def default_key(event: Any, where: str) -> str | None:
    """The idempotency key faaskit derives from ``event``; None: run without one."""
    kind = type(event).__name__
    if kind == "HttpRequest":
        value: str | None = event.headers.get(HEADER)
        return value or None
    if kind == "Message":
        return f"message:{event.id}"
    if kind == "Record":
        return f"record:{event.source or ''}:{event.id}"
    if kind == "CloudEvent":
        return f"event:{event.source}:{event.id}"
    if kind == "BlobEvent" and (event.version or event.etag):
        version = event.version or event.etag
        return f"blob:{event.bucket}/{event.key}@{version}:{event.action}"
    raise ConfigurationError(
        f"{where}: no default idempotency key for a {kind}; pass key=, a function of the event"
    )


def payload_hash(event: Any) -> str:
    """A SHA-256 of what the event carries, so a key reused for another payload is caught."""
    digest = hashlib.sha256()
    kind = type(event).__name__
    if kind == "HttpRequest":
        parts: list[Any] = [event.method, event.path, sorted(event.query.multi_items())]
        digest.update(json.dumps(parts).encode())
        digest.update(b"\0")
        digest.update(event.body)
    elif kind == "Message":
        digest.update(event.body)
    elif kind == "Record":
        digest.update(event.data)
        digest.update(json.dumps([event.new, event.old], sort_keys=True, default=str).encode())
    elif kind == "CloudEvent":
        digest.update(json.dumps([event.type, event.data], sort_keys=True, default=str).encode())
    else:
        raw = getattr(event, "raw", None)
        digest.update(json.dumps(raw if raw is not None else repr(event), default=str).encode())
    return digest.hexdigest()


def encode_result(result: Any) -> dict[str, Any] | None:
    """``result`` as JSON-ready data, or None when it has no faithful JSON form."""
    from faaskit._response import Response

    if result is None:
        return {"type": "none"}
    if isinstance(result, bytes):
        return {"type": "bytes", "value": base64.b64encode(result).decode("ascii")}
    if isinstance(result, Response):
        return {
            "type": "response",
            "status": result.status,
            "headers": dict(result.headers),
            "cookies": {name: _cookie(value) for name, value in result.cookies.items()},
            "content_type": result.content_type,
            "body": base64.b64encode(result.body).decode("ascii"),
        }
    try:
        value = json.loads(json.dumps(result))
    except (TypeError, ValueError):
        return None
    if value != result:  # tuples, non-string keys, ...: JSON would change it
        return None
    return {"type": "json", "value": value}


def decode_result(stored: dict[str, Any]) -> Any:
    """The result :func:`encode_result` stored."""
    from faaskit._response import Response

    kind = stored.get("type")
    if kind == "bytes":
        return base64.b64decode(stored["value"])
    if kind == "json":
        return stored["value"]
    if kind == "response":
        return Response(
            base64.b64decode(stored["body"]),
            status=stored["status"],
            headers=stored["headers"],
            cookies={name: _uncookie(value) for name, value in stored["cookies"].items()},
            content_type=stored["content_type"],
        )
    return None


def _cookie(value: Any) -> Any:
    if isinstance(value, str):
        return value
    import attrs

    fields = attrs.asdict(value)
    if fields.get("expires") is not None:
        fields["expires"] = fields["expires"].isoformat()
    return fields


def _uncookie(value: Any) -> Any:
    if isinstance(value, str):
        return value
    from faaskit._response_cookie import Cookie

    if value.get("expires") is not None:
        value = {**value, "expires": _dt.datetime.fromisoformat(value["expires"])}
    return Cookie(**value)
