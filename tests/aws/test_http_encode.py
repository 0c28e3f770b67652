"""Native responses: each AWS source gets its own exact response shape."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

import faaskit
from faaskit import Cookie, Response
from tests.aws.http_helpers import FakeLambdaContext, fixture, respond

ALL = ["apigw_v1_iam", "apigw_v2_iam", "alb_single", "alb_multi", "function_url_iam"]


def _headers(native: dict[str, Any]) -> dict[str, list[str]]:
    """Lower-cased name -> every value, whichever header field the shape uses."""
    out: dict[str, list[str]] = {}
    for name, values in native.get("multiValueHeaders", {}).items():
        out.setdefault(name.lower(), []).extend(values)
    for name, value in native.get("headers", {}).items():
        out.setdefault(name.lower(), []).append(value)
    return out


def _body(native: dict[str, Any]) -> bytes:
    if native["isBase64Encoded"]:
        return base64.b64decode(native["body"])
    return str(native["body"]).encode()


def _set_cookies(native: dict[str, Any]) -> list[str]:
    return list(native.get("cookies", [])) + _headers(native).get("set-cookie", [])


def test_rest_api_v1_shape() -> None:
    native = respond(
        fixture("apigw_v1_iam"),
        Response("hi", status=201, headers={"X-Many": ["a", "b"]}, cookies={"s": "1"}),
    )
    assert set(native) == {"statusCode", "multiValueHeaders", "body", "isBase64Encoded"}
    assert native["statusCode"] == 201
    assert native["multiValueHeaders"]["X-Many"] == ["a", "b"]
    assert native["multiValueHeaders"]["Set-Cookie"] == ["s=1"]
    assert native["multiValueHeaders"]["Content-Type"] == ["text/plain; charset=utf-8"]
    assert native["body"] == "hi"
    assert native["isBase64Encoded"] is False


@pytest.mark.parametrize("name", ["apigw_v2_iam", "function_url_iam"])
def test_payload_v2_shape_uses_the_cookies_array(name: str) -> None:
    cookie = Cookie(value="v", path="/", http_only=True, secure=True, same_site="Lax")
    native = respond(
        fixture(name),
        Response("hi", headers={"X-Many": ["a", "b"]}, cookies={"s": "1", "t": cookie}),
    )
    assert set(native) == {"statusCode", "headers", "body", "isBase64Encoded", "cookies"}
    assert native["headers"]["X-Many"] == "a, b"  # one value per name in payload 2.0
    assert native["cookies"] == ["s=1", "t=v; Path=/; Secure; HttpOnly; SameSite=Lax"]
    assert not any(k.lower() == "set-cookie" for k in native["headers"])


def test_payload_v2_plain_json() -> None:
    native = respond(fixture("apigw_v2_iam"), {"a": 1})
    assert native["statusCode"] == 200
    assert native["headers"] == {"Content-Type": "application/json"}
    assert json.loads(native["body"]) == {"a": 1}
    assert native["isBase64Encoded"] is False
    assert "cookies" not in native


def test_alb_single_value_mode_shape() -> None:
    native = respond(
        fixture("alb_single"),
        Response("x", status=404, cookies={"a": "1", "b": "2", "c": "3"}),
    )
    assert set(native) == {"statusCode", "statusDescription", "headers", "body", "isBase64Encoded"}
    assert native["statusDescription"] == "404 Not Found"
    assert all(isinstance(v, str) for v in native["headers"].values())
    # Three Set-Cookie headers survive single-value mode under differently cased names.
    names = [k for k in native["headers"] if k.lower() == "set-cookie"]
    assert len(names) == len(set(names)) == 3
    assert sorted(native["headers"][k] for k in names) == ["a=1", "b=2", "c=3"]


def test_alb_multi_value_mode_shape() -> None:
    native = respond(
        fixture("alb_multi"),
        Response("x", headers={"X-Many": ["a", "b"]}, cookies={"a": "1", "b": "2"}),
    )
    assert set(native) == {
        "statusCode",
        "statusDescription",
        "multiValueHeaders",
        "body",
        "isBase64Encoded",
    }
    assert native["statusDescription"] == "200 OK"
    assert native["multiValueHeaders"]["Set-Cookie"] == ["a=1", "b=2"]
    assert native["multiValueHeaders"]["X-Many"] == ["a", "b"]


def test_alb_unknown_status_still_has_a_description() -> None:
    native = respond(fixture("alb_single"), Response("x", status=599))
    assert native["statusDescription"].startswith("599")


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(
    ("result", "status", "media", "body"),
    [
        ({"k": [1, 2]}, 200, "application/json", b'{"k":[1,2]}'),
        ([1, "two"], 200, "application/json", b'[1,"two"]'),
        ("plain", 200, "text/plain; charset=utf-8", b"plain"),
        (b"\x00\xffbin", 200, "application/octet-stream", b"\x00\xffbin"),
        (None, 204, None, b""),
        (
            Response(b"<a/>", status=202, content_type="application/xml"),
            202,
            "application/xml",
            b"<a/>",
        ),
        (("made", 201), 201, "text/plain; charset=utf-8", b"made"),
    ],
)
def test_return_value_rules(
    name: str, result: Any, status: int, media: str | None, body: bytes
) -> None:
    native = respond(fixture(name), result)
    assert native["statusCode"] == status
    assert _body(native) == body
    assert _headers(native).get("content-type") == ([media] if media else None)


@pytest.mark.parametrize("name", ALL)
def test_binary_bodies_travel_base64(name: str) -> None:
    payload = bytes(range(256))
    native = respond(fixture(name), Response(payload, content_type="image/png"))
    assert native["isBase64Encoded"] is True
    assert base64.b64decode(native["body"]) == payload


@pytest.mark.parametrize("name", ALL)
def test_text_content_type_with_undecodable_bytes_still_travels_safely(name: str) -> None:
    native = respond(fixture(name), Response(b"\xff\xfe", content_type="text/plain"))
    assert native["isBase64Encoded"] is True
    assert base64.b64decode(native["body"]) == b"\xff\xfe"


@pytest.mark.parametrize("name", ALL)
def test_cookies_reach_every_shape(name: str) -> None:
    native = respond(fixture(name), Response("x", cookies={"a": "1", "b": "2"}))
    assert sorted(_set_cookies(native)) == ["a=1", "b=2"]


@pytest.mark.parametrize("name", ALL)
def test_http_error_becomes_its_response(name: str) -> None:
    @faaskit.handler
    def teapot(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
        raise faaskit.HTTPError(418, "short and stout", headers={"X-Why": "tea"})

    native = teapot(fixture(name), FakeLambdaContext())
    assert native["statusCode"] == 418
    assert json.loads(_body(native)) == {"message": "short and stout"}
    assert _headers(native)["x-why"] == ["tea"]


@pytest.mark.parametrize("name", ALL)
def test_unhandled_exception_is_a_500_with_the_request_id_and_no_traceback(name: str) -> None:
    @faaskit.handler
    def broken(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
        raise RuntimeError("secret-internal-detail")

    native = broken(fixture(name), FakeLambdaContext(request_id="req-500"))
    assert native["statusCode"] == 500
    text = _body(native).decode()
    assert json.loads(text)["request_id"] == "req-500"
    for leak in ("Traceback", "secret-internal-detail", "RuntimeError", 'File "'):
        assert leak not in text
