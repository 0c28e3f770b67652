"""Declared routes on the Lambda path: path parameters, greedy routes, 404 and 405."""

from __future__ import annotations

import json
from typing import Any

import faaskit
from tests.aws.http_helpers import capture, fixture


def _v2(path: str, method: str = "GET", route_key: str = "$default") -> dict[str, Any]:
    event = fixture("apigw_v2_iam")
    event["rawPath"] = f"/staging{path}"
    event["routeKey"] = route_key
    event["requestContext"]["http"]["method"] = method
    return event


def test_declared_route_fills_path_params_behind_a_default_route() -> None:
    req, _, native = capture(_v2("/items/42"), faaskit.http("GET", "/items/{item_id}"))
    assert native["statusCode"] == 200
    assert req.route == "/items/{item_id}"
    assert dict(req.path_params) == {"item_id": "42"}


def test_greedy_route_behind_a_rest_api_proxy() -> None:
    event = fixture("apigw_v1_lambda_authorizer")  # resource /{proxy+}, path /reports/2026/q4
    req, _, native = capture(event, faaskit.http("GET", "/reports/{rest+}"))
    assert native["statusCode"] == 200
    assert req.path_params["rest"] == "2026/q4"
    assert req.route == "/reports/{rest+}"


def test_gateway_route_that_differs_from_the_declared_one_is_matched_again() -> None:
    event = fixture("apigw_v1_lambda_authorizer")
    event["resource"] = "/reports/{proxy+}"
    event["pathParameters"] = {"proxy": "2026/q4"}
    req, _, _ = capture(event, faaskit.http("GET", "/reports/{year}/{quarter}"))
    assert req.path_params["year"] == "2026"
    assert req.path_params["quarter"] == "q4"


def test_gateway_route_equal_to_the_declared_one_is_trusted() -> None:
    req, _, _ = capture(fixture("apigw_v2_jwt"), faaskit.http("GET", "/items/{item_id}"))
    assert dict(req.path_params) == {"item_id": "42"}


def test_path_that_cannot_fill_the_route_is_404() -> None:
    req, _, native = capture(_v2("/other/42"), faaskit.http("GET", "/items/{item_id}"))
    assert req is None
    assert native["statusCode"] == 404
    assert "/other/42" in json.loads(native["body"])["message"]


def test_wrong_method_is_405_with_allow() -> None:
    trigger = faaskit.http(["GET", "PUT"], "/items/{item_id}")
    req, _, native = capture(_v2("/items/42", method="DELETE"), trigger)
    assert req is None
    assert native["statusCode"] == 405
    assert native["headers"]["Allow"] == "GET, PUT"


def test_any_method_route_takes_every_method() -> None:
    for method in ("GET", "POST", "PATCH"):
        req, _, native = capture(_v2("/x", method=method), faaskit.http("ANY", "/x"))
        assert native["statusCode"] == 200
        assert req.method == method


def test_trailing_slash_still_matches() -> None:
    req, _, native = capture(_v2("/items/42/"), faaskit.http("GET", "/items/{item_id}"))
    assert native["statusCode"] == 200
    assert req.path_params["item_id"] == "42"


def test_route_check_on_alb_and_function_url() -> None:
    alb = fixture("alb_single")  # GET /search/café
    req, _, _ = capture(alb, faaskit.http("GET", "/search/{term}"))
    assert req.path_params["term"] == "café"
    url = fixture("function_url_iam")  # POST /hooks/deploy
    _, _, native = capture(url, faaskit.http("GET", "/hooks/{name}"))
    assert native["statusCode"] == 405
