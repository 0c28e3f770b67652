"""``faaskit.http(..., body=Schema)``: the body is validated before the handler runs, the
handler reads ``req.body_model``, and a 400 lists every field error, on both adapter paths.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any, Literal, TypedDict

import attrs
import pytest

import faaskit
from faaskit.testing import aws_event, invoke


@attrs.frozen
class Line:
    sku: str
    quantity: int


@attrs.frozen
class Order:
    customer: str
    lines: list[Line]
    note: str | None = None
    priority: Literal["low", "high"] = "low"


class OrderDict(TypedDict):
    customer: str
    total: float


ORDER_SCHEMA = {
    "type": "object",
    "properties": {"customer": {"type": "string", "minLength": 1}, "total": {"type": "number"}},
    "required": ["customer", "total"],
    "additionalProperties": False,
}


def _seen(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    model = req.body_model
    if attrs.has(type(model)):
        return {"type": type(model).__name__, "value": attrs.asdict(model)}
    return {"type": type(model).__name__, "value": model}


attrs_handler = faaskit.handler(faaskit.http("POST", "/orders", body=Order), name="orders")(_seen)
typed_handler = faaskit.handler(faaskit.http("POST", "/orders", body=OrderDict), name="typed")(
    _seen
)
json_handler = faaskit.handler(faaskit.http("POST", "/orders", body=ORDER_SCHEMA), name="js")(_seen)


def call(handler: Any, body: Any, platform: str) -> tuple[int, Any]:
    raw = body if isinstance(body, str) else json.dumps(body)
    if platform == "aws":
        event = aws_event("apigw-v2", method="POST", path="/orders", body=raw)
        response = invoke(handler, event, platform="aws")
        return response["statusCode"], json.loads(response["body"])
    from faaskit.testing.sources import event, find

    spec = event(find("http", "azure"), method="POST", path="/orders", body=raw)
    response = invoke(handler, spec, platform="azure")
    return response.status_code, json.loads(response.get_body())


PLATFORMS = pytest.mark.parametrize("platform", ["aws", "azure"])


@PLATFORMS
def test_an_attrs_schema_hands_the_handler_an_instance(platform: str) -> None:
    body = {"customer": "ada", "lines": [{"sku": "pen", "quantity": 2}], "priority": "high"}
    status, seen = call(attrs_handler, body, platform)
    assert status == 200
    assert seen == {
        "type": "Order",
        "value": {**body, "note": None, "lines": [{"sku": "pen", "quantity": 2}]},
    }


@PLATFORMS
def test_every_field_error_is_listed(platform: str) -> None:
    body = {"lines": [{"sku": 7, "quantity": "2"}], "priority": "urgent", "extra": 1}
    status, answer = call(attrs_handler, body, platform)
    assert status == 400
    fields = {e["field"]: e["message"] for e in answer["errors"]}
    assert fields == {
        "customer": "is required",
        "extra": "is not a known field",
        "lines[0].sku": "must be a string",
        "lines[0].quantity": "must be an integer",
        "priority": "must be one of ['low', 'high']",
    }
    assert "customer" in answer["message"]


@PLATFORMS
def test_a_typed_dict_schema_gives_the_checked_dict(platform: str) -> None:
    assert call(typed_handler, {"customer": "ada", "total": 3}, platform) == (
        200,
        {"type": "dict", "value": {"customer": "ada", "total": 3}},
    )
    status, answer = call(typed_handler, {"customer": True}, platform)
    assert status == 400
    assert {e["field"] for e in answer["errors"]} == {"customer", "total"}


@PLATFORMS
def test_a_json_schema_dict_is_checked_by_jsonschema(platform: str) -> None:
    assert call(json_handler, {"customer": "ada", "total": 1.5}, platform)[0] == 200
    status, answer = call(json_handler, {"customer": "", "total": "x", "more": 1}, platform)
    assert status == 400
    assert len(answer["errors"]) == 3
    assert {e["field"] for e in answer["errors"]} >= {"customer", "total"}


@PLATFORMS
def test_a_body_that_is_not_json_is_a_400(platform: str) -> None:
    status, answer = call(attrs_handler, "{not json", platform)
    assert status == 400
    assert "not valid JSON" in answer["message"]


def test_booleans_are_not_numbers() -> None:
    status, answer = call(typed_handler, {"customer": "ada", "total": True}, "aws")
    assert status == 400
    assert answer["errors"] == [{"field": "total", "message": "must be a number"}]


def test_an_unsupported_schema_is_refused_at_declaration() -> None:
    with pytest.raises(faaskit.ConfigurationError, match="body schema must be"):
        faaskit.http("POST", "/x", body=int)


def test_an_invalid_json_schema_is_named_on_first_use() -> None:
    handler = faaskit.handler(faaskit.http("POST", "/orders", body={"type": 12}), name="bad")(_seen)
    event = aws_event("apigw-v2", method="POST", path="/orders", body="{}")
    with pytest.raises(faaskit.ConfigurationError, match="invalid JSON Schema"):
        handler.trigger.body_schema.validate({})
    assert invoke(handler, event, platform="aws")["statusCode"] == 500


def test_jsonschema_loads_only_when_a_json_schema_route_gets_a_request() -> None:
    code = (
        "import sys, faaskit\n"
        "h = faaskit.handler(faaskit.http('POST', '/x', body={'type': 'object'}))(lambda r, c: 1)\n"
        "assert 'jsonschema' not in sys.modules, 'declared'\n"
        "h.trigger.body_schema.validate({})\n"
        "assert 'jsonschema' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_json_schema_of_an_attrs_class() -> None:
    schema = faaskit.http("POST", "/orders", body=Order).body_schema
    assert schema is not None
    document = schema.json_schema()
    assert document["required"] == ["customer", "lines"]
    assert document["properties"]["lines"]["items"]["properties"]["quantity"] == {"type": "integer"}
    assert document["properties"]["priority"] == {"enum": ["low", "high"]}
