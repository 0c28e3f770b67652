"""The Azure HTTP decoder's lean path: fields decoded on first read, URL and query cut without
``urlsplit``/``parse_qsl`` when that gives the same result, the common response built directly.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs
import azure.functions as func
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
from faaskit._routes import Http
from faaskit_azure.http import AzureHttp, _query, _split
from tests.azure.test_http import call, captured

CTX = faaskit.Context(request_id="inv-9", function_name="fn", platform="azure")
URL = "https://shop.azurewebsites.net/api/items/42?q=a&q=b&flag=&x=%2F"
HEADERS = {
    "Cookie": "session=abc; theme=dark",
    "client-ip": "203.0.113.9:5123",
    "X-Forwarded-For": "10.0.0.1, 203.0.113.9:5123",
    "Accept": "application/json",
}


class CountingRequest(func.HttpRequest):
    """A worker request that counts reads of its URL and headers."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reads = {"url": 0, "headers": 0}

    @property
    def url(self) -> str:
        self.reads["url"] += 1
        return str(super().url)

    @property
    def headers(self) -> Any:
        self.reads["headers"] += 1
        return super().headers


def worker(url: str = URL, headers: dict[str, str] | None = None) -> CountingRequest:
    return CountingRequest(
        method="GET",
        url=url,
        headers=HEADERS if headers is None else headers,
        params={"q": "b", "flag": "", "x": "/"},
        route_params={"item_id": "42"},
        body=b"",
    )


def decoder() -> AzureHttp:
    return AzureHttp(Http(methods=("GET",), route="/items/{item_id}"))


def test_decoded_request_equals_the_eagerly_built_one() -> None:
    req = decoder().decode(worker(), CTX)
    expected = faaskit.HttpRequest(
        method="GET",
        path="/items/42",
        route="/items/{item_id}",
        path_params={"item_id": "42"},
        query=faaskit.MultiDict([("q", "a"), ("q", "b"), ("flag", ""), ("x", "/")]),
        headers=faaskit.Headers({k.lower(): v for k, v in HEADERS.items()}),
        cookies={"session": "abc", "theme": "dark"},
        body=b"",
        source_ip="203.0.113.9",
        request_id="inv-9",
    )
    assert req == expected
    assert attrs.evolve(req, method="HEAD").path == "/items/42"


def test_url_and_headers_are_decoded_only_when_a_field_needs_them() -> None:
    raw = worker()
    req = decoder().decode(raw, CTX)
    at_decode = dict(raw.reads)
    assert at_decode["url"] <= 1  # looked at, not split
    assert req.path_params == {"item_id": "42"}
    assert raw.reads == at_decode
    assert req.path == "/items/42"
    assert req.path == "/items/42"  # kept once resolved
    assert raw.reads["url"] == at_decode["url"] + 1
    assert req.source_ip == "203.0.113.9"
    assert req.cookies == {"session": "abc", "theme": "dark"}
    assert req.headers.get("ACCEPT") == "application/json"
    assert raw.reads["headers"] == at_decode["headers"] + 3


@pytest.mark.parametrize("url", ["http://[::1/api/items/1", "https://hé.example/api/items/1"])
def test_a_url_urlsplit_may_refuse_is_split_at_decode(url: str) -> None:
    raw = worker(url=url)
    try:
        expected: Any = urlsplit(url).path.removeprefix("/api")
    except ValueError:
        expected = faaskit.BadRequestError
    if expected is faaskit.BadRequestError:
        with pytest.raises(faaskit.BadRequestError, match="URL is malformed"):
            decoder().decode(raw, CTX)
    else:
        assert decoder().decode(raw, CTX).path == expected


def test_a_handler_that_reads_nothing_still_answers() -> None:
    handler, seen = captured()
    assert call(handler, worker(headers={})).status_code == 204
    (req,) = seen
    assert (req.path, req.source_ip, dict(req.cookies), len(req.headers)) == (
        "/items/42",
        None,
        {},
        0,
    )


_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
_urls = st.builds(
    lambda scheme, host, path, query, tail: f"{scheme}{host}{path}{query}{tail}",
    st.sampled_from(
        ["https://", "http://", "HTTPS://", "Http://", "", "//", "ftp://", " https://"]
    ),
    st.sampled_from(["h.azurewebsites.net", "localhost:7071", "[::1]:7071", "", "a@b", "[x"]),
    st.one_of(st.just(""), _text.map(lambda t: "/" + t)),
    st.one_of(st.just(""), _text.map(lambda t: "?" + t)),
    st.sampled_from(["", "#frag", "\t", " ", "é", "\n"]),
)


@settings(max_examples=500, deadline=None)
@given(_urls)
def test_property_url_cut_like_urlsplit(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        with pytest.raises(ValueError):
            _split(url)
        return
    assert _split(url) == (parts.path, parts.query)


_query_text = st.text(st.characters(min_codepoint=32, max_codepoint=0x24F), max_size=30)


@settings(max_examples=500, deadline=None)
@given(_query_text)
def test_property_query_parsed_like_parse_qsl(query: str) -> None:
    url = "https://h/api/x?" + query
    raw = func.HttpRequest(method="GET", url=url, headers={}, params={}, body=b"")
    try:
        expected = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    except ValueError:
        return
    assert list(_query(raw)) == expected


@pytest.mark.parametrize(
    ("result", "mimetype", "charset", "content_type"),
    [
        ({"a": 1}, "application/json", "utf-8", "application/json"),
        ("hé", "text/plain", "utf-8", "text/plain; charset=utf-8"),
        (b"\x00", "application/octet-stream", "utf-8", "application/octet-stream"),
        (
            faaskit.Response(b"x", content_type="text/csv; charset=latin-1"),
            "text/csv",
            "latin-1",
            "text/csv; charset=latin-1",
        ),
        (faaskit.Response(b"x"), "application/octet-stream", "utf-8", "application/octet-stream"),
    ],
)
def test_common_responses_carry_mimetype_charset_and_content_type(
    result: Any, mimetype: str, charset: str, content_type: str
) -> None:
    response = decoder().encode(
        faaskit.Response.json(result) if isinstance(result, dict) else _response(result), worker()
    )
    assert (response.mimetype, response.charset) == (mimetype, charset)
    assert response.headers.get_all("Content-Type") == [content_type]


def _response(result: Any) -> faaskit.Response:
    from faaskit._response import to_response

    return to_response(result)


def test_an_empty_response_has_no_content_type() -> None:
    response = decoder().encode(faaskit.Response(status=204), worker())
    assert response.status_code == 204
    assert "Content-Type" not in response.headers
