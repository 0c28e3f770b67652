"""Route templates and the HTTP route checks (404, 405) of the shared semantics."""

from __future__ import annotations

import json
from typing import Any

import pytest

import faaskit
from faaskit import Context, HttpRequest
from faaskit._run import run_http

CTX = Context(request_id="req-1", function_name="fn", platform="local")


@pytest.mark.parametrize(
    ("route", "path", "params"),
    [
        ("/", "/", {}),
        ("/items", "/items", {}),
        ("/items", "/items/", {}),
        ("/items", "/items/7", None),
        ("/items", "/itemsx", None),
        ("/items/{item_id}", "/items/7", {"item_id": "7"}),
        ("/items/{item_id}", "/items/7/", {"item_id": "7"}),
        ("/items/{item_id}", "/items/", None),
        ("/items/{item_id}", "/items/7/parts", None),
        ("/a/{x}/b/{y}", "/a/1/b/2", {"x": "1", "y": "2"}),
        ("/files/{path+}", "/files/a/b/c.txt", {"path": "a/b/c.txt"}),
        ("/files/{path+}", "/files/one", {"path": "one"}),
        ("/files/{path+}", "/files/", None),
        ("/{proxy+}", "/anything/at/all", {"proxy": "anything/at/all"}),
        ("/v1.0/items", "/v1x0/items", None),  # dots are literal
        ("/items/{id}.json", "/items/9.json", {"id": "9"}),
    ],
)
def test_route_templates(route: str, path: str, params: dict[str, str] | None) -> None:
    assert faaskit.http("GET", route).match(path) == params


def test_params_in_order() -> None:
    assert faaskit.http("GET", "/a/{x}/b/{rest+}").params == ("x", "rest")


def _handler(trigger: Any) -> Any:
    @faaskit.handler(trigger)
    def body(req: HttpRequest, ctx: Context) -> dict[str, Any]:
        return {"route": req.route, "params": dict(req.path_params)}

    return body


def _run(trigger: Any, path: str, method: str = "GET", **fields: Any) -> tuple[int, Any, Any]:
    response = run_http(_handler(trigger), HttpRequest(method=method, path=path, **fields), CTX)
    return response.status, json.loads(response.body), response


def test_route_fills_path_params() -> None:
    status, body, _ = _run(faaskit.http("GET", "/items/{item_id}"), "/items/42")
    assert status == 200
    assert body == {"route": "/items/{item_id}", "params": {"item_id": "42"}}


def test_greedy_route_fills_the_rest_of_the_path() -> None:
    status, body, _ = _run(faaskit.http("GET", "/files/{path+}"), "/files/a/b.txt")
    assert status == 200
    assert body["params"] == {"path": "a/b.txt"}


def test_path_that_does_not_fit_a_parametrised_route_is_404() -> None:
    status, body, _ = _run(faaskit.http("GET", "/items/{item_id}"), "/users/1")
    assert status == 404
    assert "/users/1" in body["message"]


def test_gateway_supplied_params_are_kept_when_the_route_is_already_known() -> None:
    trigger = faaskit.http("GET", "/items/{item_id}")
    status, body, _ = _run(
        trigger, "/prod/items/42", route="/items/{item_id}", path_params={"item_id": "42"}
    )
    assert status == 200 and body["params"] == {"item_id": "42"}


def test_wrong_method_is_405_with_an_allow_header() -> None:
    status, body, response = _run(faaskit.http(["GET", "POST"], "/x"), "/x", method="DELETE")
    assert status == 405
    assert "DELETE" in body["message"]
    assert response.headers["Allow"] == "GET, POST"


def test_any_allows_every_method() -> None:
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"):
        status, _, _ = _run(faaskit.http("ANY", "/x"), "/x", method=method)
        assert status == 200


def test_bare_handler_has_no_route_checks() -> None:
    status, body, _ = _run(None, "/whatever", method="PURGE")
    assert status == 200 and body == {"route": None, "params": {}}
