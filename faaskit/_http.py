"""The portable HTTP request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from faaskit._lazy import deferrable
from faaskit._multidict import Headers, MultiDict
from faaskit.exceptions import BadRequestError

if TYPE_CHECKING:
    from faaskit._principal import Principal
    from faaskit._types import JSON, JSONObject, Raw

__all__ = ["HttpRequest", "InvalidBody"]


@attrs.frozen
class InvalidBody:
    """Stands in for a request body the adapter could not decode (say, flagged base64 but not
    base64): reading :attr:`HttpRequest.body` then raises :class:`BadRequestError` (a 400).
    """

    reason: str


@deferrable("path", "headers", "cookies", "source_ip")
@attrs.frozen(kw_only=True)
class HttpRequest:
    """An HTTP request, identical whichever cloud or gateway delivered it.

    ``path`` never carries the API stage and is percent-decoded; ``raw_path`` is the path
    still percent-encoded, as the platform delivered it, on shapes that deliver it encoded
    (REST APIs, ALB, Function URLs; None elsewhere): routes match on it, so ``/files/a%2Fb``
    fits ``/files/{name}``. ``route`` is the route template that matched
    (``/items/{item_id}``) when one is known; ``body`` is already base64-decoded (a body that
    cannot be decoded raises :class:`BadRequestError` when read, which answers 400);
    ``body_model`` is the validated body of a route declared with ``body=Schema``.
    Adapters may leave ``path``, ``headers``, ``cookies`` and ``source_ip`` to be decoded from
    the native request when first read (:mod:`faaskit._lazy`).
    """

    method: str
    path: str
    route: str | None = None
    path_params: Mapping[str, str] = attrs.field(factory=dict)
    query: MultiDict = attrs.field(factory=MultiDict)
    headers: Headers = attrs.field(factory=Headers)
    cookies: Mapping[str, str] = attrs.field(factory=dict)
    _body: bytes | InvalidBody = attrs.field(default=b"", alias="body")
    source_ip: str | None = None
    principal: Principal | None = None
    request_id: str | None = None
    body_model: JSON = None
    raw: Raw = attrs.field(default=None, eq=False, repr=False)
    raw_path: str | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def body(self) -> bytes:
        """The request body, base64 already decoded."""
        body = self._body
        if isinstance(body, bytes):
            return body
        raise BadRequestError(body.reason)

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced)."""
        return self.body.decode("utf-8", "replace")

    @property
    def content_type(self) -> str | None:
        """The media type of the body, without parameters."""
        value = self.headers.get("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    def json(self) -> JSON:
        """The body parsed as JSON; a body that is not JSON raises :class:`BadRequestError`."""
        if not self.body:
            raise BadRequestError("request body is empty, expected JSON")
        from faaskit._json import loads

        try:
            return loads(self.body)
        except ValueError as exc:
            raise BadRequestError(f"request body is not valid JSON: {exc}") from exc

    def to_cloudevent(self) -> JSONObject:
        """This request as a CloudEvents 1.0 JSON structure."""
        from urllib.parse import quote

        from faaskit._cloudevent import structure

        return structure(
            id=self.request_id or "",
            source=quote(self.path, safe="/!$&'()*+,;=:@~"),
            type="io.faaskit.http.request",
            data=self.body,
            content_type=self.headers.get("content-type"),
            extensions={"httpmethod": self.method.lower()},
        )
