"""HTTP triggers: ``azure.functions.HttpRequest`` in, ``azure.functions.HttpResponse`` out.

Payload and bindings:
- HTTP trigger and output binding (Python v2 model), routes, ``routePrefix``, auth levels:
  https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger
  https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-output
- Route templates (``{name}``, catch-all ``{*name}``):
  https://learn.microsoft.com/aspnet/core/fundamentals/routing#route-templates
- The principal and the client address come from what the platform vouches for:
  :mod:`faaskit_azure._easy_auth`.
- The worker turns ``RpcHttp`` into the request (one value per header and per query name) and
  sends every ``Set-Cookie`` header of the response as a cookie: ``azure.functions.http``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from attrs import evolve

from faaskit import Context, Headers, HttpRequest, MultiDict, Response
from faaskit.adapter import CookieHeaders, Cookies, Http, maker, to_response
from faaskit.exceptions import BadRequestError, ConfigurationError
from faaskit_azure._easy_auth import client_ip, principal, trusted_principal

__all__ = ["HTTP", "AzureHttp", "azure_route", "principal", "register"]

_request = maker(HttpRequest)


def _items(data: Any) -> Iterable[tuple[str, Any]]:
    return data.items() if isinstance(data, Mapping) else ()


def _split(url: str) -> Any:
    """``url`` split into its parts; a URL that cannot be split (say, an unbalanced IPv6
    bracket in the host) is a bad request.
    """
    try:
        return urlsplit(url)
    except ValueError as exc:
        raise BadRequestError(f"request URL is malformed: {exc}") from None


def _query(raw: Any) -> Iterable[tuple[str, Any]]:
    """Every query value, from the URL (the worker's ``params`` keep one value per name)."""
    query = _split(str(raw.url)).query
    if query:
        return parse_qsl(query, keep_blank_values=True)
    return _items(raw.params)


class AzureHttp:
    """The HTTP trigger of one function: its route template and the host's route prefix."""

    source = "azure-http"

    def __init__(self, trigger: Http | None = None, *, route_prefix: str = "api") -> None:
        self.trigger = trigger
        prefix = route_prefix.strip("/")
        self.prefix = f"/{prefix}" if prefix else ""

    def recognise(self, raw: Any) -> bool:
        return hasattr(raw, "route_params") and hasattr(raw, "get_body") and hasattr(raw, "url")

    def _path(self, url: str) -> str:
        path = _split(url).path or "/"
        if "%" in path:  # decoded, as the AWS decoders give it
            path = unquote(path)
        prefix = self.prefix
        if not prefix or not (path == prefix or path.startswith(prefix + "/")):
            return path
        stripped = path[len(prefix) :] or "/"
        trigger = self.trigger
        if (
            trigger is not None
            and trigger.match(path) is not None
            and trigger.match(stripped) is None
        ):
            return path  # the function's own route starts like the prefix
        return stripped

    def decode(self, raw: Any, ctx: Context) -> HttpRequest:
        headers = Headers.lazy(raw.headers, _items)
        trigger = self.trigger
        params = raw.route_params
        path_params = {
            str(k): str(v) for k, v in params.items() if v is not None and k != _ROOT_PARAM
        }
        return _request(
            method=str(raw.method).upper(),
            path=self._path(str(raw.url)),
            # Without every parameter from the host, the core matches the route on the path.
            route=trigger.route if trigger and set(trigger.params) <= path_params.keys() else None,
            path_params=path_params,
            query=MultiDict.lazy(raw, _query),
            headers=headers,
            cookies=Cookies(CookieHeaders(headers)),
            body=raw.get_body() or b"",
            source_ip=client_ip(headers),
            principal=trusted_principal(headers),
            request_id=ctx.request_id or None,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> Any:
        """The ``azure.functions.HttpResponse`` for a :class:`faaskit.Response`."""
        import azure.functions as func

        if not isinstance(result, Response):
            raise TypeError(f"the HTTP decoder encodes a faaskit.Response, not {result!r}")
        grouped: dict[str, tuple[str, list[str]]] = {}
        for name, value in result.header_items():
            grouped.setdefault(name.lower(), (name, []))[1].append(value)
        content_type = grouped.get("content-type", ("", [""]))[1][0] or None
        if content_type is None and result.body:
            content_type = "application/octet-stream"
            grouped["content-type"] = ("Content-Type", [content_type])
        mimetype, _, params = (content_type or "").partition(";")
        charset = params.partition("charset=")[2].split(";")[0].strip() or None
        response = func.HttpResponse(
            result.body,
            status_code=result.status,
            mimetype=mimetype.strip() or None,
            charset=charset,
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

    def encode_raw(self, result: Any, raw: Any) -> Any:
        """A ``raw=True`` handler's result: native responses as they are, others encoded."""
        import azure.functions as func

        if isinstance(result, func.HttpResponse | str):
            return result
        return self.encode(to_response(result), raw)


# What the worker's SimpleCookie parse keeps unquoted (http.cookies._LegalValueChars) or quoted.
_COOKIE_TEXT = re.compile(r"[\w!#%&'~`><@,:/$*+\-.^|)(?}{=\[\]]*|\"(?:[^\\\"]|\\.)*\"", re.ASCII)


def _set_cookie(name: str, cookie: Any) -> str:
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


# The host rejects an empty route (it falls back to the function name); an optional parameter
# that must stay empty matches the root alone (Azure/Azure-Functions#2473).
ROOT_ROUTE = "{faaskit_root:maxlength(0)?}"
_ROOT_PARAM = "faaskit_root"


def azure_route(route: str) -> str:
    """The Azure route template for a faaskit one: no leading ``/``; ``{name+}`` becomes
    ``{*name}``; the root ``/`` becomes :data:`ROOT_ROUTE`.
    """
    if route == "/":
        return ROOT_ROUTE
    parts = []
    for segment in route.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            segment = "{*" + segment[1:-2] + "}"
        parts.append(segment)
    return "/".join(parts)


_AUTH_LEVELS = {"none": "ANONYMOUS", "anonymous": "ANONYMOUS", "function": "FUNCTION"}
_AUTH_LEVELS.update({"api_key": "FUNCTION", "admin": "ADMIN"})


def auth_level(trigger: Http, default: Any) -> Any:
    """The Azure auth level for ``trigger.auth``: none/anonymous, function/api_key, admin.

    Schemes Azure enforces outside the function (IAM, JWT: App Service authentication) keep
    a function key required, so a misconfigured app fails closed.
    """
    import azure.functions as func

    auth = trigger.auth
    if auth is None:
        return default
    if isinstance(auth, str):
        name = _AUTH_LEVELS.get(auth.lower())
        return func.AuthLevel[name] if name else func.AuthLevel.FUNCTION
    if isinstance(auth, Mapping):
        return func.AuthLevel.FUNCTION
    raise ConfigurationError(f"http trigger auth {auth!r} is not a string or a mapping")


def register(app: Any, handler: Any, options: Mapping[str, Any]) -> None:
    """Add ``handler`` to ``app`` as an HTTP function (trigger ``req``, output ``$return``)."""
    import azure.functions as func

    from faaskit_azure.adapter import entry
    from faaskit_azure.wrapper import make_wrapper

    trigger = handler.trigger
    if trigger.route.strip("/").split("/")[0].lower() == "admin":
        raise ConfigurationError(
            f"handler {handler.name!r}: route {trigger.route} is under /admin, which the Azure "
            "Functions host keeps for its own API (whatever the routePrefix); choose another path"
        )
    decoder = AzureHttp(trigger, route_prefix=options.get("route_prefix", "api"))
    wrapper = make_wrapper(
        handler.name,
        [("req", func.HttpRequest)],
        func.HttpResponse,
        entry(handler, decoder, "req"),
        is_async=handler.is_async,
        module=getattr(handler, "__module__", None),
    )
    methods = None if trigger.methods[0] == "ANY" else list(trigger.methods)
    built = app.route(
        route=azure_route(trigger.route),
        methods=methods,
        auth_level=auth_level(trigger, options.get("auth_level")),
        trigger_arg_name="req",
    )(wrapper)
    app.function_name(handler.name)(built)


HTTP = AzureHttp()
