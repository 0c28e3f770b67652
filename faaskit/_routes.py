"""HTTP trigger declarations and route templates (``/items/{item_id}``, ``/files/{path+}``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar

import attrs

from faaskit._trigger import Trigger
from faaskit.exceptions import ConfigurationError

if TYPE_CHECKING:
    from faaskit._schema import BodySchema
    from faaskit._types import JSON

__all__ = ["Http", "http"]

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}")
# URL path characters, and any non-ASCII character but spaces and controls (IRI paths).
_ROUTE_CHARS = re.compile(r"^/(?:[A-Za-z0-9._~!$&'()*,;=:@%/{}+-]|[^\x00-\x7f\s])*$")
# Escapes kept when an encoded path is matched: the separators and percent signs they stand
# for belong inside a parameter, never between segments.
_KEPT_ESCAPES = re.compile(r"(%2[fF5])")


def _methods(methods: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(methods, str):
        items: list[object] = [methods]
    elif isinstance(methods, Iterable):
        items = list(methods)
    else:
        raise ConfigurationError(f"HTTP methods must be a string or a list, got {methods!r}")
    out: list[str] = []
    for item in items:
        for method in str(item).replace(",", " ").split():
            name = method.upper()
            if name in ("*", "ANY"):
                return ("ANY",)
            if name not in HTTP_METHODS:
                raise ConfigurationError(
                    f"unknown HTTP method {method!r}; use one of {sorted(HTTP_METHODS)} or 'ANY'"
                )
            if name not in out:
                out.append(name)
    if not out:
        raise ConfigurationError("an http trigger needs at least one method")
    return tuple(out)


def _caller_auth(auth: object) -> str | None:
    """``"iam"``/``"jwt"`` for the auth modes in which the platform establishes the caller.

    API keys and function keys are checked by the platform but name no caller (AWS: "don't
    use API keys for authentication or authorization"), so they need no principal.
    """
    if isinstance(auth, str) and auth.lower() in ("iam", "jwt"):
        return auth.lower()
    if isinstance(auth, Mapping) and "jwt" in auth:
        return "jwt"
    return None


def _schema(body: object) -> BodySchema:
    """The checked request-body schema; its module loads only for routes that declare one."""
    from faaskit._schema import BodySchema

    return BodySchema(body)


def _route_regex(route: str) -> re.Pattern[str]:
    if not _ROUTE_CHARS.match(route):
        raise ConfigurationError(
            f"invalid route {route!r}: it must start with '/' and be a URL path"
        )
    names: list[str] = []
    pattern = ""
    pos = 0
    for found in _PARAM.finditer(route):
        name, greedy = found.group(1), found.group(2)
        if name in names:
            raise ConfigurationError(f"invalid route {route!r}: parameter {{{name}}} repeats")
        if greedy and found.end() != len(route):
            raise ConfigurationError(f"invalid route {route!r}: {{{name}+}} must come last")
        names.append(name)
        pattern += re.escape(route[pos : found.start()])
        pattern += f"(?P<{name}>.+)" if greedy else f"(?P<{name}>[^/]+)"
        pos = found.end()
    rest = route[pos:]
    if "{" in rest or "}" in rest:
        raise ConfigurationError(f"invalid route {route!r}: unbalanced or invalid {{parameter}}")
    # The trailing slash is optional whether or not the template has one.
    pattern += re.escape(rest.removesuffix("/") if route != "/" else rest)
    return re.compile(f"^{pattern}/?$" if route != "/" else "^/$")


@attrs.frozen(kw_only=True)
class Http(Trigger):
    """An HTTP route: ``methods`` (``("ANY",)`` for all) and a ``route`` template whose
    ``{name}`` segments become path parameters (``{name+}`` matches the rest of the path).

    ``auth`` is None/``"none"``, ``"iam"``, ``"api_key"``, ``"function"``, or a mapping such as
    ``{"jwt": {"issuer": ..., "audience": [...]}}``; ``cors`` is True, or a mapping of
    ``origins``, ``methods``, ``headers``, ``max_age``, ``credentials``.

    ``caller_auth`` is ``"iam"`` or ``"jwt"`` when ``auth`` makes the platform establish who
    the caller is: such a route never runs its handler without a principal the platform
    vouched for (see :func:`faaskit._run.run_http`); None for the other modes.
    """

    kind: ClassVar[str] = "http"
    methods: tuple[str, ...]
    route: str
    auth: str | Mapping[str, JSON] | None = None
    cors: bool | Mapping[str, JSON] | None = None
    throttle: Mapping[str, JSON] | None = None
    body: object = None
    params: tuple[str, ...] = attrs.field(init=False, eq=False)
    body_schema: BodySchema | None = attrs.field(init=False, eq=False, repr=False)
    caller_auth: str | None = attrs.field(init=False, eq=False, repr=False)
    _regex: re.Pattern[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_regex", _route_regex(self.route))
        object.__setattr__(self, "params", tuple(m.group(1) for m in _PARAM.finditer(self.route)))
        object.__setattr__(self, "caller_auth", _caller_auth(self.auth))
        object.__setattr__(self, "body_schema", None if self.body is None else _schema(self.body))

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters when ``path`` fits the route template, else None."""
        found = self._regex.match(path)
        return found.groupdict() if found else None

    def match_encoded(self, raw_path: str) -> dict[str, str] | None:
        """:meth:`match` for a path still percent-encoded as the platform delivered it:
        ``/files/a%2Fb`` fits ``/files/{name}`` with ``name == "a/b"``, and a route declared
        with non-ASCII characters fits their encoded form.
        """
        from urllib.parse import unquote

        parts = _KEPT_ESCAPES.split(raw_path)
        parts[::2] = [unquote(part) for part in parts[::2]]
        found = self._regex.match("".join(parts))
        if found is None:
            return None
        return {name: unquote(value) for name, value in found.groupdict().items()}

    def allows(self, method: str) -> bool:
        """Whether requests with ``method`` reach this route."""
        return self.methods[0] == "ANY" or method.upper() in self.methods


def http(
    methods: str | Iterable[str],
    route: str,
    *,
    auth: str | Mapping[str, JSON] | None = None,
    cors: bool | Mapping[str, JSON] | None = None,
    throttle: Mapping[str, JSON] | None = None,
    body: object = None,
) -> Http:
    """Declare an HTTP trigger: ``http("GET", "/items/{item_id}")``.

    ``body`` is the request body's schema (an attrs class, a ``TypedDict`` or a JSON Schema
    dict): the JSON body is validated before the handler runs, which reads the validated
    value as ``req.body_model``; a body that does not fit answers 400 listing every error.
    """
    if not isinstance(route, str):
        raise ConfigurationError(f"route must be a string, got {route!r}")
    return Http(
        methods=_methods(methods), route=route, auth=auth, cors=cors, throttle=throttle, body=body
    )
