"""Response, Response.json and the return-value rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faaskit import Cookie, Response
from faaskit._response import to_response


def test_defaults() -> None:
    r = Response()
    assert (r.body, r.status, dict(r.headers), dict(r.cookies), r.content_type) == (
        b"",
        200,
        {},
        {},
        None,
    )


def test_str_body_is_utf8_text() -> None:
    r = Response("héllo")
    assert r.body == "héllo".encode()
    assert r.content_type == "text/plain; charset=utf-8"
    assert r.text == "héllo"
    assert not r.is_binary


def test_bytes_body_without_a_type_is_binary() -> None:
    assert Response(b"\x00\x01").is_binary


@pytest.mark.parametrize(
    ("media", "binary"),
    [
        ("text/html", False),
        ("application/json", False),
        ("application/problem+json", False),
        ("application/xml", False),
        ("image/svg+xml", False),
        ("application/javascript", False),
        ("application/x-www-form-urlencoded", False),
        ("image/png", True),
        ("application/pdf", True),
        ("application/octet-stream", True),
    ],
)
def test_is_binary_follows_the_media_type(media: str, binary: bool) -> None:
    assert Response(b"data", content_type=media).is_binary is binary
    assert Response(b"data", headers={"content-type": media}).is_binary is binary


def test_empty_body_is_never_binary() -> None:
    assert not Response(b"", content_type="image/png").is_binary


def test_json_response() -> None:
    r = Response.json({"a": [1, 2]}, status=201, headers={"X": "y"}, cookies={"c": "1"})
    assert json.loads(r.body) == {"a": [1, 2]}
    assert r.status == 201
    assert r.content_type == "application/json"
    assert r.header_items() == [("Content-Type", "application/json"), ("X", "y")]
    assert r.set_cookie_headers() == ["c=1"]


def test_json_serialises_common_python_values() -> None:
    @attrs.frozen
    class Point:
        x: int

    @dataclasses.dataclass
    class Plain:
        y: int

    data = {
        "when": dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
        "day": dt.date(2030, 1, 2),
        "point": Point(1),
        "tags": ("a",),
        "price": decimal.Decimal("1.50"),
        "count": decimal.Decimal("3"),
    }
    out = json.loads(Response.json(data).body)
    assert out == {
        "when": "2030-01-02T03:04:05+00:00",
        "day": "2030-01-02",
        "point": {"x": 1},
        "tags": ["a"],
        "price": 1.5,
        "count": 3,
    }
    with pytest.raises(TypeError):
        Response.json({"p": Plain(1)})


def test_header_items_expand_lists_and_keep_an_explicit_content_type() -> None:
    r = Response(
        b"x", content_type="text/plain", headers={"Content-Type": "text/csv", "V": ["1", "2"]}
    )
    assert r.header_items() == [("Content-Type", "text/csv"), ("V", "1"), ("V", "2")]


def test_set_cookie_headers_render_cookie_objects() -> None:
    r = Response(cookies={"a": "1", "b": Cookie(value="2", path="/", http_only=True)})
    assert r.set_cookie_headers() == ["a=1", "b=2; Path=/; HttpOnly"]


def test_response_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Response().status = 500  # type: ignore[misc]


@pytest.mark.parametrize("status", [99, 1000, -200, "200", 200.0, True, None])
def test_bad_status_is_refused(status: Any) -> None:
    with pytest.raises(ValueError):
        Response(status=status)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"headers": {"X": "a\r\nSet-Cookie: evil=1"}},
        {"headers": {"X\n": "a"}},
        {"headers": {"X": ["ok", "b\nc"]}},
        {"headers": {"X": 5}},
        {"cookies": {"a": "1; Domain=evil.example"}},
        {"cookies": {"a=b": "1"}},
        {"cookies": {"": "1"}},
        {"cookies": {"a": Cookie(value="1", path="/\r\nX: y")}},
        {"content_type": "text/plain\r\nX: y"},
    ],
)
def test_header_and_cookie_injection_is_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Response("x", **kwargs)


def test_body_of_another_type_is_refused() -> None:
    with pytest.raises(TypeError):
        Response(123)  # type: ignore[arg-type]


# --- return-value rules ------------------------------------------------------------------


def test_dict_and_list_are_json_200() -> None:
    for value in ({"a": 1}, [1, 2], {}, []):
        r = to_response(value)
        assert r.status == 200
        assert r.content_type == "application/json"
        assert json.loads(r.body) == value


def test_str_is_text_plain() -> None:
    r = to_response("hi")
    assert (r.status, r.body, r.content_type) == (200, b"hi", "text/plain; charset=utf-8")


@pytest.mark.parametrize("value", [b"\x00bin", bytearray(b"\x00bin"), memoryview(b"\x00bin")])
def test_bytes_are_octet_stream(value: Any) -> None:
    r = to_response(value)
    assert (r.status, r.body, r.content_type) == (200, b"\x00bin", "application/octet-stream")
    assert r.is_binary


def test_none_is_204_without_a_body() -> None:
    r = to_response(None)
    assert (r.status, r.body, r.content_type) == (204, b"", None)


def test_response_is_returned_as_is() -> None:
    r = Response("x", status=418)
    assert to_response(r) is r


def test_body_and_status_pair() -> None:
    r = to_response(({"created": True}, 201))
    assert r.status == 201 and json.loads(r.body) == {"created": True}


@pytest.mark.parametrize("value", [42, 1.5, object(), {"a", "b"}, ("a", "b")])
def test_other_return_values_are_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        to_response(value)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None)
@given(JSON_VALUES)
def test_json_bodies_are_what_the_standard_encoder_gives(data: Any) -> None:
    standard = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode(data)
    assert Response.json(data).body == standard.encode()
    if isinstance(data, dict | list):
        assert to_response(data).body == standard.encode()


@pytest.mark.parametrize("value", [float("nan"), float("inf"), [float("-inf")]])
def test_json_refuses_values_that_are_not_json(value: Any) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        Response.json({"v": value})


def test_json_refuses_a_circular_value_and_is_not_confused_afterwards() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        Response.json(loop)
    shared = [1]
    assert json.loads(Response.json({"a": shared, "b": shared}).body) == {"a": [1], "b": [1]}
    assert json.loads(Response.json(shared).body) == [1]
