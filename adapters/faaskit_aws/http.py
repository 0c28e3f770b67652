"""HTTP events: API Gateway REST (v1) and HTTP API (v2), ALB targets, Lambda Function URLs.

Payload formats:
- REST API proxy integration (v1): https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
- HTTP API payload format 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
- ALB targets (single- and multi-value headers): https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
- Function URLs: https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html

Normalisation: ``path`` is percent-decoded and never carries the stage; query values are
decoded (REST and HTTP APIs decode them, ALB does not); a body flagged base64 that is not
base64 reaches the handler as a body that answers 400 when read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from faaskit import Context, Headers, HttpRequest, MultiDict, Response
from faaskit.adapter import CookieHeaders, Cookies, maker
from faaskit.exceptions import InvalidEventError
from faaskit_aws._http_wire import (
    body_out,
    items,
    json_headers,
    merged,
    path_params,
    read_body,
    read_path,
    read_text,
    request_context,
    response_of,
    set_cookie_names,
    status_line,
)

__all__ = ["ALB", "API_GATEWAY_V1", "API_GATEWAY_V2", "DECODERS", "FUNCTION_URL"]

_JSON = "application/json"


def _principal(authorizer: Any, identity: Any) -> Any:
    from faaskit_aws._http_auth import principal

    return principal(authorizer, identity)


def _v1_headers(raw: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    return merged(raw.get("multiValueHeaders"), raw.get("headers"), True)


def _v1_query(raw: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    return merged(
        raw.get("multiValueQueryStringParameters"), raw.get("queryStringParameters"), False
    )


class ApiGatewayV1:
    """API Gateway REST API, Lambda proxy integration (payload format 1.0)."""

    source = "apigw-v1"

    def recognise(self, raw: Any) -> bool:
        # Lambda authorizer requests carry "methodArn"; Bedrock agent events have no "path".
        if type(raw) is not dict or "httpMethod" not in raw or "methodArn" in raw:
            return False
        if "path" not in raw and "resource" not in raw:
            return False
        rc = raw.get("requestContext")
        return not (isinstance(rc, Mapping) and "elb" in rc)

    def decode(self, raw: Any, ctx: Context) -> HttpRequest:
        source = self.source
        rc = request_context(raw, source)
        headers = Headers.lazy(raw, _v1_headers)
        identity = rc.get("identity")
        resource = raw.get("resource")
        raw_path = read_path(raw.get("path"), source, decode=False)
        return _request(
            method=read_text(raw, "httpMethod", source).upper(),
            path=_decoded(raw_path),
            raw_path=raw_path if "%" in raw_path else None,
            route=resource if resource and resource != "/{proxy+}" else None,
            path_params=path_params(raw, source),
            query=MultiDict.lazy(raw, _v1_query),
            headers=headers,
            cookies=Cookies(CookieHeaders(headers)),
            body=read_body(raw, source),
            source_ip=identity.get("sourceIp") if isinstance(identity, Mapping) else None,
            principal=_principal(rc.get("authorizer"), identity),
            request_id=rc.get("requestId") or ctx.request_id,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> dict[str, Any]:
        response = response_of(result)
        _, multi = json_headers(response)
        cookies = response.set_cookie_headers()
        if cookies:
            multi["Set-Cookie"] = cookies
        body, is_b64 = body_out(response)
        return {
            "statusCode": response.status,
            "multiValueHeaders": multi,
            "body": body,
            "isBase64Encoded": is_b64,
        }


def _v2_query(raw: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    """Payload 2.0 query: ``rawQueryString`` is the truth (``queryStringParameters`` joins
    repeated names with commas); the parsed dict is used when it provably says the same.
    """
    raw_query = raw.get("rawQueryString")
    parsed = raw.get("queryStringParameters")
    if not raw_query or not isinstance(raw_query, str):
        return items(parsed)
    if (
        isinstance(parsed, dict)
        and "%" not in raw_query
        and "+" not in raw_query
        and raw_query.count("&") + 1 == len(parsed)
    ):
        return parsed.items()
    from urllib.parse import parse_qsl

    return parse_qsl(raw_query, keep_blank_values=True)


def _v2_cookies(raw: Mapping[str, Any]) -> Any:
    cookies = raw.get("cookies")
    if cookies and type(cookies) in (list, str):
        return Cookies([cookies] if type(cookies) is str else cookies)
    headers = raw.get("headers")
    header = headers.get("cookie") if type(headers) is dict else None
    return Cookies([header]) if type(header) is str else {}


def _is_function_url(rc: Any) -> bool:
    domain = rc.get("domainName") if type(rc) is dict else None
    return type(domain) is str and ".lambda-url." in domain


def _decoded(path: str) -> str:
    if "%" not in path:
        return path
    from urllib.parse import unquote

    return unquote(path)


def _stage_in_path(rc: Mapping[str, Any]) -> bool:
    """Whether an HTTP API put the stage in the path: only requests to the ``execute-api``
    endpoint carry it; behind a custom domain the API mapping decides the path.
    """
    domain = rc.get("domainName")
    return type(domain) is not str or ".execute-api." in domain


class ApiGatewayV2:
    """API Gateway HTTP API, payload format 2.0 (the platform delivers ``rawPath`` decoded)."""

    source = "apigw-v2"
    encoded = False

    def recognise(self, raw: Any) -> bool:
        if type(raw) is not dict or raw.get("version") != "2.0" or "routeKey" not in raw:
            return False
        # A Lambda authorizer request of an HTTP API carries "routeArn".
        return "routeArn" not in raw and not _is_function_url(raw.get("requestContext"))

    def decode(self, raw: Any, ctx: Context) -> HttpRequest:
        source = self.source
        rc = raw.get("requestContext")
        if type(rc) is not dict:
            rc = request_context(raw, source)
        http = rc.get("http")
        if type(http) is not dict and not isinstance(http, Mapping):
            raise InvalidEventError(
                f"{source} event is missing 'requestContext.http'",
                source=source,
                field="requestContext.http",
            )
        method = http.get("method")
        if type(method) is not str or not method:
            method = read_text(http, "method", source, "requestContext.http.method")
        path = raw.get("rawPath") or http.get("path")
        if type(path) is not str or not path:
            path = read_path(path, source, decode=False)
        raw_path = None
        if self.encoded:
            raw_path = path if "%" in path else None
            path = _decoded(path)
        else:
            stage = rc.get("stage")
            if stage and stage != "$default" and type(stage) is str and _stage_in_path(rc):
                prefix = f"/{stage}"
                if path == prefix or path.startswith(prefix + "/"):
                    path = path[len(prefix) :] or "/"
        route_key = raw.get("routeKey")
        route = route_key.partition(" ")[2] if type(route_key) is str else ""
        authorizer = rc.get("authorizer")
        cookies = raw.get("cookies")
        return _request(
            method=method.upper(),
            path=path,
            route=route or None,
            path_params=path_params(raw, source),
            query=MultiDict(raw, _v2_query),
            headers=Headers(raw.get("headers"), items),
            cookies=Cookies(cookies) if type(cookies) is list and cookies else _v2_cookies(raw),
            body=b"" if raw.get("body") is None else read_body(raw, source),
            source_ip=http.get("sourceIp"),
            principal=_principal(authorizer, None) if authorizer else None,
            request_id=rc.get("requestId") or ctx.request_id,
            raw=raw,
            raw_path=raw_path,
        )

    def encode(self, result: Any, raw: Any) -> dict[str, Any]:
        response = response_of(result)
        if not response.headers and not response.cookies and response.content_type == _JSON:
            try:
                return {
                    "statusCode": response.status,
                    "headers": {"Content-Type": _JSON},
                    "body": response.body.decode("utf-8"),
                    "isBase64Encoded": False,
                }
            except UnicodeDecodeError:
                pass  # not UTF-8: base64 below
        single, _ = json_headers(response)
        body, is_b64 = body_out(response)
        out: dict[str, Any] = {
            "statusCode": response.status,
            "headers": single,
            "body": body,
            "isBase64Encoded": is_b64,
        }
        cookies = response.set_cookie_headers()
        if cookies:
            out["cookies"] = cookies
        return out


class FunctionUrl(ApiGatewayV2):
    """Lambda Function URL requests (payload format 2.0 on a ``*.lambda-url.*`` domain;
    ``rawPath`` still percent-encoded).
    """

    source = "function-url"
    encoded = True

    def recognise(self, raw: Any) -> bool:
        return (
            type(raw) is dict
            and raw.get("version") == "2.0"
            and _is_function_url(raw.get("requestContext"))
        )


def _alb_query(data: Any) -> Iterator[tuple[str, Any]]:
    from urllib.parse import unquote_plus

    for name, value in items(data):
        values = [value] if isinstance(value, str) else value
        if isinstance(values, list):
            yield unquote_plus(name), [unquote_plus(v) for v in values if isinstance(v, str)]


def _alb_client(headers: Headers) -> str | None:
    # ALB appends the address it saw to X-Forwarded-For: the last entry is the trustworthy one.
    forwarded = headers.getall("x-forwarded-for")
    if not forwarded:
        return None
    return forwarded[-1].rsplit(",", 1)[-1].strip() or None


class ApplicationLoadBalancer:
    """ALB target-group requests, single-value or multi-value header mode.

    ALB passes query strings as received (still percent-encoded) and answers in the header
    mode of the request, so the response mirrors it.
    """

    source = "alb"

    def recognise(self, raw: Any) -> bool:
        if type(raw) is not dict:
            return False
        rc = raw.get("requestContext")
        return isinstance(rc, Mapping) and "elb" in rc

    def decode(self, raw: Any, ctx: Context) -> HttpRequest:
        source = self.source
        multi = "multiValueHeaders" in raw
        headers = Headers.lazy(raw.get("multiValueHeaders" if multi else "headers"), items)
        query = MultiDict.lazy(
            raw.get("multiValueQueryStringParameters" if multi else "queryStringParameters"),
            _alb_query,
        )
        raw_path = read_path(raw.get("path"), source, decode=False)
        return _request(
            method=read_text(raw, "httpMethod", source).upper(),
            path=_decoded(raw_path),
            raw_path=raw_path if "%" in raw_path else None,
            route=None,
            query=query,
            headers=headers,
            cookies=Cookies(CookieHeaders(headers)),
            body=read_body(raw, source),
            source_ip=_alb_client(headers),
            principal=None,
            # X-Amzn-Trace-Id is kept as the client sent it when well formed: not an id.
            request_id=ctx.request_id or None,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> dict[str, Any]:
        response = response_of(result)
        single, multi = json_headers(response)
        cookies = response.set_cookie_headers()
        body, is_b64 = body_out(response)
        out: dict[str, Any] = {
            "statusCode": response.status,
            "statusDescription": status_line(response.status),
            "body": body,
            "isBase64Encoded": is_b64,
        }
        if isinstance(raw, Mapping) and "multiValueHeaders" in raw:
            if cookies:
                multi["Set-Cookie"] = cookies
            out["multiValueHeaders"] = multi
        else:
            # One value per name in this mode: vary the case of Set-Cookie so none is lost.
            try:
                names = set_cookie_names(len(cookies))
            except ValueError as exc:  # more than the case variants can carry
                return self.encode(_too_many_cookies(exc), raw)
            single.update(zip(names, cookies, strict=True))
            out["headers"] = single
        return out


def _too_many_cookies(exc: ValueError) -> Response:
    """The 500 for a response ALB cannot carry; the reason goes to the log."""
    import logging

    logging.getLogger("faaskit").error("cannot answer through ALB: %s", exc)
    return Response.json({"message": "Internal Server Error"}, status=500)


_request = maker(HttpRequest)


API_GATEWAY_V1 = ApiGatewayV1()


API_GATEWAY_V2 = ApiGatewayV2()


FUNCTION_URL = FunctionUrl()


ALB = ApplicationLoadBalancer()


DECODERS = (API_GATEWAY_V2, FUNCTION_URL, ALB, API_GATEWAY_V1)
