"""The portable HTTP response, and the rules that turn return values into responses."""

from __future__ import annotations

import json as _json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Protocol, cast

import attrs

from faaskit._fast import maker

if TYPE_CHECKING:
    from faaskit._response_cookie import Cookie

    class _MakeEncoder(Protocol):
        """``json.encoder.c_make_encoder``."""

        def __call__(
            self,
            markers: dict[int, object] | None,
            default: Callable[[object], object],
            encoder: Callable[[str], str],
            indent: None,
            key_separator: str,
            item_separator: str,
            sort_keys: bool,
            skipkeys: bool,
            allow_nan: bool,
            /,
        ) -> Callable[[object, int], Iterable[str]]: ...


__all__ = ["Response", "to_response"]

_JSON = "application/json"


def _bytes(body: object) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    raise TypeError(f"Response body must be bytes or str, not {type(body).__name__}")


@attrs.frozen(kw_only=True, init=False)
class Response:
    """An HTTP response. ``body`` is bytes; ``str`` is encoded as UTF-8.

    ``headers`` maps name to value (a list value sends the header several times);
    ``cookies`` maps name to a value string or a :class:`Cookie`.
    """

    body: bytes
    status: int
    headers: Mapping[str, str | list[str]]
    cookies: Mapping[str, str | Cookie]
    content_type: str | None

    def __init__(
        self,
        body: bytes | str | None = b"",
        *,
        status: int = 200,
        headers: Mapping[str, str | list[str]] | None = None,
        cookies: Mapping[str, str | Cookie] | None = None,
        content_type: str | None = None,
    ) -> None:
        if content_type is None and isinstance(body, str) and body:
            content_type = "text/plain; charset=utf-8"
        if type(status) is not int or not 100 <= status <= 999:
            raise ValueError(f"Response status must be a three-digit int, got {status!r}")
        if headers or cookies or content_type:
            _check_injection(headers or {}, cookies or {}, content_type)
        self.__attrs_init__(
            body=_bytes(body),
            status=status,
            headers=headers if headers is not None else {},
            cookies=cookies if cookies is not None else {},
            content_type=content_type,
        )

    @classmethod
    def json(
        cls,
        data: object,
        *,
        status: int = 200,
        headers: Mapping[str, str | list[str]] | None = None,
        cookies: Mapping[str, str | Cookie] | None = None,
    ) -> Response:
        """A response whose body is ``data`` serialised as JSON."""
        return cls(
            _dumps(data),
            status=status,
            headers=headers,
            cookies=cookies,
            content_type=_JSON,
        )

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8", "replace")

    def header_items(self) -> list[tuple[str, str]]:
        """Every header to send, ``Content-Type`` first when set; cookies excluded."""
        items: list[tuple[str, str]] = []
        if self.content_type and not any(k.lower() == "content-type" for k in self.headers):
            items.append(("Content-Type", self.content_type))
        for name, value in self.headers.items():
            if isinstance(value, str):
                items.append((name, value))
            else:
                items.extend((name, v) for v in value)
        return items

    def set_cookie_headers(self) -> list[str]:
        """The ``Set-Cookie`` header values for :attr:`cookies`."""
        return [
            f"{name}={value}" if isinstance(value, str) else value.header(name)
            for name, value in self.cookies.items()
        ]

    @property
    def is_binary(self) -> bool:
        """True when the body must travel base64-encoded (not text, JSON, XML, ...)."""
        if not self.body:
            return False
        media = (self.content_type or self._header("content-type") or "").lower()
        if media.startswith("text/") or "json" in media or "xml" in media:
            return False
        return not media.startswith(("application/javascript", "application/x-www-form-urlencoded"))

    def _header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name:
                return value if isinstance(value, str) else (value[0] if value else None)
        return None


def _unsafe(text: object) -> bool:
    return not isinstance(text, str) or "\r" in text or "\n" in text or "\0" in text


def _check_injection(
    headers: Mapping[str, str | list[str]],
    cookies: Mapping[str, str | Cookie],
    content_type: str | None,
) -> None:
    """Refuse header and cookie text that would split or extend the response headers."""
    if content_type is not None and _unsafe(content_type):
        raise ValueError(f"Response content_type {content_type!r} is not a header value")
    for name, value in headers.items():
        values = [value] if isinstance(value, str) else value
        if _unsafe(name) or not isinstance(values, list | tuple) or any(map(_unsafe, values)):
            raise ValueError(f"Response header {name!r}: {value!r} is not a header value")
    for name, cookie in cookies.items():
        parts = [name, cookie] if isinstance(cookie, str) else [name, cookie.value]
        typed = True
        if not isinstance(cookie, str):
            parts += [p for p in (cookie.path, cookie.domain, cookie.same_site) if p]
            typed = (cookie.max_age is None or type(cookie.max_age) is int) and (
                cookie.expires is None or _is_datetime(cookie.expires)
            )
        if not typed or not name or "=" in str(name) or any(_unsafe(p) or ";" in p for p in parts):
            raise ValueError(f"Response cookie {name!r}: {cookie!r} cannot be sent safely")


def _is_datetime(value: object) -> bool:
    import datetime as _dt

    return isinstance(value, _dt.datetime)


def _dumps(data: object) -> bytes:
    return _encode(data).encode()


def _default(value: object) -> object:
    import datetime as _dt

    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    if attrs.has(type(value)):
        return attrs.asdict(cast("attrs.AttrsInstance", value))
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    import decimal

    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def to_response(result: object) -> Response:
    """Apply the return-value rules: Response as is, dict/list JSON, str text, bytes binary,
    None 204.
    """
    if isinstance(result, dict | list):
        return _make(
            body=_encode(result).encode(), status=200, headers={}, cookies={}, content_type=_JSON
        )
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(status=204)
    if isinstance(result, str):
        return Response(result, content_type="text/plain; charset=utf-8")
    if isinstance(result, bytes | bytearray | memoryview):
        return Response(bytes(result), content_type="application/octet-stream")
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], int):
        inner = to_response(result[0])
        return attrs.evolve(inner, status=result[1])
    raise TypeError(
        f"handler returned {type(result).__name__}; return a faaskit.Response, dict, list, "
        "str, bytes or None"
    )


# NaN and Infinity are not JSON (RFC 8259): serialising them raises instead of sending them.
_encoder = _json.JSONEncoder(separators=(",", ":"), default=_default, allow_nan=False)
_c_make_encoder: _MakeEncoder | None = getattr(_json.encoder, "c_make_encoder", None)
_ascii = _json.encoder.encode_basestring_ascii


def _encode(data: object) -> str:
    """``data`` as compact JSON, as ``_encoder.encode`` gives it, calling the C encoder that
    method builds without the method's own Python layers (a fresh one per call: it keeps the
    circular-reference markers).
    """
    if _c_make_encoder is None:  # an interpreter without the json accelerator
        return _encoder.encode(data)
    encode = _c_make_encoder({}, _default, _ascii, None, ":", ",", False, False, False)
    return "".join(encode(data, 0))


_make = maker(Response)
