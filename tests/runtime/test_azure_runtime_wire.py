"""How the Azure harness types values and routes requests the way the Functions host does.

No runtime needed: these check the host-side conversions the runtime tests rely on.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from faaskit.testing._azure_wire import (
    Typed,
    blob_path_params,
    from_wire,
    http_data,
    match_route,
    to_wire,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text", {"string": "text"}),
        (b"\x00\x01", {"bytes": base64.b64encode(b"\x00\x01").decode()}),
        (3, {"json": "3"}),
        ({"a": [1, 2]}, {"json": '{"a":[1,2]}'}),
        (None, None),
        (Typed(kind="int", value=7), {"int": 7}),
    ],
)
def test_values_are_typed_as_the_host_types_them(value: object, expected: object) -> None:
    assert to_wire(value) == expected


def test_dates_travel_as_json_strings_and_come_back() -> None:
    when = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    wire = to_wire({"at": when})
    assert wire is not None
    assert json.loads(wire["json"]) == {"at": when.isoformat()}
    assert from_wire(wire) == {"at": when.isoformat()}


def test_http_data_follows_the_host_conventions() -> None:
    headers = [("X-Many", "a"), ("x-many", "b"), ("Content-Type", "text/plain")]
    http = http_data("post", "/api/x?q=1&q=2&empty=", headers, b"body", {"id": "7"})["http"]
    assert http["method"] == "POST"
    assert http["url"] == "http://localhost:7071/api/x?q=1&q=2&empty="
    assert http["headers"]["x-many"] == "a,b"
    assert http["headers"]["content-type"] == "text/plain"
    assert http["headers"]["host"] == "localhost:7071"
    assert http["headers"]["content-length"] == "4"
    assert http["query"] == {"q": "1,2"}
    assert http["params"] == {"id": "7"}
    assert from_wire(http["body"]) == b"body"


def test_an_empty_body_is_not_sent() -> None:
    http = http_data("GET", "http://example.test/api/x", None, b"", {})["http"]
    assert "body" not in http
    assert http["headers"] == {"host": "example.test"}


@pytest.mark.parametrize(
    ("template", "path", "expected"),
    [
        ("items/{id}", "/api/items/42", {"id": "42"}),
        ("items/{id}", "/API/Items/42", {"id": "42"}),
        ("items/{id:int}", "/api/items/x", None),
        ("items/{id:int}", "/api/items/-3", {"id": "-3"}),
        ("items/{id?}", "/api/items", {}),
        ("files/{*rest}", "/api/files/a/b/c.txt", {"rest": "a/b/c.txt"}),
        ("items/{id}", "/api/items/1/extra", None),
        ("items", "/items", None),
    ],
)
def test_routes_match_as_the_host_routes(
    template: str, path: str, expected: dict[str, str] | None
) -> None:
    assert match_route(template, "api", path) == expected


def test_an_empty_route_prefix_is_allowed() -> None:
    assert match_route("items/{id}", "", "/items/9") == {"id": "9"}


def test_blob_path_parameters_span_folders() -> None:
    assert blob_path_params("uploads/{name}", "uploads/a/b.txt") == {"name": "a/b.txt"}
    assert blob_path_params("uploads/{stem}.csv", "uploads/q1.csv") == {"stem": "q1"}
    assert blob_path_params("uploads/{name}", "other/a.txt") == {}
