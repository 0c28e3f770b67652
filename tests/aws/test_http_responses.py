"""HTTP results through the AWS adapter: bodies that must travel base64, invalid JSON,
unsafe headers.
"""

from __future__ import annotations

import asyncio
from typing import Any

import faaskit
from faaskit._context import local_context
from faaskit._http import HttpRequest


def _v2_event(path: str = "/data") -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": f"GET {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "example.com"},
        "requestContext": {
            "http": {"method": "GET", "path": path, "sourceIp": "192.0.2.1"},
            "requestId": "req-1",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }


def test_json_response_whose_body_is_not_utf8_is_sent_base64() -> None:
    """API Gateway v2 encoding: a JSON body in another encoding (UTF-16 here) must travel as
    base64 rather than crash the invocation after the handler ran.
    """
    import base64

    body = '{"a":1}'.encode("utf-16")

    @faaskit.handler(faaskit.http("GET", "/data"))
    def data(req: Any, ctx: Any) -> faaskit.Response:
        return faaskit.Response(body, content_type="application/json")

    out = data(_v2_event(), None)
    assert out["statusCode"] == 200
    assert out["isBase64Encoded"] is True
    assert base64.b64decode(out["body"]) == body


def test_http_error_with_header_injection_becomes_a_500() -> None:
    """An HTTPError whose headers cannot be sent is a handler bug: a 500 with the request id,
    never an exception out of the Lambda handler nor a split header.
    """
    import json

    @faaskit.handler(faaskit.http("GET", "/data"))
    def data(req: Any, ctx: Any) -> None:
        raise faaskit.HTTPError(400, "bad", headers={"X-Reason": "a\r\nSet-Cookie: admin=1"})

    out = data(_v2_event(), None)
    assert out["statusCode"] == 500
    assert json.loads(out["body"])["request_id"]
    assert "admin=1" not in json.dumps(out)

    @faaskit.handler(faaskit.http("GET", "/data"))
    async def adata(req: Any, ctx: Any) -> None:
        raise faaskit.HTTPError(400, "bad", headers={"X-Reason": "a\r\nb"})

    from faaskit._run import arun_http

    req = HttpRequest(method="GET", path="/data", route="/data", request_id="r-2")
    response = asyncio.run(arun_http(adata, req, local_context("adata")))
    assert response.status == 500


def _strict_json(text: str) -> Any:
    import json

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_bodies_are_always_valid_json() -> None:
    """NaN and Infinity are not JSON (RFC 8259): a body holding them must never be sent."""

    @faaskit.handler(faaskit.http("GET", "/data"))
    def data(req: Any, ctx: Any) -> dict[str, float]:
        return {"mean": float("nan"), "max": float("inf")}

    out = data(_v2_event(), None)
    _strict_json(out["body"])
    assert out["statusCode"] == 500
