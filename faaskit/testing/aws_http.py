"""Realistic AWS HTTP events: API Gateway REST (v1) and HTTP API (v2), ALB and Function URLs.

Shapes follow the AWS documentation:
- REST API proxy input: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
- HTTP API payload 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
- ALB targets: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
- Function URLs: https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from faaskit.testing._common import ACCOUNT, REGION, body_text, new_id, str_map

__all__ = ["alb", "apigw_v1", "apigw_v2", "function_url"]

Query = str | Mapping[str, Any] | None

_UA = "curl/8.4.0"


def _pairs(query: Query) -> list[tuple[str, str]]:
    if query is None:
        return []
    if isinstance(query, str):
        return parse_qsl(query.lstrip("?"), keep_blank_values=True)
    pairs: list[tuple[str, str]] = []
    for name, value in query.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((str(name), str(v)) for v in values)
    return pairs


def _split(path: str, query: Query) -> tuple[str, list[tuple[str, str]]]:
    path, _, inline = path.partition("?")
    return path or "/", _pairs(inline) + _pairs(query)


def comma_joined(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Payload 2.0 ``queryStringParameters``: one entry per name, repeated values comma-joined."""
    out: dict[str, str] = {}
    for name, value in pairs:
        out[name] = f"{out[name]},{value}" if name in out else value
    return out


def _headers(headers: Mapping[str, Any] | None, host: str, body: bool) -> dict[str, str]:
    out = {"accept": "*/*", "host": host, "user-agent": _UA, "x-forwarded-proto": "https"}
    if body:
        out["content-type"] = "application/json"
    out.update({k.lower(): v for k, v in str_map(headers).items()})
    return out


def _cookie_list(cookies: Mapping[str, str] | None) -> list[str]:
    return [f"{name}={value}" for name, value in (cookies or {}).items()]


