"""faaskit_azure.http on the worker's wire: principals, Set-Cookie headers, decoded paths."""

from __future__ import annotations

import base64
import json
from typing import Any

import azure.functions as func
import pytest

import faaskit
from faaskit._multidict import Headers
from faaskit_azure.http import principal
from tests.azure.helpers import invoke


def _principal(document: Any) -> Any:
    encoded = base64.b64encode(json.dumps(document).encode()).decode()
    return principal(Headers.lazy({"x-ms-client-principal": encoded}, lambda d: d.items()))


@pytest.mark.parametrize("claims", [5, True, 1.5])
def test_a_principal_whose_claims_are_not_a_list_is_a_bad_request(claims: Any) -> None:
    with pytest.raises(faaskit.BadRequestError, match="claims"):
        _principal({"auth_typ": "aad", "claims": claims})


def test_a_principal_with_a_null_id_claim_has_no_id_rather_than_the_text_none() -> None:
    found = _principal({"claims": [{"typ": "oid", "val": None}, {"typ": "sub", "val": "u-1"}]})
    assert found.id == "u-1"


def test_a_repeated_claim_whose_first_value_is_a_list_keeps_each_value() -> None:
    found = _principal({"claims": [{"typ": "a", "val": [1]}, {"typ": "a", "val": 2}]})
    assert found.claims["a"] == [[1], 2]


# The worker turns each Set-Cookie header into an RpcHttpCookie through http.cookies.SimpleCookie
# (azure.functions.http.HttpResponseConverter), which silently drops a cookie whose value holds
# a space, a quote or non-ASCII text; AWS sends the same header verbatim.
COOKIE_VALUES = ["plain", "a b", '{"x":1}', "café", '"already quoted"', "a\\b"]


@faaskit.handler(faaskit.http("GET", "/cookies"))
def set_cookies(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    cookies: dict[str, Any] = {f"c{i}": value for i, value in enumerate(COOKIE_VALUES)}
    cookies["flagged"] = faaskit.Cookie(value="a b", path="/", http_only=True, max_age=60)
    return faaskit.Response("ok", cookies=cookies)


def _worker_cookies(response: Any) -> dict[str, Any]:
    from azure.functions.http import HttpResponseConverter

    datum = HttpResponseConverter.encode(response, expected_type=None)
    return {name: morsel for jar in datum.value["cookies"] for name, morsel in jar.items()}


def test_every_cookie_survives_the_workers_set_cookie_parsing() -> None:
    request = func.HttpRequest("GET", "http://localhost/api/cookies", body=b"")
    cookies = _worker_cookies(invoke(set_cookies, request))
    expected = {f"c{i}": value for i, value in enumerate(COOKIE_VALUES)}
    expected["c4"] = "already quoted"  # a quoted cookie-value means its inner text
    expected["flagged"] = "a b"
    assert {name: morsel.value for name, morsel in cookies.items()} == expected
    assert cookies["flagged"]["path"] == "/"
    assert cookies["flagged"]["httponly"] is True
    assert cookies["flagged"]["max-age"] == "60"


@faaskit.handler(faaskit.http("GET", "/header-cookies"))
def header_cookies(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    return faaskit.Response("ok", headers={"Set-Cookie": ["s=a b; Path=/; HttpOnly", "p=1"]})


def test_set_cookie_headers_given_as_headers_survive_too() -> None:
    request = func.HttpRequest("GET", "http://localhost/api/header-cookies", body=b"")
    cookies = _worker_cookies(invoke(header_cookies, request))
    assert {name: morsel.value for name, morsel in cookies.items()} == {"s": "a b", "p": "1"}
    assert (cookies["s"]["path"], cookies["s"]["httponly"]) == ("/", True)


# AWS hands faaskit a decoded path (API Gateway v1 decodes it, the v2 and ALB decoders
# unquote rawPath); the Azure request URL is percent-encoded.
@faaskit.handler(faaskit.http("GET", "/files/{name}"))
def file_path(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    return {"path": req.path, "params": req.path_params}


def test_the_request_path_is_decoded_as_on_aws() -> None:
    request = func.HttpRequest(
        "GET", "http://localhost/api/files/a%20b%C3%A9", body=b"", route_params={"name": "a bé"}
    )
    response = invoke(file_path, request)
    assert json.loads(response.get_body()) == {"path": "/files/a bé", "params": {"name": "a bé"}}


def test_a_decoded_path_still_matches_the_route_when_the_host_gives_no_parameters() -> None:
    request = func.HttpRequest("GET", "http://localhost/api/files/a%20b", body=b"")
    response = invoke(file_path, request)
    assert json.loads(response.get_body()) == {"path": "/files/a b", "params": {"name": "a b"}}
