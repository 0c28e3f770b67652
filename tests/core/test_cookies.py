"""Request cookies (parsing) and response cookies (Set-Cookie rendering)."""

from __future__ import annotations

import datetime as dt

from faaskit import Cookie
from faaskit._request_cookies import Cookies, parse_cookies


def test_cookie_header_is_split_into_pairs() -> None:
    assert parse_cookies(["a=1; b=2", "c=3"]) == {"a": "1", "b": "2", "c": "3"}


def test_name_value_items_as_in_a_v2_cookies_array() -> None:
    assert parse_cookies(["session=abc", "theme=dark"]) == {"session": "abc", "theme": "dark"}


def test_lenient_like_browsers() -> None:
    parsed = parse_cookies(['  a = 1 ;flag; =nameless; q="quoted"; b=x=y; a=2'])
    assert parsed == {"a": "1", "q": "quoted", "b": "x=y"}


def test_empty_values_are_kept() -> None:
    assert parse_cookies(["empty="]) == {"empty": ""}


def test_lazy_cookies_mapping() -> None:
    read: list[str] = []

    class Source:
        def __iter__(self):  # type: ignore[no-untyped-def]
            read.append("read")
            return iter(["a=1; b=2"])

    cookies = Cookies(Source())
    assert read == []
    assert cookies["a"] == "1"
    assert dict(cookies) == {"a": "1", "b": "2"}
    assert read == ["read"]
    assert cookies == {"a": "1", "b": "2"}
    assert len(cookies) == 2


def test_plain_cookie_header() -> None:
    assert Cookie(value="v").header("n") == "n=v"


def test_cookie_with_every_attribute() -> None:
    cookie = Cookie(
        value="abc",
        path="/app",
        domain="example.com",
        expires=dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
        max_age=3600,
        secure=True,
        http_only=True,
        same_site="Strict",
    )
    assert cookie.header("sid") == (
        "sid=abc; Path=/app; Domain=example.com; Expires=Wed, 02 Jan 2030 03:04:05 GMT; "
        "Max-Age=3600; Secure; HttpOnly; SameSite=Strict"
    )


def test_naive_expiry_is_taken_as_utc() -> None:
    header = Cookie(value="v", expires=dt.datetime(2030, 1, 2, 3, 4, 5)).header("n")
    assert "Expires=Wed, 02 Jan 2030 03:04:05 GMT" in header


def test_aware_expiry_in_another_zone_is_converted_to_gmt() -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    header = Cookie(value="v", expires=dt.datetime(2030, 1, 2, 5, 4, 5, tzinfo=plus_two)).header(
        "n"
    )
    assert "Expires=Wed, 02 Jan 2030 03:04:05 GMT" in header


def test_values_that_are_not_text_are_skipped() -> None:
    assert parse_cookies([None, 5, "a=1"]) == {"a": "1"}  # type: ignore[list-item]
