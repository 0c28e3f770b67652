"""The common ``azure.functions.HttpResponse`` is assembled field by field: it must be what the
library's constructor gives, to the object and to the worker, and the constructor must take
over when the library stores its fields some other way.
"""

from __future__ import annotations

from typing import Any

import azure.functions as func
import pytest
from azure.functions.http import HttpResponseConverter

from faaskit_azure import _http_response
from faaskit_azure._http_response import _assembler, _constructed, _fields, _probe

CASES = [
    (b'{"a":1}', 200, "application/json", None, "application/json"),
    (b"h\xc3\xa9", 201, "text/plain", "utf-8", "text/plain; charset=utf-8"),
    (b"\x00\xff", 200, "application/octet-stream", None, "application/octet-stream"),
    (b"x", 418, "text/csv", "latin-1", "text/csv; charset=latin-1"),
    (b"", 204, None, None, None),
    (bytearray(b"raw"), 200, "a/b", None, "a/b"),
]


def _wire(response: Any) -> Any:
    datum = HttpResponseConverter.encode(response, expected_type=None).value
    headers = {name: value.value for name, value in datum["headers"].items()}
    return datum["status_code"].value, headers, datum["body"].value, datum["cookies"]


@pytest.mark.parametrize("case", CASES)
def test_the_assembled_response_is_the_constructed_one(case: tuple[Any, ...]) -> None:
    assembled = _assembler()(*case)
    constructed = _constructed(*case)
    assert _fields(assembled) == _fields(constructed)
    assert type(assembled.get_body()) is bytes
    assert _wire(assembled) == _wire(constructed)


def test_assembled_responses_share_no_headers() -> None:
    assemble = _assembler()
    first, second = (assemble(*CASES[0]) for _ in range(2))
    first.headers.add("X-Only", "first")
    assert "X-Only" not in second.headers
    assert second.headers.get_all("Content-Type") == ["application/json"]


def test_the_assembler_is_chosen_for_this_library() -> None:
    assert _probe() is not _constructed


class _OtherStorage(func.HttpResponse):
    """A release of the library that keeps one more field than the assembler sets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra = True


def test_a_library_that_stores_fields_otherwise_gets_the_constructor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(func, "HttpResponse", _OtherStorage)
    assert _probe() is _constructed
    monkeypatch.setattr(_http_response, "_build", [])
    built = _http_response.native_response(_response())
    assert type(built) is _OtherStorage and built.extra
    assert built.headers.get_all("Content-Type") == ["application/json"]


def test_a_library_without_the_headers_class_gets_the_constructor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import azure.functions._http as library

    monkeypatch.delattr(library, "HttpResponseHeaders")
    assert _probe() is _constructed


def _response() -> Any:
    import faaskit

    return faaskit.Response.json({"a": 1})
