"""Paths as each AWS shape delivers them (decisions and sources in docs/architecture.md):
percent-encoded on REST APIs, ALB and Function URLs, so ``/files/a%2Fb`` fits
``/files/{name}`` with ``name == "a/b"`` and non-ASCII routes fit their encoded form; decoded
on HTTP APIs, whose stage is stripped only on the ``execute-api`` endpoint. ALB single-value
header mode answers 500 at once when a response sets more cookies than it can carry.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
from faaskit import Context, HttpRequest, Response
from faaskit.testing import aws_event, invoke

ENCODED_SHAPES = [
    ("apigw-v1", {}),
    ("function-url", {}),
    ("alb", {}),
    ("alb", {"multi_value": True}),
]


def _files(route: str = "/files/{name}") -> Any:
    @faaskit.handler(faaskit.http("GET", route))
    def files(req: HttpRequest, ctx: Context) -> dict[str, Any]:
        return {"params": dict(req.path_params), "path": req.path}

    return files


def _call(handler: Any, shape: str, path: str, **fields: Any) -> tuple[int, Any]:
    raw = invoke(handler, aws_event(shape, method="GET", path=path, **fields), platform="aws")
    return raw["statusCode"], json.loads(raw["body"])


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
        lambda n: n not in (".", "..")
    ),
    case=st.sampled_from(ENCODED_SHAPES),
)
def test_an_encoded_parameter_keeps_its_slashes_and_percents(
    name: str, case: tuple[str, dict[str, Any]]
) -> None:
    shape, fields = case
    status, body = _call(_files(), shape, "/files/" + quote(name, safe=""), **fields)
    assert status == 200
    assert body["params"]["name"] == name
    assert body["path"] == "/files/" + name


@pytest.mark.parametrize(("shape", "fields"), ENCODED_SHAPES)
def test_a_slash_encoded_in_a_segment_matches_one_parameter(shape: str, fields: Any) -> None:
    status, body = _call(_files(), shape, "/files/a%2Fb", **fields)
    assert (status, body["params"]["name"], body["path"]) == (200, "a/b", "/files/a/b")
    status, _ = _call(_files(), shape, "/files/a/b", **fields)
    assert status == 404  # a real separator is two segments


@pytest.mark.parametrize(("shape", "fields"), ENCODED_SHAPES)
def test_a_non_ascii_route_matches_the_encoded_path(shape: str, fields: Any) -> None:
    handler = _files("/café/{name}")
    status, body = _call(handler, shape, "/caf%C3%A9/cr%C3%A8me%20br%C3%BBl%C3%A9e", **fields)
    assert (status, body["params"]["name"]) == (200, "crème brûlée")


def test_a_non_ascii_route_matches_the_decoded_http_api_path() -> None:
    status, body = _call(_files("/café/{name}"), "apigw-v2", "/café/x")
    assert (status, body["params"]) == (200, {"name": "x"})


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", "/users"),
        ("api.example.com", "/v1/users"),
    ],
)
def test_http_api_stage_is_stripped_only_on_the_execute_api_endpoint(
    domain: str, expected: str
) -> None:
    @faaskit.handler
    def where(req: HttpRequest, ctx: Context) -> str:
        return req.path

    event = aws_event("apigw-v2", method="GET", path="/users", stage="v1", domain=domain)
    assert event["rawPath"] == "/v1/users"
    assert invoke(where, event, platform="aws")["body"] == expected


def test_a_route_named_like_the_stage_behind_a_custom_domain_matches() -> None:
    handler = _files("/v1/users/{name}")
    event = aws_event(
        "apigw-v2", method="GET", path="/users/ada", stage="v1", domain="api.example.com"
    )
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/v1/users/ada"
    raw = invoke(handler, event, platform="aws")
    assert json.loads(raw["body"])["params"] == {"name": "ada"}


def _cookies(count: int) -> Any:
    @faaskit.handler
    def many(req: HttpRequest, ctx: Context) -> Response:
        return Response("ok", cookies={f"c{i}": str(i) for i in range(count)})

    return many


@pytest.mark.parametrize("count", [513, 2_000])
def test_alb_single_value_mode_with_too_many_cookies_answers_500(
    count: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="faaskit"):
        raw = invoke(_cookies(count), aws_event("alb", path="/"), platform="aws")
    assert raw["statusCode"] == 500
    assert json.loads(raw["body"]) == {"message": "Internal Server Error"}
    assert not any(k.lower() == "set-cookie" for k in raw["headers"])
    assert "multi-value headers" in caplog.text


@pytest.mark.parametrize("count", [1, 512])
def test_alb_single_value_mode_carries_up_to_512_cookies(count: int) -> None:
    raw = invoke(_cookies(count), aws_event("alb", path="/"), platform="aws")
    names = [k for k in raw["headers"] if k.lower() == "set-cookie"]
    assert len(set(names)) == count
    assert sorted(raw["headers"][n] for n in names) == sorted(f"c{i}={i}" for i in range(count))


def test_alb_multi_value_mode_carries_any_number_of_cookies() -> None:
    raw = invoke(_cookies(2_000), aws_event("alb", path="/", multi_value=True), platform="aws")
    assert len(raw["multiValueHeaders"]["Set-Cookie"]) == 2_000
