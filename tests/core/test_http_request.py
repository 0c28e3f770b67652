"""HttpRequest: body access, JSON, content type, CloudEvents, Principal."""

from __future__ import annotations

import base64

import attrs
import pytest

import faaskit
from faaskit import BadRequestError, Headers, HttpRequest, MultiDict, Principal
from faaskit._http import InvalidBody


def _req(**fields: object) -> HttpRequest:
    return HttpRequest(method="POST", path="/orders", **fields)  # type: ignore[arg-type]


def test_defaults() -> None:
    req = HttpRequest(method="GET", path="/")
    assert req.route is None
    assert dict(req.path_params) == {}
    assert len(req.query) == 0 and len(req.headers) == 0
    assert dict(req.cookies) == {}
    assert req.body == b""
    assert req.source_ip is None and req.principal is None and req.request_id is None


def test_text_and_json() -> None:
    req = _req(body='{"n": 1, "s": "é"}'.encode())
    assert req.text == '{"n": 1, "s": "é"}'
    assert req.json() == {"n": 1, "s": "é"}


def test_text_replaces_invalid_utf8() -> None:
    assert _req(body=b"ok\xff").text == "ok\ufffd"


@pytest.mark.parametrize("body", [b"", b"{not json", b"\xff\xfe"])
def test_json_on_a_body_that_is_not_json_is_a_400(body: bytes) -> None:
    with pytest.raises(BadRequestError) as info:
        _req(body=body).json()
    assert info.value.status == 400
    assert isinstance(info.value, ValueError)


def test_an_undecodable_body_raises_400_when_read() -> None:
    req = _req(body=InvalidBody("request body is flagged base64 but is not valid base64"))
    for read in (lambda: req.body, lambda: req.text, req.json):
        with pytest.raises(BadRequestError, match="base64"):
            read()
    assert req.method == "POST"  # everything else stays readable


def test_content_type_without_parameters() -> None:
    req = _req(headers=Headers({"Content-Type": "Application/JSON; charset=utf-8"}))
    assert req.content_type == "application/json"
    assert _req().content_type is None


def test_frozen_and_evolvable() -> None:
    req = _req(body=b"x")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        req.path = "/other"  # type: ignore[misc]
    moved = attrs.evolve(req, route="/orders")
    assert moved.route == "/orders" and moved.body == b"x"


def test_equality_ignores_raw() -> None:
    assert _req(body=b"x", raw={"a": 1}) == _req(body=b"x", raw={"b": 2})


def test_to_cloudevent_with_json_body() -> None:
    req = _req(
        body=b'{"id": 7}',
        headers=Headers({"content-type": "application/json"}),
        request_id="req-1",
        query=MultiDict({"q": "1"}),
    )
    event = req.to_cloudevent()
    assert event["specversion"] == "1.0"
    assert event["id"] == "req-1"
    assert event["source"] == "/orders"
    assert event["type"] == "io.faaskit.http.request"
    assert event["data"] == {"id": 7}
    assert event["datacontenttype"] == "application/json"
    assert event["httpmethod"] == "post"


def test_to_cloudevent_with_binary_and_text_bodies() -> None:
    binary = _req(body=b"\x00\x01", headers=Headers({"content-type": "image/png"}))
    assert base64.b64decode(binary.to_cloudevent()["data_base64"]) == b"\x00\x01"
    text = _req(body=b"hello", headers=Headers({"content-type": "text/plain"}))
    assert text.to_cloudevent()["data"] == "hello"
    empty = HttpRequest(method="GET", path="/").to_cloudevent()
    assert "data" not in empty and "data_base64" not in empty


def test_principal() -> None:
    p = Principal(id="u1", claims={"email": "a@example.com"}, provider="jwt")
    assert (p.id, p.claims["email"], p.provider) == ("u1", "a@example.com", "jwt")
    assert Principal(id=None).provider == "unknown"
    assert Principal(id=None).claims == {}
    assert p == Principal(id="u1", claims={"email": "a@example.com"}, provider="jwt")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        p.id = "other"  # type: ignore[misc]
    assert faaskit.Principal is Principal
