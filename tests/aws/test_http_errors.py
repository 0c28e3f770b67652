"""Bad input on the Lambda path: typed faaskit errors or native 400s, never KeyError/TypeError."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

import faaskit
from faaskit.exceptions import InvalidEventError, UnsupportedEventError
from tests.aws.http_helpers import FakeLambdaContext, capture, fixture

SOURCES = ["apigw_v1_iam", "apigw_v2_iam", "alb_single", "alb_multi", "function_url_iam"]
NOT_EVENTS: list[Any] = [{}, [], None, "GET /", 42, {"hello": "world"}, [{"httpMethod": "GET"}]]


def _status_and_json(native: dict[str, Any]) -> tuple[int, Any]:
    body = native["body"]
    raw = base64.b64decode(body) if native["isBase64Encoded"] else body.encode()
    return native["statusCode"], json.loads(raw)


@faaskit.handler
def echo_body(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, str]:
    return {"body": req.text}


@faaskit.handler
def echo_json(req: faaskit.HttpRequest, ctx: faaskit.Context) -> Any:
    return req.json()


@faaskit.handler
def ignore_body(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, str]:
    return {"path": req.path}


@pytest.mark.parametrize("event", NOT_EVENTS, ids=repr)
def test_not_an_event_is_unsupported(event: Any) -> None:
    with pytest.raises(UnsupportedEventError) as info:
        ignore_body(event, FakeLambdaContext())
    assert "raw=True" in str(info.value)
    assert not isinstance(info.value, KeyError | TypeError)


@pytest.mark.parametrize("event", NOT_EVENTS, ids=repr)
def test_not_an_event_is_unsupported_with_every_family_loaded(event: Any) -> None:
    from faaskit_aws.adapter import decoders

    decoders()
    with pytest.raises(UnsupportedEventError):
        ignore_body(event, FakeLambdaContext())


def test_unknown_event_error_names_the_shape() -> None:
    with pytest.raises(UnsupportedEventError) as info:
        ignore_body({"weird": 1, "shape": 2}, FakeLambdaContext())
    assert "shape" in str(info.value) and "weird" in str(info.value)


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("apigw_v1_iam", "apigw-v1"),
        ("apigw_v2_iam", "apigw-v2"),
        ("function_url_iam", "function-url"),
    ],
)
def test_missing_request_context(name: str, source: str) -> None:
    event = fixture(name)
    del event["requestContext"]
    if source == "function-url":
        # Without its requestContext a Function URL event is indistinguishable from HTTP API v2.
        source = "apigw-v2"
    with pytest.raises(InvalidEventError) as info:
        ignore_body(event, FakeLambdaContext())
    assert info.value.field == "requestContext"
    assert info.value.source == source


@pytest.mark.parametrize(
    ("name", "mutate", "field"),
    [
        ("apigw_v1_iam", lambda e: e.update(httpMethod=None), "httpMethod"),
        ("apigw_v1_iam", lambda e: e.update(httpMethod=7), "httpMethod"),
        ("apigw_v1_iam", lambda e: e.update(path=["/x"]), "path"),
        ("apigw_v1_iam", lambda e: e.update(body={"a": 1}), "body"),
        ("apigw_v1_iam", lambda e: e.update(pathParameters=["x"]), "pathParameters"),
        ("apigw_v2_iam", lambda e: e["requestContext"].pop("http"), "requestContext.http"),
        (
            "apigw_v2_iam",
            lambda e: e["requestContext"]["http"].pop("method"),
            "requestContext.http.method",
        ),
        ("apigw_v2_iam", lambda e: e.update(rawPath=5), "path"),
        ("alb_single", lambda e: e.pop("httpMethod"), "httpMethod"),
        ("alb_single", lambda e: e.update(body=b"bytes?"), "body"),
    ],
)
def test_malformed_fields_name_the_field(name: str, mutate: Any, field: str) -> None:
    event = fixture(name)
    mutate(event)
    with pytest.raises(InvalidEventError) as info:
        echo_body(event, FakeLambdaContext())
    assert info.value.field == field


@pytest.mark.parametrize("name", SOURCES)
def test_body_flagged_base64_that_is_not_base64_answers_400(name: str) -> None:
    event = fixture(name)
    event.update(body="this is *not* base64!", isBase64Encoded=True)
    native = echo_body(event, FakeLambdaContext())
    status, body = _status_and_json(native)
    assert status == 400
    assert "base64" in body["message"]
    assert ("statusDescription" in native) == name.startswith("alb")


@pytest.mark.parametrize("name", SOURCES)
def test_bad_base64_body_does_not_matter_to_a_handler_that_ignores_it(name: str) -> None:
    event = fixture(name)
    event.update(body="not base64!", isBase64Encoded=True)
    assert ignore_body(event, FakeLambdaContext())["statusCode"] == 200


@pytest.mark.parametrize("name", SOURCES)
@pytest.mark.parametrize("body", ["{not json", "", None])
def test_json_on_a_body_that_is_not_json_answers_400(name: str, body: str | None) -> None:
    event = fixture(name)
    event.update(body=body, isBase64Encoded=False)
    status, answer = _status_and_json(echo_json(event, FakeLambdaContext()))
    assert status == 400
    assert "JSON" in answer["message"]


def test_odd_header_and_query_containers_do_not_crash() -> None:
    event = fixture("apigw_v1_iam")
    event.update(headers=["not", "a", "mapping"], multiValueHeaders=None)
    event.update(queryStringParameters={"n": 5}, multiValueQueryStringParameters=None)
    req, _, _ = capture(event)
    assert len(req.headers) == 0
    assert req.query["n"] == "5"


def test_vpc_lattice_shaped_event_is_unsupported() -> None:
    event = {
        "version": "2.0",
        "path": "/x",
        "method": "GET",
        "headers": {"host": ["svc.example"]},
        "body": "",
        "isBase64Encoded": False,
        "requestContext": {
            "serviceNetworkArn": "arn:aws:vpc-lattice:us-east-2:123456789012:servicenetwork/sn-1",
            "serviceArn": "arn:aws:vpc-lattice:us-east-2:123456789012:service/svc-1",
        },
    }
    with pytest.raises(UnsupportedEventError):
        ignore_body(event, FakeLambdaContext())


def _authorizer_v1() -> dict[str, Any]:
    event = fixture("apigw_v1_iam")
    event.update(type="REQUEST", methodArn="arn:aws:execute-api:eu-west-1:1:api/dev/POST/admin")
    return event


def _authorizer_v2() -> dict[str, Any]:
    event = fixture("apigw_v2_iam")
    event.update(type="REQUEST", routeArn="arn:aws:execute-api:us-west-2:1:api/staging/POST/x")
    return event


def _bedrock_agent() -> dict[str, Any]:
    return {
        "messageVersion": "1.0",
        "agent": {"name": "a", "id": "A1", "alias": "TST", "version": "DRAFT"},
        "actionGroup": "orders",
        "apiPath": "/orders/{id}",
        "httpMethod": "GET",
        "sessionId": "s-1",
        "inputText": "where is my order",
    }


@pytest.mark.parametrize("make", [_authorizer_v1, _authorizer_v2, _bedrock_agent])
def test_http_lookalikes_are_not_http_requests(make: Any) -> None:
    from faaskit_aws.http import DECODERS

    event = make()
    assert not [d.source for d in DECODERS if d.recognise(event)]
    with pytest.raises(UnsupportedEventError):
        ignore_body(event, FakeLambdaContext())
