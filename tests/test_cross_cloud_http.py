"""One logical HTTP request through every gateway faaskit supports, via the real adapters.

The request is described once (:data:`LOGICAL`); each wire shape (API Gateway REST v1, HTTP API
v2, ALB in both header modes, Lambda Function URL, Azure Functions) is built from that
description as the platform documents it. Every source must hand the handler the same
``HttpRequest`` fields and answer with an equivalent native response.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import azure.functions as func
import pytest
from azure.functions.http import HttpResponseConverter

import faaskit
import faaskit_azure

LOGICAL: dict[str, Any] = {
    "method": "POST",
    "path": "/items/42",
    "route": "/items/{item_id}",
    "path_params": {"item_id": "42"},
    "query": [("tag", "a"), ("tag", "b"), ("q", "x y")],
    "headers": {"content-type": "application/json", "accept": "application/json", "x-trace": "t1"},
    "cookies": {"session": "abc", "theme": "dark"},
    "body": b'{"qty": 2, "name": "caf\xc3\xa9"}',
    "source_ip": "203.0.113.9",
    "user": "user-1",
}
AWS_REQUEST_ID = "aws-request-1"
AZURE_INVOCATION_ID = "azure-invocation-1"


def _cookie_header() -> str:
    return "; ".join(f"{k}={v}" for k, v in LOGICAL["cookies"].items())


def _multi_query(encode: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in LOGICAL["query"]:
        out.setdefault(name, []).append(quote(value) if encode else value)
    return out


def apigw_v1() -> dict[str, Any]:
    headers = {**LOGICAL["headers"], "cookie": _cookie_header()}
    multi_query = _multi_query(encode=False)
    return {
        "resource": LOGICAL["route"],
        "path": LOGICAL["path"],
        "httpMethod": LOGICAL["method"],
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()},
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": LOGICAL["path_params"],
        "stageVariables": None,
        "requestContext": {
            "resourcePath": LOGICAL["route"],
            "httpMethod": LOGICAL["method"],
            "path": "/prod" + LOGICAL["path"],
            "stage": "prod",
            "requestId": "v1-request",
            "identity": {"sourceIp": LOGICAL["source_ip"], "userAgent": "tests"},
            "authorizer": {"claims": {"sub": LOGICAL["user"], "email": "u@example.com"}},
        },
        "body": LOGICAL["body"].decode(),
        "isBase64Encoded": False,
    }


def apigw_v2(function_url: bool = False) -> dict[str, Any]:
    domain = (
        "abcdefg.lambda-url.us-east-1.on.aws"
        if function_url
        else "api1.execute-api.us-east-1.amazonaws.com"
    )
    stage = "$default" if function_url else "prod"
    raw_path = LOGICAL["path"] if function_url else "/prod" + LOGICAL["path"]
    route_key = "$default" if function_url else f"{LOGICAL['method']} {LOGICAL['route']}"
    context: dict[str, Any] = {
        "accountId": "123456789012",
        "apiId": "api1",
        "domainName": domain,
        "http": {
            "method": LOGICAL["method"],
            "path": raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": LOGICAL["source_ip"],
            "userAgent": "tests",
        },
        "requestId": "v2-request",
        "routeKey": route_key,
        "stage": stage,
    }
    if not function_url:
        context["authorizer"] = {"jwt": {"claims": {"sub": LOGICAL["user"]}, "scopes": None}}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": urlencode(LOGICAL["query"], quote_via=quote),
        "cookies": [f"{k}={v}" for k, v in LOGICAL["cookies"].items()],
        "headers": dict(LOGICAL["headers"]),
        "queryStringParameters": {k: ",".join(v) for k, v in _multi_query(False).items()},
        "requestContext": context,
        "body": base64.b64encode(LOGICAL["body"]).decode(),
        "isBase64Encoded": True,
    }
    if not function_url:
        event["pathParameters"] = LOGICAL["path_params"]
    return event


def alb(multi: bool) -> dict[str, Any]:
    headers = {
        **LOGICAL["headers"],
        "cookie": _cookie_header(),
        "x-forwarded-for": LOGICAL["source_ip"],
    }
    query = _multi_query(encode=True)
    event: dict[str, Any] = {
        "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:tg"}},
        "httpMethod": LOGICAL["method"],
        "path": LOGICAL["path"],
        "body": LOGICAL["body"].decode(),
        "isBase64Encoded": False,
    }
    if multi:
        event["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
        event["multiValueQueryStringParameters"] = query
    else:  # one value per name: ALB keeps the last
        event["headers"] = headers
        event["queryStringParameters"] = {k: v[-1] for k, v in query.items()}
    return event


def azure_request() -> func.HttpRequest:
    token = {"auth_typ": "aad", "claims": [{"typ": "name", "val": "U"}], "name_typ": "name"}
    headers = {
        **LOGICAL["headers"],
        "cookie": _cookie_header(),
        "x-forwarded-for": f"{LOGICAL['source_ip']}:50123",
        "x-ms-client-principal": base64.b64encode(json.dumps(token).encode()).decode(),
        "x-ms-client-principal-id": LOGICAL["user"],
        "x-ms-client-principal-idp": "aad",
    }
    query = urlencode(LOGICAL["query"], quote_via=quote)
    return func.HttpRequest(
        method=LOGICAL["method"],
        url=f"https://app.azurewebsites.net/api{LOGICAL['path']}?{query}",
        headers=headers,
        params={k: v[-1] for k, v in _multi_query(False).items()},
        route_params=LOGICAL["path_params"],
        body=LOGICAL["body"],
    )


class LambdaContext:
    aws_request_id = AWS_REQUEST_ID
    function_name = "items"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:items"

    def get_remaining_time_in_millis(self) -> int:
        return 3000


class AzureContext:
    invocation_id = AZURE_INVOCATION_ID
    function_name = "items"
    trace_context = None


SOURCES: dict[str, Callable[[], Any]] = {
    "apigw-v1": apigw_v1,
    "apigw-v2": apigw_v2,
    "function-url": lambda: apigw_v2(function_url=True),
    "alb-multi": lambda: alb(multi=True),
    "alb-single": lambda: alb(multi=False),
    "azure": azure_request,
}
# Function URLs authenticate by IAM only (none here); ALB OIDC headers are not trusted unsigned.
NO_PRINCIPAL = {"function-url", "alb-multi", "alb-single"}
LAST_QUERY_VALUE = {"alb-single"}  # the mode keeps one value per query name


def send(source: str, handler: faaskit.Handler) -> Any:
    """The native response of ``handler`` to the logical request as ``source`` delivers it."""
    raw = SOURCES[source]()
    if source != "azure":
        return handler(raw, LambdaContext())
    (function,) = faaskit_azure.function_app(handler).get_functions()
    return function.get_user_function()(req=raw, context=AzureContext())


def make(result: Any, seen: list[faaskit.HttpRequest] | None = None) -> faaskit.Handler:
    @faaskit.handler(faaskit.http(LOGICAL["method"], LOGICAL["route"]), name="items")
    def items(req: faaskit.HttpRequest, ctx: faaskit.Context) -> Any:
        if seen is not None:
            seen.append(req)
        if isinstance(result, BaseException):
            raise result
        return result

    return items


def fields(req: faaskit.HttpRequest) -> dict[str, Any]:
    return {
        "method": req.method,
        "path": req.path,
        "route": req.route,
        "path_params": dict(req.path_params),
        "query": req.query.multi_items(),
        "headers": {name: req.headers.getall(name) for name in LOGICAL["headers"]},
        "cookies": dict(req.cookies),
        "body": req.body,
        "json": req.json(),
        "content_type": req.content_type,
        "source_ip": req.source_ip,
    }


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_same_request_fields(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")  # Azure: the platform set the principal
    seen: list[faaskit.HttpRequest] = []
    send(source, make(None, seen))
    (req,) = seen
    expected = {
        "method": LOGICAL["method"],
        "path": LOGICAL["path"],
        "route": LOGICAL["route"],
        "path_params": LOGICAL["path_params"],
        "query": LOGICAL["query"],
        "headers": {name: [value] for name, value in LOGICAL["headers"].items()},
        "cookies": LOGICAL["cookies"],
        "body": LOGICAL["body"],
        "json": json.loads(LOGICAL["body"]),
        "content_type": "application/json",
        "source_ip": LOGICAL["source_ip"],
    }
    if source in LAST_QUERY_VALUE:
        last = dict(LOGICAL["query"])
        expected["query"] = [(k, last[k]) for k in dict.fromkeys(k for k, _ in LOGICAL["query"])]
    assert fields(req) == expected
    if source in NO_PRINCIPAL:
        assert req.principal is None
    else:
        assert req.principal is not None
        assert req.principal.id == LOGICAL["user"]


def _cookie(header: str) -> tuple[str, frozenset[str]]:
    first, *attributes = (part.strip() for part in header.split(";"))
    return first, frozenset(a.lower() for a in attributes if a)


def native(source: str, response: Any) -> dict[str, Any]:
    """Status, body, content type, cookies and other headers of a native response."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    if source == "azure":
        datum = HttpResponseConverter.encode(response, expected_type=None).value
        status = int(datum["status_code"].value)
        body = datum["body"].value
        headers = {k.lower(): v.value for k, v in datum["headers"].items()}
        cookies = [m.OutputString() for c in datum["cookies"] or () for m in c.values()]
    else:
        status = response["statusCode"]
        body = response.get("body") or ""
        body = base64.b64decode(body) if response.get("isBase64Encoded") else body.encode()
        for name, value in (response.get("headers") or {}).items():
            if name.lower() == "set-cookie":
                cookies.append(value)
            else:
                headers[name.lower()] = value
        for name, values in (response.get("multiValueHeaders") or {}).items():
            if name.lower() == "set-cookie":
                cookies.extend(values)
            else:
                headers[name.lower()] = ", ".join(values)
        cookies.extend(response.get("cookies") or ())
    content_type = headers.pop("content-type", None)
    return {
        "status": status,
        "body": body,
        "content_type": content_type.replace(" ", "").lower() if body else None,
        "cookies": sorted(_cookie(c) for c in cookies),
        "headers": headers,
    }


