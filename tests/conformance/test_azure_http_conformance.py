"""Conformance: the corpus's Azure HTTP invocations, turned into ``func.HttpRequest`` the way the
Python worker does (``RpcHttp`` -> ``Datum`` -> the ``httpTrigger`` converter), then normalized
by faaskit and checked field by field against the raw payload.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import azure.functions as func
import pytest
from azure.functions.http import HttpResponseConverter
from azure.functions.meta import Datum

import faaskit
import faaskit_azure
from faaskit._context import Context
from faaskit_azure.http import AzureHttp
from tests.corpus import available, iter_azure_fixtures, load, params

CTX = Context(request_id="invocation-1", function_name="fn", platform="azure")


def worker_request(http: dict[str, Any], body: Datum) -> func.HttpRequest:
    """What ``Datum.from_typed_data`` and the ``httpTrigger`` converter make of an RpcHttp."""
    value = {
        "method": Datum(http["method"], "string"),
        "url": Datum(http["url"], "string"),
        "headers": {k: Datum(v, "string") for k, v in http["headers"].items()},
        "body": body,
        "params": {k: Datum(v, "string") for k, v in http["params"].items()},
        "query": {k: Datum(v, "string") for k, v in http["query"].items()},
    }
    converter = func.get_binding_registry().get("httpTrigger")
    request: func.HttpRequest = converter.decode(Datum(value, "http"), trigger_metadata={})
    return request


def from_custom_handler(payload: dict[str, Any]) -> tuple[dict[str, Any], Datum]:
    """The host's ``Data.req`` (custom-handler form) as RpcHttp fields: one value per header
    (the host joins repeated headers with commas) and per query name."""
    req = payload["Data"]["req"]
    query = req.get("Query") or {}
    if isinstance(query, str):
        query = json.loads(query)
    http = {
        "method": req["Method"],
        "url": req["Url"],
        "headers": {
            k: ", ".join(v) if isinstance(v, list) else v for k, v in req["Headers"].items()
        },
        "params": dict(req.get("Params") or {}),
        "query": {k: ",".join(v) if isinstance(v, list) else v for k, v in query.items()},
    }
    body = req.get("Body")
    return http, Datum(body, "string") if body else Datum(b"", "bytes")


def check(request: faaskit.HttpRequest, http: dict[str, Any], body: bytes) -> None:
    url = urlsplit(http["url"])
    assert request.method == http["method"].upper()
    assert "/api/" + request.path.lstrip("/") == url.path
    assert request.path_params == http["params"]
    expected_query = parse_qsl(url.query, keep_blank_values=True) or list(http["query"].items())
    assert request.query.multi_items() == expected_query
    for name, value in http["headers"].items():
        assert request.headers.getall(name) == [value]
    assert len(request.headers) == len(http["headers"])
    assert request.body == body
    if request.content_type == "application/json":
        assert request.json() == json.loads(body)
    # The platform writes client-ip, else appends its peer to X-Forwarded-For (the last entry).
    written = request.headers.get("client-ip") or request.headers.get("x-forwarded-for")
    assert request.source_ip == (written.split(",")[-1].strip() if written else None)
    assert request.request_id == CTX.request_id
    assert request.principal is None


@pytest.mark.parametrize("rel", params(platform="azure", kind="http"))
def test_host_http_payload(rel: str) -> None:
    payload = load(rel)
    http, body = from_custom_handler(payload)
    raw = worker_request(http, body)
    request = AzureHttp().decode(raw, CTX)
    check(request, http, raw.get_body())
    assert request.body == (payload["Data"]["req"].get("Body") or "").encode()


def _worker_http() -> dict[str, Any] | None:
    return next(
        (f for f in iter_azure_fixtures() if isinstance(f, dict) and f["binding"] == "httpTrigger"),
        None,
    )


@pytest.mark.skipif(not available() or _worker_http() is None, reason="no Azure corpus")
def test_worker_level_http_invocation() -> None:
    fixture = _worker_http()
    assert fixture is not None
    value = dict(fixture["data"]["value"])
    raw_body = value.pop("body")
    body = base64.b64decode(raw_body["value_b64"]) if "value_b64" in raw_body else raw_body["value"]
    raw = worker_request(value, Datum(body, raw_body["type"]))
    request = AzureHttp().decode(raw, CTX)
    check(request, value, body if isinstance(body, bytes) else body.encode())

    # The same invocation through a registered function and back out through the converter.
    path = urlsplit(value["url"]).path.removeprefix("/api")
    names = {v: k for k, v in value["params"].items()}
    route = "/" + "/".join(
        "{" + names[p] + "}" if p in names else p for p in path.strip("/").split("/")
    )

    @faaskit.handler(faaskit.http(value["method"], route), name="conformance_fn")
    def handler(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
        return faaskit.Response.json(
            {"params": dict(req.path_params), "body": req.json()},
            status=201,
            cookies={"seen": "1"},
        )

    (function,) = faaskit_azure.function_app(handler).get_functions()
    response = function.get_user_function()(req=raw, context=None)
    datum = HttpResponseConverter.encode(response, expected_type=None)
    assert datum.value["status_code"].value == "201"
    assert json.loads(datum.value["body"].value) == {
        "params": value["params"],
        "body": json.loads(body),
    }
    assert [c.output(header="").strip() for c in datum.value["cookies"]] == ["seen=1"]
