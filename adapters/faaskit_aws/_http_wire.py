"""The wire-level pieces the AWS HTTP decoders share: reading event fields with typed errors,
and writing the parts of a native response (headers, body, status line).

Field meanings follow the payload documentation cited in :mod:`faaskit_aws.http`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from faaskit import Response
from faaskit.adapter import InvalidBody, shown, to_response
from faaskit.exceptions import InvalidEventError

__all__ = [
    "body_out",
    "items",
    "json_headers",
    "merged",
    "path_params",
    "read_body",
    "read_path",
    "read_text",
    "request_context",
    "response_of",
    "set_cookie_names",
    "status_line",
]


_BAD_BASE64 = InvalidBody("request body is flagged base64 but is not valid base64")


def read_body(raw: Mapping[str, Any], source: str) -> bytes | InvalidBody:
    body = raw.get("body")
    if body is None:
        return b""
    if type(body) is not str:
        raise InvalidEventError(
            f"{source} event field 'body' must be a string, got {type(body).__name__}",
            source=source,
            field="body",
        )
    if raw.get("isBase64Encoded"):
        import base64
        import binascii

        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return _BAD_BASE64
    return body.encode("utf-8", "surrogatepass")


def read_text(raw: Mapping[str, Any], name: str, source: str, field: str | None = None) -> str:
    value = raw.get(name)
    if type(value) is str and value:
        return value
    field = field or name
    problem = "is missing" if value is None else f"must be a non-empty string, got {shown(value)}"
    raise InvalidEventError(f"{source} event field {field!r} {problem}", source=source, field=field)


def read_path(value: Any, source: str, *, decode: bool = True) -> str:
    if not value:
        return "/"
    if type(value) is not str:
        raise InvalidEventError(
            f"{source} event path must be a string, got {type(value).__name__}",
            source=source,
            field="path",
        )
    if decode and "%" in value:
        from urllib.parse import unquote

        return unquote(value)
    return value


def request_context(raw: Mapping[str, Any], source: str) -> Mapping[str, Any]:
    context = raw.get("requestContext")
    if not isinstance(context, Mapping):
        raise InvalidEventError(
            f"{source} event is missing the 'requestContext' object",
            source=source,
            field="requestContext",
        )
    return context


def path_params(raw: Mapping[str, Any], source: str) -> Mapping[str, str]:
    params = raw.get("pathParameters")
    if not params:
        return {}
    if type(params) is dict:
        return params  # API Gateway gives string values; a dict is taken as it is
    if not isinstance(params, Mapping):
        raise InvalidEventError(
            f"{source} event field 'pathParameters' must be an object, got {type(params).__name__}",
            source=source,
            field="pathParameters",
        )
    return {str(k): str(v) for k, v in params.items() if v is not None}


def items(data: Any) -> Iterable[tuple[str, Any]]:
    return data.items() if isinstance(data, Mapping) else ()


def merged(multi: Any, single: Any, fold: bool) -> Iterator[tuple[str, Any]]:
    """``multiValue*`` pairs, then the single-value ones it lacks (the two should agree)."""
    seen: set[str] = set()
    for name, values in items(multi):
        seen.add(name.lower() if fold else name)
        yield name, values
    for name, value in items(single):
        if (name.lower() if fold else name) not in seen:
            yield name, value


def response_of(result: Any) -> Response:
    return result if isinstance(result, Response) else to_response(result)


def json_headers(response: Response) -> tuple[dict[str, str], dict[str, list[str]]]:
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in response.header_items():
        multi.setdefault(name, []).append(value)
        single[name] = value if name not in single else f"{single[name]}, {value}"
    return single, multi


def body_out(response: Response) -> tuple[str, bool]:
    if not response.is_binary:
        try:
            return response.body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    import base64

    return base64.b64encode(response.body).decode("ascii"), True


def status_line(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


# Case variants of "set-cookie": one Set-Cookie header each in ALB single-value header mode.
MAX_SINGLE_VALUE_COOKIES = 2 ** sum(c.isalpha() for c in "set-cookie")


def set_cookie_names(count: int) -> list[str]:
    """``count`` spellings of ``Set-Cookie`` that differ only by case (ALB single-value header
    mode keeps one value per exact name); ``ValueError`` beyond the 512 there are.
    """
    if count > MAX_SINGLE_VALUE_COOKIES:
        raise ValueError(
            f"the response sets {count} cookies; ALB single-value header mode carries at most "
            f"{MAX_SINGLE_VALUE_COOKIES} (turn on multi-value headers for the target group)"
        )
    names = ["Set-Cookie"]
    letters = [i for i, c in enumerate("set-cookie") if c.isalpha()]
    variant = 0
    while len(names) < count:
        chars = list("set-cookie")
        for bit, pos in enumerate(letters):
            if variant >> bit & 1:
                chars[pos] = chars[pos].upper()
        variant += 1
        if "".join(chars) not in names:
            names.append("".join(chars))
    return names[:count]