RESULTS: dict[str, Any] = {
    "dict": {"id": "42", "tags": ["a", "b"]},
    "str": "héllo",
    "bytes": b"\x00\x01\xfe\xff",
    "none": None,
    "response": faaskit.Response(
        "<p>made</p>",
        status=201,
        content_type="text/html; charset=utf-8",
        headers={"X-Version": "7", "X-Many": ["a", "b"]},
        cookies={
            "session": "new",
            "pref": faaskit.Cookie(
                value="dark",
                path="/",
                max_age=3600,
                secure=True,
                http_only=True,
                same_site="Lax",
                expires=dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
            ),
        },
    ),
    "http-error": faaskit.ForbiddenError("not yours", headers={"X-Reason": "owner"}),
    "exception": RuntimeError("database password is hunter2"),
}


@pytest.mark.parametrize("kind", sorted(RESULTS))
def test_equivalent_native_responses(kind: str) -> None:
    answers = {source: native(source, send(source, make(RESULTS[kind]))) for source in SOURCES}
    if kind == "exception":
        for source, answer in answers.items():
            body = json.loads(answer.pop("body"))
            expected_id = AZURE_INVOCATION_ID if source == "azure" else AWS_REQUEST_ID
            assert body.pop("request_id") == expected_id
            assert body == {"message": "Internal Server Error"}
            assert answer["status"] == 500
    reference = answers.pop("azure")
    for source, answer in answers.items():
        assert answer == reference, source
    if kind == "response":
        assert reference["status"] == 201
        assert reference["headers"] == {"x-version": "7", "x-many": "a, b"}
        assert len(reference["cookies"]) == 2
    if kind == "bytes":
        assert reference["body"] == RESULTS["bytes"]
        assert reference["content_type"] == "application/octet-stream"
