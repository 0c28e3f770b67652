"""Serve HTTP handlers locally through a cloud's real adapter path.

Each request is matched against the app's HTTP routes, turned into the event that cloud would
deliver (an API Gateway HTTP API payload 2.0 event on AWS; an ``azure.functions.HttpRequest``
built by the library's converter on Azure), handed to the handler the way the platform calls it,
and the native response (Lambda proxy response, ``func.HttpResponse``) written back.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable, Sequence
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs

from faaskit import Handler
from faaskit.adapter import Http
from faaskit.devserver.gate import Admission, Gate, Refusal
from faaskit.devserver.identity import aws_identity, azure_headers
from faaskit.testing._http_server import QuietHandler

__all__ = ["HttpBridge", "NativeReply", "Route", "make_server"]

log = logging.getLogger("faaskit.serve")


@attrs.frozen(kw_only=True)
class Route:
    """One HTTP handler and its trigger."""

    handler: Handler
    trigger: Http


@attrs.frozen(kw_only=True)
class NativeReply:
    """What goes back on the wire."""

    status: int
    headers: Sequence[tuple[str, str]]
    body: bytes


@attrs.frozen(kw_only=True)
class _Request:
    """One request as received: method, path, raw query string, header pairs and body."""

    method: str
    path: str
    query: str
    headers: Sequence[tuple[str, str]]
    body: bytes
    client: tuple[str, int] | None = None
    admission: Admission = attrs.field(factory=Admission)


def _error(status: int, message: str, headers: Sequence[tuple[str, str]] = ()) -> NativeReply:
    body = json.dumps({"message": message}).encode()
    return NativeReply(
        status=status, headers=[("Content-Type", "application/json"), *headers], body=body
    )


def _from_lambda(result: Any) -> NativeReply:
    if not isinstance(result, dict) or "statusCode" not in result:
        # Lambda's HTTP API treats a non-proxy result as a 200 JSON body.
        return NativeReply(
            status=200,
            headers=[("Content-Type", "application/json")],
            body=json.dumps(result).encode(),
        )
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((name, str(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((name, str(v)) for v in values)
    headers.extend(("Set-Cookie", c) for c in result.get("cookies") or ())
    body = result.get("body") or ""
    data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
    return NativeReply(status=int(result["statusCode"]), headers=headers, body=data)


def _from_azure(result: Any) -> NativeReply:
    headers: list[tuple[str, str]] = []
    raw = result.headers
    for name, value in raw.items():
        if name.lower() != "set-cookie":
            headers.append((name, value))
    getall = getattr(raw, "get_all", None)
    cookies = list(getall("Set-Cookie")) if getall else []
    if not cookies and raw.get("Set-Cookie"):
        cookies = [raw["Set-Cookie"]]
    headers.extend(("Set-Cookie", c) for c in cookies)
    if result.mimetype and not any(n.lower() == "content-type" for n, _ in headers):
        charset = f"; charset={result.charset}" if result.charset else ""
        headers.append(("Content-Type", f"{result.mimetype}{charset}"))
    return NativeReply(status=result.status_code, headers=headers, body=result.get_body())


class HttpBridge:
    """Route a request to a handler and call it through ``platform``'s adapter.

    ``call`` overrides how the Lambda event reaches the handler (``faaskit serve --runtime
    lambda`` sends it to a real runtime client).
    """

    def __init__(
        self,
        routes: Sequence[Route],
        platform: str,
        *,
        call: Callable[[Handler, Any], Any] | None = None,
        gate: Gate | None = None,
        openapi: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.routes = list(routes)
        self.platform = platform
        self.call = call
        self.gate = gate
        self.openapi = openapi

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | NativeReply:
        """The route and path parameters for a request, or the 404/405 reply."""
        allowed: list[str] = []
        candidates = [path]
        if self.platform == "azure" and (path == "/api" or path.startswith("/api/")):
            candidates.insert(0, path[4:] or "/")
        for candidate in candidates:
            for route in self.routes:
                params = route.trigger.match(candidate)
                if params is None:
                    continue
                if route.trigger.allows(method):
                    return route, params
                allowed.extend(route.trigger.methods)
        if allowed:
            return _error(405, "Method Not Allowed", [("Allow", ", ".join(sorted(set(allowed))))])
        return _error(404, f"no handler serves {method} {path}")

    def _document(self, method: str, path: str) -> NativeReply | None:
        """``GET /openapi.json`` when no route of the app serves that path."""
        if self.openapi is None or path != "/openapi.json" or method not in ("GET", "HEAD"):
            return None
        body = json.dumps(self.openapi(), indent=2).encode()
        return NativeReply(status=200, headers=[("Content-Type", "application/json")], body=body)

    def _path_routes(self, path: str) -> list[Http]:
        """The triggers of the routes whose template fits ``path`` (any method)."""
        paths = [path]
        if self.platform == "azure" and (path == "/api" or path.startswith("/api/")):
            paths.insert(0, path[4:] or "/")
        return [r.trigger for p in paths for r in self.routes if r.trigger.match(p) is not None]

    def handle(
        self,
        method: str,
        target: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        *,
        client: tuple[str, int] | None = None,
    ) -> NativeReply:
        """Serve one request from ``client`` (address, port); never raises."""
        parts = urlsplit(target)
        path = parts.path or "/"
        oversized = self.gate.too_large(len(body)) if self.gate is not None else None
        if oversized is not None:
            return NativeReply(status=413, headers=oversized.headers, body=oversized.body)
        if method == "OPTIONS" and self.gate is not None:
            answer = self.gate.preflight(self._path_routes(path), headers)
            if answer is not None:
                return NativeReply(status=answer.status, headers=answer.headers, body=answer.body)
        found = self.match(method, path)
        if isinstance(found, NativeReply):
            return self._document(method, path) or found
        route, params = found
        admission = Admission()
        if self.gate is not None:
            checked = self.gate.admit(route.trigger, method, headers, parts.query)
            if isinstance(checked, Refusal):
                log.info("%s %s -> %d (refused before %s)", method, target, checked.status,
                         route.handler.name)  # fmt: skip
                return NativeReply(
                    status=checked.status, headers=checked.headers, body=checked.body
                )
            admission = checked
        started = time.perf_counter()
        try:
            request = _Request(
                method=method,
                path=path,
                query=parts.query,
                headers=headers,
                body=body,
                client=client,
                admission=admission,
            )
            reply = self._invoke(route, params, request)
            if admission.response_headers:
                reply = attrs.evolve(reply, headers=[*reply.headers, *admission.response_headers])
        except Exception as exc:
            log.error(
                "%s %s: handler %s failed outside its adapter: %s: %s",
                method,
                path,
                route.handler.name,
                type(exc).__name__,
                exc,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            reply = _error(500, "Internal Server Error")
        millis = (time.perf_counter() - started) * 1000
        log.info(
            "%s %s -> %d (%s, %.1f ms)", method, target, reply.status, route.handler.name, millis
        )
        return reply

    def _invoke(self, route: Route, params: dict[str, str], request: _Request) -> NativeReply:
        method, path, query = request.method, request.path, request.query
        body = request.body
        pairs = parse_qsl(query, keep_blank_values=True)
        if self.platform == "azure":
            address, port = request.client or (None, None)
            headers = azure_headers(request.headers, request.admission.claims, address, port)
            from faaskit.testing.azure_events import http as azure_http
            from faaskit.testing.runner import invoke

            host = next((v for n, v in headers if n.lower() == "host"), "localhost")
            spec = azure_http(
                method,
                path,
                query=dict(pairs),
                headers=_joined(headers),
                body=body if body else None,
                route_params=params,
                host=host,
                route_prefix="" if path == "/api" or path.startswith("/api/") else "api",
            )
            # The host passes the request as received: its headers, query string and bytes.
            value = spec["data"]["value"]
            value["url"] = value["url"].partition("?")[0] + (f"?{query}" if query else "")
            value["headers"] = _joined(headers)
            value["body"] = {"type": "bytes", "value_b64": base64.b64encode(body).decode("ascii")}
            return _from_azure(invoke(route.handler, spec, platform="azure"))
        event = _lambda_event(route, params, request)
        admission = request.admission
        aws_identity(event, admission.claims, admission.mode, (request.client or (None,))[0])
        if self.call is not None:
            return _from_lambda(self.call(route.handler, event))
        from faaskit.testing.runner import invoke

        return _from_lambda(invoke(route.handler, event, platform="aws"))


def _joined(headers: Sequence[tuple[str, str]]) -> dict[str, str]:
    """One value per (lower-cased) name: repeated headers joined as HTTP allows."""
    out: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        if key in out:
            value = f"{out[key]}{'; ' if key == 'cookie' else ', '}{value}"
        out[key] = value
    return out


def _lambda_event(route: Route, params: dict[str, str], request: _Request) -> dict[str, Any]:
    from faaskit.testing.aws_http import apigw_v2, comma_joined

    joined = _joined(request.headers)
    cookie = joined.pop("cookie", None)
    event = apigw_v2(
        request.method,
        request.path,
        headers=joined,
        body=request.body if request.body else None,
        route=route.trigger.route,
        path_params=params or None,
        domain=joined.get("host", "localhost"),
    )
    event["headers"] = joined
    event["rawQueryString"] = request.query
    pairs = parse_qsl(request.query, keep_blank_values=True)
    if pairs:
        event["queryStringParameters"] = comma_joined(pairs)
    if cookie:
        event["cookies"] = [c.strip() for c in cookie.split(";") if c.strip()]
    return event


class _Handler(QuietHandler):
    server: _Server

    def _serve(self) -> None:
        body = self.read_body()
        reply = self.server.bridge.handle(
            self.command,
            self.path,
            list(self.headers.items()),
            body,
            client=(str(self.client_address[0]), int(self.client_address[1])),
        )
        self.send_response(reply.status)
        sent_length = False
        for name, value in reply.headers:
            if name.lower() == "content-length":
                sent_length = True
            self.send_header(name, value)
        if not sent_length:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    bridge: HttpBridge


def make_server(bridge: HttpBridge, host: str, port: int) -> ThreadingHTTPServer:
    """A threaded HTTP/1.1 server bound to ``host:port`` (``OSError`` when taken)."""
    server = _Server((host, port), _Handler)
    server.bridge = bridge
    return server
