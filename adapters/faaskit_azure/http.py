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

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from faaskit import Context, Headers, HttpRequest, MultiDict, Response
from faaskit.adapter import Cookies, Http, Pending, maker, to_response
from faaskit.exceptions import BadRequestError, ConfigurationError
from faaskit_azure._easy_auth import client_ip, principal, trusted_principal
from faaskit_azure._http_response import native_response

__all__ = ["HTTP", "AzureHttp", "azure_route", "principal", "register"]

_request = maker(HttpRequest)


def _lowered(headers: Any) -> dict[str, Any]:
    """The request headers as a plain dict with lower-case names.

    The worker's ``HttpRequestHeaders`` already keeps one (``__http_headers__``); reading it
    avoids a lower-casing method call per lookup.
    """
    found = getattr(headers, "__http_headers__", None)
    if type(found) is dict:
        return found
    if isinstance(headers, Mapping):
        return {str(name).lower(): value for name, value in headers.items()}
    return {}


def _dict_items(data: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    return data.items()


def _split(url: Any) -> tuple[str, str]:
    """``(path, query)`` of the request URL, as ``urllib.parse.urlsplit`` gives them.

    The common shape (``http(s)://host/path?query``, printable ASCII, no fragment, no IPv6
    host) is cut with string methods; anything else goes through ``urlsplit``. A URL that
    cannot be split is a bad request.
    """
    if type(url) is not str:
        url = str(url)
    if url.isascii() and url.isprintable() and "#" not in url:
        lower = url[:8].lower()
        start = 8 if lower.startswith("https://") else 7 if lower.startswith("http://") else -1
        if start > 0:
            query_at = url.find("?")
            head = url if query_at < 0 else url[:query_at]
            path_at = head.find("/", start)
            host = head[start:] if path_at < 0 else head[start:path_at]
            if "[" not in host and "]" not in host:
                return (
                    "" if path_at < 0 else head[path_at:],
                    "" if query_at < 0 else url[query_at + 1 :],
                )
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # say, an unbalanced IPv6 bracket in the host
        raise BadRequestError(f"request URL is malformed: {exc}") from None
    return parts.path, parts.query


def _query(raw: Any) -> Iterable[tuple[str, Any]]:
    """Every query value, from the URL (the worker's ``params`` keep one value per name)."""
    url = raw.url
    if type(url) is str and "#" not in url and url.isascii() and url.isprintable():
        query = url.partition("?")[2]  # what urlsplit gives: no '?' comes before the query
    else:
        query = _split(url)[1]
    if not query:
        params = raw.params
        return params.items() if isinstance(params, Mapping) else ()
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=True)
    # parse_qsl(keep_blank_values=True) on text with nothing to unquote, without its overhead
    pairs = []
    for piece in query.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((name, value))
    return pairs


_P = "x-ms-client-principal"
_P_ID, _P_NAME, _P_IDP = f"{_P}-id", f"{_P}-name", f"{_P}-idp"


class _Pending(Pending):
    """The request fields a handler may never read, decoded from ``instance.raw`` on first
    read; one per decoder, shared by its requests.
    """

    __slots__ = ("decoder",)

    def __init__(self, decoder: AzureHttp) -> None:
        self.decoder = decoder

    def resolve(self, instance: Any, name: str) -> Any:
        raw = instance.raw
        if name == "path":
            return self.decoder._path(_split(raw.url)[0])
        headers = _lowered(raw.headers)
        if name == "headers":
            return Headers(headers, _dict_items)
        if name == "cookies":
            cookie = headers.get("cookie")
            return Cookies((cookie,)) if cookie else {}
        return client_ip(headers)


class AzureHttp:
    """The HTTP trigger of one function: its route template and the host's route prefix."""

    source = "azure-http"

    def __init__(self, trigger: Http | None = None, *, route_prefix: str = "api") -> None:
        self.trigger = trigger
        prefix = route_prefix.strip("/")
        self.prefix = f"/{prefix}" if prefix else ""
        self._params = frozenset(trigger.params) if trigger is not None else frozenset()
        first = trigger.route.strip("/").split("/")[0] if trigger is not None else ""
        # Whether the function's own route may start like the prefix (then both are tried).
        self._may_start_like_prefix = trigger is not None and (
            first.startswith("{") or first.lower() == prefix.split("/")[0].lower()
        )
        self._pending = _Pending(self)

    def recognise(self, raw: Any) -> bool:
        return hasattr(raw, "route_params") and hasattr(raw, "get_body") and hasattr(raw, "url")

    def _path(self, path: str) -> str:
        path = path or "/"
        if "%" in path:  # decoded, as the AWS decoders give it
            path = unquote(path)
        prefix = self.prefix
        if not prefix or not (path == prefix or path.startswith(prefix + "/")):
            return path
        stripped = path[len(prefix) :] or "/"
        trigger = self.trigger
        if (
            self._may_start_like_prefix
            and trigger is not None
            and trigger.match(path) is not None
            and trigger.match(stripped) is None
        ):
            return path  # the function's own route starts like the prefix
        return stripped

    def decode(self, raw: Any, ctx: Context) -> HttpRequest:
        # path, headers, cookies and source_ip wait in self._pending until read.
        params = raw.route_params
        path_params = {
            str(k): str(v) for k, v in params.items() if v is not None and k != _ROOT_PARAM
        }
        method = raw.method
        if type(method) is not str or not method.isupper():
            method = str(method).upper()
        headers = _lowered(raw.headers)
        trigger = self.trigger
        pending = self._pending
        url = raw.url
        path: Any = pending
        if type(url) is not str or not url.isascii() or "[" in url or "]" in url:
            path = self._path(_split(url)[0])  # one urlsplit may refuse: a 400 at once
        return _request(
            method=method,
            path=path,
            # Without every parameter from the host, the core matches the route on the path.
            route=trigger.route if trigger and self._params <= path_params.keys() else None,
            path_params=path_params,
            query=MultiDict(raw, _query),
            headers=pending,
            cookies=pending,
            body=raw.get_body() or b"",
            source_ip=pending,
            principal=trusted_principal(headers)
            if _P in headers or _P_ID in headers or _P_NAME in headers or _P_IDP in headers
            else None,
            request_id=ctx.request_id or None,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> Any:
        """The ``azure.functions.HttpResponse`` for a :class:`faaskit.Response`."""
        if not isinstance(result, Response):
            raise TypeError(f"the HTTP decoder encodes a faaskit.Response, not {result!r}")
        return native_response(result)

    def encode_raw(self, result: Any, raw: Any) -> Any:
        """A ``raw=True`` handler's result: native responses as they are, others encoded."""
        import azure.functions as func

        if isinstance(result, func.HttpResponse | str):
            return result
        return self.encode(to_response(result), raw)


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