def apigw_v2(
    method: str = "GET",
    path: str = "/",
    *,
    query: Query = None,
    headers: Mapping[str, Any] | None = None,
    body: Any = None,
    cookies: Mapping[str, str] | None = None,
    route: str | None = None,
    path_params: Mapping[str, str] | None = None,
    stage: str = "$default",
    source_ip: str = "203.0.113.10",
    authorizer: Mapping[str, Any] | None = None,
    api_id: str = "a1b2c3d4e5",
    domain: str | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API event, payload format 2.0."""
    path, pairs = _split(path, query)
    domain = domain or f"{api_id}.execute-api.{REGION}.amazonaws.com"
    hdrs = _headers(headers, domain, body is not None)
    cookie_list = _cookie_list(cookies)
    text, is_b64 = body_text(body)
    now = time.time()
    query_params = comma_joined(pairs)
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method.upper()} {route}" if route else "$default",
        "rawPath": raw_path,
        "rawQueryString": urlencode(pairs, quote_via=quote),
        "headers": hdrs,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": api_id,
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {
                "method": method.upper(),
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": hdrs.get("user-agent", _UA),
            },
            "requestId": new_id(),
            "routeKey": f"{method.upper()} {route}" if route else "$default",
            "stage": stage,
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": is_b64,
    }
    if cookie_list:
        event["cookies"] = cookie_list
    if query_params:
        event["queryStringParameters"] = query_params
    if path_params:
        event["pathParameters"] = str_map(path_params)
    if body is not None:
        event["body"] = text
    if authorizer is not None:
        event["requestContext"]["authorizer"] = dict(authorizer)
    return event


def function_url(
    method: str = "GET",
    path: str = "/",
    *,
    query: Query = None,
    headers: Mapping[str, Any] | None = None,
    body: Any = None,
    cookies: Mapping[str, str] | None = None,
    source_ip: str = "203.0.113.10",
    url_id: str = "abcdefghijklmnopqrstuvwxyz012345",
) -> dict[str, Any]:
    """A Lambda Function URL request (payload 2.0 on a ``*.lambda-url.*`` domain)."""
    domain = f"{url_id}.lambda-url.{REGION}.on.aws"
    return apigw_v2(
        method,
        path,
        query=query,
        headers=headers,
        body=body,
        cookies=cookies,
        source_ip=source_ip,
        api_id=url_id,
        domain=domain,
    )


def _v1_context(
    method: str, path: str, stage: str, resource: str, source_ip: str, api_id: str
) -> dict[str, Any]:
    now = time.time()
    return {
        "accountId": ACCOUNT,
        "apiId": api_id,
        "domainName": f"{api_id}.execute-api.{REGION}.amazonaws.com",
        "httpMethod": method,
        "identity": {
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "cognitoIdentityId": None,
            "sourceIp": source_ip,
            "user": None,
            "userAgent": _UA,
            "userArn": None,
        },
        "path": f"/{stage}{path}",
        "protocol": "HTTP/1.1",
        "requestId": new_id(),
        "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "requestTimeEpoch": int(now * 1000),
        "resourceId": "a1b2c3",
        "resourcePath": resource,
        "stage": stage,
    }


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out


def apigw_v1(
    method: str = "GET",
    path: str = "/",
    *,
    query: Query = None,
    headers: Mapping[str, Any] | None = None,
    body: Any = None,
    cookies: Mapping[str, str] | None = None,
    resource: str | None = None,
    path_params: Mapping[str, str] | None = None,
    stage: str = "prod",
    source_ip: str = "203.0.113.10",
    authorizer: Mapping[str, Any] | None = None,
    api_id: str = "a1b2c3d4e5",
) -> dict[str, Any]:
    """An API Gateway REST API proxy-integration event (payload format 1.0)."""
    path, pairs = _split(path, query)
    host = f"{api_id}.execute-api.{REGION}.amazonaws.com"
    hdrs = {k.title(): v for k, v in _headers(headers, host, body is not None).items()}
    if cookies:
        hdrs["Cookie"] = "; ".join(_cookie_list(cookies))
    text, is_b64 = body_text(body)
    multi_q = _multi(pairs)
    resource = resource or ("/{proxy+}" if path_params is None else path)
    params = str_map(path_params) if path_params is not None else {"proxy": path.lstrip("/")}
    context = _v1_context(method.upper(), path, stage, resource, source_ip, api_id)
    if authorizer is not None:
        context["authorizer"] = dict(authorizer)
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method.upper(),
        "headers": hdrs,
        "multiValueHeaders": {k: [v] for k, v in hdrs.items()},
        "queryStringParameters": {k: v[-1] for k, v in multi_q.items()} or None,
        "multiValueQueryStringParameters": multi_q or None,
        "pathParameters": params or None,
        "stageVariables": None,
        "requestContext": context,
        "body": text if body is not None else None,
        "isBase64Encoded": is_b64,
    }


def alb(
    method: str = "GET",
    path: str = "/",
    *,
    query: Query = None,
    headers: Mapping[str, Any] | None = None,
    body: Any = None,
    cookies: Mapping[str, str] | None = None,
    multi_value: bool = False,
    source_ip: str = "203.0.113.10",
) -> dict[str, Any]:
    """An Application Load Balancer target-group request, single- or multi-value headers."""
    path, pairs = _split(path, query)
    hdrs = _headers(headers, "my-alb-1234567890.us-east-1.elb.amazonaws.com", body is not None)
    hdrs.setdefault("x-forwarded-for", source_ip)
    hdrs.setdefault("x-forwarded-port", "443")
    hdrs.setdefault("x-amzn-trace-id", f"Root=1-{int(time.time()):08x}-{new_id()[:24]}")
    if cookies:
        hdrs["cookie"] = "; ".join(_cookie_list(cookies))
    text, is_b64 = body_text(body)
    # ALB passes the query string through still percent-encoded.
    encoded = [(quote(k, safe=""), quote(v, safe="")) for k, v in pairs]
    event: dict[str, Any] = {
        "requestContext": {
            "elb": {
                "targetGroupArn": f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:"
                "targetgroup/lambda-target/0123456789abcdef"
            }
        },
        "httpMethod": method.upper(),
        "path": path,
        "body": text if body is not None else "",
        "isBase64Encoded": is_b64,
    }
    if multi_value:
        event["multiValueQueryStringParameters"] = _multi(encoded)
        event["multiValueHeaders"] = {k: [v] for k, v in hdrs.items()}
    else:
        event["queryStringParameters"] = dict(encoded)
        event["headers"] = hdrs
    return event
