"""``azure.functions.HttpResponse`` from a :class:`faaskit.Response`, built cheaply.

The library's constructor costs about as much as a whole bare handler: its headers start as
``HttpResponseHeaders([])``, and werkzeug's ``Headers.extend`` runs abstract-class checks even
on an empty list. The common response (a status, a body, one ``Content-Type``) is therefore
assembled field by field, as the constructor would assemble it. That shape is checked once
against the constructor (:func:`_probe`); an ``azure-functions`` release that stores its
fields otherwise gets the constructor.

The worker sends every ``Set-Cookie`` header of the response as a cookie, after reading it
with ``http.cookies.SimpleCookie`` (``azure.functions.http.HttpResponseConverter``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from attrs import evolve

from faaskit import Cookie, Response

if TYPE_CHECKING:
    from azure.functions import HttpResponse

    Build = Callable[[bytes, int, str | None, str | None, str | None], HttpResponse]

__all__ = ["native_response"]

_MEDIA: dict[str | None, tuple[str | None, str | None]] = {}
_build: list[Build] = []  # the function that builds the common response, chosen on first use


def native_response(result: Response) -> HttpResponse:
    """The ``azure.functions.HttpResponse`` for ``result``."""
    if not result.headers and not result.cookies:  # the common case, kept short
        content_type = result.content_type
        body = result.body
        if content_type is None and body:
            content_type = "application/octet-stream"
        mimetype, charset = _MEDIA.get(content_type) or _media(content_type)
        build = _build[0] if _build else _chosen()
        return build(body, result.status, mimetype, charset, content_type)
    return _full(result)


def _full(result: Response) -> HttpResponse:
    """A response with headers or cookies of its own."""
    import azure.functions as func

    grouped: dict[str, tuple[str, list[str]]] = {}
    for name, value in result.header_items():
        grouped.setdefault(name.lower(), (name, []))[1].append(value)
    content_type = grouped.get("content-type", ("", [""]))[1][0] or None
    if content_type is None and result.body:
        content_type = "application/octet-stream"
        grouped["content-type"] = ("Content-Type", [content_type])
    mimetype, charset = _MEDIA.get(content_type) or _media(content_type)
    response = func.HttpResponse(
        result.body, status_code=result.status, mimetype=mimetype, charset=charset
    )
    headers = response.headers
    for key, (name, values) in grouped.items():
        if key == "set-cookie":
            for value in values:
                headers.add("Set-Cookie", _cookie_header(value))
        else:
            # The worker keeps one value per header name: join lists as RFC 9110 allows.
            headers[name] = ", ".join(values)
    for name, cookie in result.cookies.items():
        headers.add("Set-Cookie", _set_cookie(name, cookie))
    return response


def _constructed(
    body: bytes, status: int, mimetype: str | None, charset: str | None, content_type: str | None
) -> HttpResponse:
    """The common response through the library's constructor."""
    import azure.functions as func

    response = func.HttpResponse(body, status_code=status, mimetype=mimetype, charset=charset)
    if content_type:
        response.headers["Content-Type"] = content_type
    return response


def _assembler() -> Build:
    """The common response assembled as ``HttpResponse.__init__`` (azure-functions 1.x)
    assembles it, for a ``bytes`` body, an ``int`` status and a ``Content-Type`` that
    :class:`faaskit.Response` has already refused line breaks in.
    """
    import azure.functions as func
    from azure.functions._http import HttpResponseHeaders

    cls = func.HttpResponse
    new = object.__new__

    def assembled(
        body: bytes,
        status: int,
        mimetype: str | None,
        charset: str | None,
        content_type: str | None,
    ) -> HttpResponse:
        response = new(cls)
        headers = new(HttpResponseHeaders)
        headers._list = [("Content-Type", content_type)] if content_type else []
        response.__dict__ = {
            "_HttpResponse__status_code": status,
            "_HttpResponse__mimetype": "text/plain" if mimetype is None else mimetype,
            "_HttpResponse__charset": "utf-8" if charset is None else charset,
            "_HttpResponse__headers": headers,
            "_HttpResponse__body": body if type(body) is bytes else bytes(body),
        }
        return response

    return assembled


def _fields(response: HttpResponse) -> tuple[object, ...]:
    """What the worker reads from a response, and how the object stores it."""
    return (
        type(response),
        type(response.headers),
        sorted(vars(response)),
        sorted(vars(response.headers)),
        response.status_code,
        response.mimetype,
        response.charset,
        list(response.headers.items()),
        response.get_body(),
    )


def _probe() -> Build:
    """The assembler when it gives what the constructor gives, else the constructor."""
    try:
        assemble = _assembler()
        for case in ((b"{}", 201, "a/b", None, "a/b"), (b"", 204, None, "x", None)):
            if _fields(assemble(*case)) != _fields(_constructed(*case)):
                return _constructed
    except (ImportError, AttributeError, TypeError):
        return _constructed
    return assemble


def _chosen() -> Build:
    _build.append(_probe())
    return _build[0]


def _media(content_type: str | None) -> tuple[str | None, str | None]:
    """``(mimetype, charset)`` of a ``Content-Type`` value, for ``azure.functions.HttpResponse``
    (remembered for the few values an app uses).
    """
    mimetype, _, params = (content_type or "").partition(";")
    charset = params.partition("charset=")[2].split(";")[0].strip() or None
    found = (mimetype.strip() or None, charset)
    if len(_MEDIA) < 32:
        _MEDIA[content_type] = found
    return found


# What the worker's SimpleCookie parse keeps unquoted (http.cookies._LegalValueChars) or quoted.
_COOKIE_TEXT = re.compile(r"[\w!#%&'~`><@,:/$*+\-.^|)(?}{=\[\]]*|\"(?:[^\\\"]|\\.)*\"", re.ASCII)


def _set_cookie(name: str, cookie: str | Cookie) -> str:
    """The ``Set-Cookie`` value for one response cookie. The worker drops a cookie whose value
    ``SimpleCookie`` cannot read (a space, a quote, non-ASCII text), so that value goes quoted.
    """
    text = cookie if isinstance(cookie, str) else cookie.value
    if not _COOKIE_TEXT.fullmatch(text):
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name}={text}" if isinstance(cookie, str) else evolve(cookie, value=text).header(name)


def _cookie_header(value: str) -> str:
    """A ``Set-Cookie`` header given as a header, its value quoted as :func:`_set_cookie` does."""
    pair, sep, attributes = value.partition(";")
    cookie, equals, text = pair.partition("=")
    return _set_cookie(cookie.strip(), text.strip()) + sep + attributes if equals else value
