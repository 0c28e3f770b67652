"""HTTP events: API Gateway REST (v1) and HTTP API (v2), ALB targets, Lambda Function URLs.

Payload formats:
- REST API proxy integration (v1): https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
- HTTP API payload format 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
- ALB targets (single- and multi-value headers): https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
- Function URLs: https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from faaskit._context import Context
from faaskit._cookies import Cookies
from faaskit._fast import maker
from faaskit._http import HttpRequest
from faaskit._multidict import Headers, MultiDict
from faaskit._response import Response
from faaskit.exceptions import BadRequestError, InvalidEventError

__all__ = ["ALB", "API_GATEWAY_V1", "API_GATEWAY_V2", "DECODERS", "FUNCTION_URL"]


def _body(raw: Mapping[str, Any], source: str) -> bytes:
    body = raw.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
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
        except (binascii.Error, ValueError) as exc:
            raise BadRequestError("request body is flagged base64 but is not valid base64") from exc
    return body.encode("utf-8")


def _mapping(raw: Mapping[str, Any], name: str, source: str) -> Mapping[str, Any]:
    value = raw.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidEventError(
            f"{source} event field {name!r} must be an object, got {type(value).__name__}",
            source=source,
            field=name,
        )
    return value


def _request_context(raw: Mapping[str, Any], source: str) -> Mapping[str, Any]:
    context = raw.get("requestContext")
    if not isinstance(context, Mapping):
        raise InvalidEventError(
            f"{source} event is missing the 'requestContext' object",
            source=source,
            field="requestContext",
        )
    return context


def _str_params(raw: Mapping[str, Any], source: str) -> dict[str, str]:
    params = raw.get("pathParameters")
    if not params:
        return (
            {}
            if params is None or isinstance(params, Mapping)
            else dict(_mapping(raw, "pathParameters", source))
        )
    if type(params) is dict:
        return params
    return {str(k): str(v) for k, v in _mapping(raw, "pathParameters", source).items()}


def _principal(authorizer: Any, identity: Any) -> Any:
    """Caller identity from an API Gateway authorizer block or IAM identity (v1 and v2)."""
    from faaskit._principal import Principal

    if isinstance(authorizer, Mapping) and authorizer:
        jwt = authorizer.get("jwt")
        if isinstance(jwt, Mapping):
            claims = dict(jwt.get("claims") or {})
            if jwt.get("scopes"):
                claims.setdefault("scopes", list(jwt["scopes"]))
            return Principal(id=_sub(claims), claims=claims, provider="jwt")
        if isinstance(authorizer.get("claims"), Mapping):
            claims = dict(authorizer["claims"])
            return Principal(id=_sub(claims), claims=claims, provider="cognito")
        iam = authorizer.get("iam")
        if isinstance(iam, Mapping):
            return Principal(
                id=iam.get("userArn") or iam.get("userId"), claims=dict(iam), provider="iam"
            )
        lam = authorizer.get("lambda")
        context = dict(lam) if isinstance(lam, Mapping) else dict(authorizer)
        principal_id = context.pop("principalId", None) or authorizer.get("principalId")
        context.pop("integrationLatency", None)
        if principal_id is not None or context:
            return Principal(id=principal_id, claims=context, provider="lambda")
    if isinstance(identity, Mapping):
        arn = identity.get("userArn")
        cognito = identity.get("cognitoIdentityId")
        if arn or cognito:
            claims = {k: v for k, v in identity.items() if v is not None}
            return Principal(id=arn or cognito, claims=claims, provider="iam")
    return None


def _sub(claims: Mapping[str, Any]) -> str | None:
    value = claims.get("sub") or claims.get("username") or claims.get("cognito:username")
    return None if value is None else str(value)


def _json_headers(response: Response) -> tuple[dict[str, str], dict[str, list[str]]]:
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in response.header_items():
        multi.setdefault(name, []).append(value)
        single[name] = value if name not in single else f"{single[name]}, {value}"
    return single, multi


def _body_out(response: Response) -> tuple[str, bool]:
    if response.is_binary:
        import base64

        return base64.b64encode(response.body).decode("ascii"), True
    return response.body.decode("utf-8"), False


_JSON = "application/json"


class _CookieHeaders:
    """The ``Cookie`` header values of ``headers``, read only when iterated."""

    __slots__ = ("headers",)

    def __init__(self, headers: Headers) -> None:
        self.headers = headers

    def __iter__(self) -> Iterator[str]:
        return iter(self.headers.getall("cookie"))


def _error(result: Any) -> Response:
    if isinstance(result, Response):
        return result
    raise TypeError(f"an HTTP decoder encodes a faaskit.Response, got {type(result).__name__}")


class ApiGatewayV1:
    """API Gateway REST API, Lambda proxy integration (payload format 1.0)."""

    source = "apigw-v1"

    def recognise(self, raw: Any) -> bool:
        if type(raw) is not dict or "httpMethod" not in raw:
            return False
        rc = raw.get("requestContext")
        return not (isinstance(rc, Mapping) and "elb" in rc)

    def decode(self, raw: Any, ctx: Context) -> HttpRequest:
        source = self.source
        rc = _request_context(raw, source)
        multi_q = raw.get("multiValueQueryStringParameters")
        query = MultiDict.lazy(multi_q or raw.get("queryStringParameters"), _items)
        multi_h = raw.get("multiValueHeaders")
        headers = Headers.lazy(multi_h or raw.get("headers"), _items)
        identity = rc.get("identity")
        resource = raw.get("resource")
        return _request(
            method=str(raw["httpMethod"]).upper(),
            path=raw.get("path") or "/",
            route=resource if resource and resource != "/{proxy+}" else None,
            path_params=_str_params(raw, source),
            query=query,
            headers=headers,
            cookies=Cookies(_CookieHeaders(headers)),
            body=_body(raw, source),
            source_ip=identity.get("sourceIp") if isinstance(identity, Mapping) else None,
            principal=_principal(rc.get("authorizer"), identity),
            request_id=rc.get("requestId") or ctx.request_id,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> dict[str, Any]:
        response = _error(result)
        _, multi = _json_headers(response)
        cookies = response.set_cookie_headers()
        if cookies:
            multi["Set-Cookie"] = cookies
        body, is_b64 = _body_out(response)
        return {
            "statusCode": response.status,
            "multiValueHeaders": multi,
            "body": body,
            "isBase64Encoded": is_b64,
        }


def _items(data: Any) -> Iterable[tuple[str, Any]]:
    return data.items() if isinstance(data, Mapping) else ()


def _v2_query(raw: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    """Payload 2.0 query: ``rawQueryString`` is the truth (``queryStringParameters`` joins
    repeated names with commas); the parsed dict is used when it provably says the same.
    """
    raw_query = raw.get("rawQueryString")
    parsed = raw.get("queryStringParameters")
    if not isinstance(raw_query, str):
        return _items(parsed)
    if (
        isinstance(parsed, dict)
        and "%" not in raw_query
        and "+" not in raw_query
        and raw_query.count("&") + 1 == len(parsed)
    ):
        return parsed.items()
    from urllib.parse import parse_qsl

    return parse_qsl(raw_query, keep_blank_values=True)


def _is_function_url(rc: Any) -> bool:
    domain = rc.get("domainName") if type(rc) is dict else None
    return type(domain) is str and ".lambda-url." in domain


class ApiGatewayV2:
    """API Gateway HTTP API, payload format 2.0."""

    source = "apigw-v2"

    def recognise(self, raw: Any) -> bool:
        if type(raw) is not dict or raw.get("version") != "2.0" or "routeKey" not in raw:
            return False
        return not _is_function_url(raw.get("requestContext"))

    def decode(self, raw: Any, ctx: Context) -> HttpRequest:
        source = self.source
        rc = _request_context(raw, source)
        http = rc.get("http")
        if not isinstance(http, Mapping) or "method" not in http:
            raise InvalidEventError(
                f"{source} event is missing 'requestContext.http.method'",
                source=source,
                field="requestContext.http",
            )
        path = raw.get("rawPath") or http.get("path") or "/"
        stage = rc.get("stage")
        if stage and stage != "$default":
            prefix = f"/{stage}"
            if path == prefix or path.startswith(prefix + "/"):
                path = path[len(prefix) :] or "/"
        route_key = raw.get("routeKey") or ""
        _, _, route = route_key.partition(" ")
        cookies = raw.get("cookies")
        return _request(
            method=str(http["method"]).upper(),
            path=path,
            route=route or None,
            path_params=_str_params(raw, source),
            query=MultiDict.lazy(raw, _v2_query),
            headers=Headers.lazy(raw.get("headers"), _items),
            cookies=Cookies(cookies) if cookies else {},
            body=_body(raw, source),
            source_ip=http.get("sourceIp"),
            principal=_principal(rc.get("authorizer"), None) if rc.get("authorizer") else None,
            request_id=rc.get("requestId") or ctx.request_id,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> dict[str, Any]:
        response = _error(result)
        if not response.headers and not response.cookies and response.content_type == _JSON:
            return {
                "statusCode": response.status,
                "headers": {"Content-Type": _JSON},
                "body": response.body.decode("utf-8"),
                "isBase64Encoded": False,
            }
        single, _ = _json_headers(response)
        body, is_b64 = _body_out(response)
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
    """Lambda Function URL requests (payload format 2.0 on a ``*.lambda-url.*`` domain)."""

    source = "function-url"

    def recognise(self, raw: Any) -> bool:
        return (
            type(raw) is dict
            and raw.get("version") == "2.0"
            and _is_function_url(raw.get("requestContext"))
        )


def _alb_query(data: Any) -> Iterable[tuple[str, Any]]:
    from urllib.parse import unquote_plus

    for name, value in _items(data):
        values = [value] if isinstance(value, str) else value
        yield unquote_plus(name), [unquote_plus(v) for v in values]


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
        if "httpMethod" not in raw:
            raise InvalidEventError(
                "alb event is missing 'httpMethod'", source=source, field="httpMethod"
            )
        multi = "multiValueHeaders" in raw
        headers = Headers.lazy(raw.get("multiValueHeaders" if multi else "headers"), _items)
        query = MultiDict.lazy(
            raw.get("multiValueQueryStringParameters" if multi else "queryStringParameters"),
            _alb_query,
        )
        forwarded = headers.get("x-forwarded-for")
        return _request(
            method=str(raw["httpMethod"]).upper(),
            path=raw.get("path") or "/",
            route=None,
            query=query,
            headers=headers,
            cookies=Cookies(_CookieHeaders(headers)),
            body=_body(raw, source),
            source_ip=forwarded.split(",")[0].strip() if forwarded else None,
            principal=_alb_principal(headers),
            request_id=headers.get("x-amzn-trace-id") or ctx.request_id,
            raw=raw,
        )

    def encode(self, result: Any, raw: Any) -> dict[str, Any]:
        response = _error(result)
        single, multi = _json_headers(response)
        cookies = response.set_cookie_headers()
        body, is_b64 = _body_out(response)
        out: dict[str, Any] = {
            "statusCode": response.status,
            "statusDescription": _status_line(response.status),
            "body": body,
            "isBase64Encoded": is_b64,
        }
        if isinstance(raw, Mapping) and "multiValueHeaders" in raw:
            if cookies:
                multi["Set-Cookie"] = cookies
            out["multiValueHeaders"] = multi
        else:
            # One value per name in this mode: vary the case of Set-Cookie so none is lost.
            single.update(zip(_set_cookie_names(len(cookies)), cookies, strict=True))
            out["headers"] = single
        return out


def _status_line(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _set_cookie_names(count: int) -> list[str]:
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


def _alb_principal(headers: Headers) -> Any:
    identity = headers.get("x-amzn-oidc-identity")
    if not identity:
        return None
    import base64
    import json

    from faaskit._principal import Principal

    claims: dict[str, Any] = {}
    token = headers.get("x-amzn-oidc-data")
    if token and token.count(".") == 2:
        payload = token.split(".")[1]
        try:
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            claims = {}
    return Principal(id=identity, claims=claims, provider="alb-oidc")


_request = maker(HttpRequest)

API_GATEWAY_V1 = ApiGatewayV1()
API_GATEWAY_V2 = ApiGatewayV2()
FUNCTION_URL = FunctionUrl()
ALB = ApplicationLoadBalancer()

DECODERS = (API_GATEWAY_V2, FUNCTION_URL, ALB, API_GATEWAY_V1)
