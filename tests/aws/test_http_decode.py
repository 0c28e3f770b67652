"""Decoding the four AWS HTTP wire shapes into HttpRequest, on the project's own fixtures."""

from __future__ import annotations

import pytest

import faaskit
from tests.aws.http_helpers import capture, fixture


def test_rest_api_v1_with_cognito_authorizer() -> None:
    req, _, _ = capture(fixture("apigw_v1_cognito"))
    assert isinstance(req, faaskit.HttpRequest)
    assert req.method == "PUT"
    assert req.path == "/orders/o-17"  # requestContext.path carries the stage, path does not
    assert req.route == "/orders/{order_id}"
    assert dict(req.path_params) == {"order_id": "o-17"}
    assert req.query.getall("color") == ["red", "blue"]
    assert req.query.get("color") == "red"
    assert req.query["q"] == "a b&c"
    assert req.headers.getall("x-tag") == ["red", "blue"]
    assert req.headers.get("X-TAG") == "red"
    assert req.headers["content-type"] == "application/octet-stream"
    assert dict(req.cookies) == {"session": "abc123", "theme": "dark"}
    assert req.body == bytes([0, 1, 2, 0xFD, 0xFE, 0xFF])
    assert req.source_ip == "198.51.100.7"
    assert req.request_id == "8f2b0c8e-1d9a-4f51-9a11-3c2f1b7e6d5a"
    assert req.principal is not None
    assert req.principal.provider == "cognito"
    assert req.principal.id == "7d8ca528-4931-4254-9273-ea5ee853f271"
    assert req.principal.claims["email"] == "alice@example.com"


def test_rest_api_v1_with_lambda_authorizer_and_greedy_proxy() -> None:
    req, _, _ = capture(fixture("apigw_v1_lambda_authorizer"))
    assert req.method == "GET"
    assert req.path == "/reports/2026/q4"
    assert req.route is None  # a catch-all proxy says nothing about the handler's route
    assert dict(req.path_params) == {"proxy": "reports/2026/q4"}
    assert len(req.query) == 0
    assert req.body == b""
    assert req.principal is not None
    assert req.principal.provider == "lambda"
    assert req.principal.id == "user|a1b2"
    assert dict(req.principal.claims) == {"tenant": "acme", "role": "admin"}


def test_rest_api_v1_with_iam_identity() -> None:
    req, _, _ = capture(fixture("apigw_v1_iam"))
    assert req.json() == {"action": "rotate"}
    assert req.principal is not None
    assert req.principal.provider == "iam"
    assert req.principal.id == "arn:aws:sts::123456789012:assumed-role/deployer/session"
    assert req.principal.claims["accountId"] == "123456789012"
    assert "sourceIp" not in req.principal.claims  # network facts are not identity claims
    assert req.source_ip == "192.0.2.44"


def test_rest_api_v1_api_key_identity() -> None:
    event = fixture("apigw_v1_iam")
    identity = event["requestContext"]["identity"]
    identity.update(userArn=None, apiKeyId="k3y1d", apiKey="secret-key-value")
    req, _, _ = capture(event)
    assert req.principal.provider == "api-key"
    assert req.principal.id == "k3y1d"
    assert "secret-key-value" not in repr(req.principal)


def test_rest_api_v1_no_authorizer_gives_no_principal() -> None:
    event = fixture("apigw_v1_cognito")
    event["requestContext"]["authorizer"] = {"claims": None, "scopes": None}
    req, _, _ = capture(event)
    assert req.principal is None


def test_rest_api_v1_single_values_fill_in_what_multi_value_lacks() -> None:
    event = fixture("apigw_v1_iam")
    event["headers"]["Origin"] = "https://example.com"
    event["queryStringParameters"]["extra"] = "1"
    req, _, _ = capture(event)
    assert req.headers.get("origin") == "https://example.com"
    assert req.query.get("extra") == "1"
    assert req.headers.getall("content-type") == ["application/json"]


def test_http_api_v2_with_jwt_and_named_stage() -> None:
    req, _, _ = capture(fixture("apigw_v2_jwt"))
    assert req.method == "GET"
    assert req.path == "/items/42"  # "/prod" stripped
    assert req.route == "/items/{item_id}"
    assert dict(req.path_params) == {"item_id": "42"}
    # rawQueryString is the truth: "tag" repeats and one value holds an encoded comma.
    assert req.query.getall("tag") == ["a", "b,c"]
    assert req.query["q"] == "hello world"
    assert req.query["empty"] == ""
    assert req.headers.get("X-Multi") == "one,two"  # v2 joins repeated headers with commas
    assert dict(req.cookies) == {"session": "abc123", "theme": "dark"}
    assert req.body == b""
    assert req.source_ip == "198.51.100.23"
    assert req.request_id == "JKJaXmPLvHcESHA="
    assert req.principal is not None
    assert req.principal.provider == "jwt"
    assert req.principal.id == "2f3c9a1e-aaaa-4bbb-8ccc-1234567890ab"
    assert req.principal.claims["scopes"] == ["items/read"]
    assert req.principal.claims["client_id"] == "3n4b5urk1ft4fl3mg5e62d9ado"


def test_http_api_v2_with_lambda_authorizer_and_base64_body() -> None:
    req, _, _ = capture(fixture("apigw_v2_lambda_authorizer"))
    assert req.method == "POST"
    assert req.path == "/events"
    assert req.json() == {"event": "signup"}
    assert req.content_type == "application/json"
    assert dict(req.cookies) == {}
    assert req.principal.provider == "lambda"
    assert req.principal.id == "svc-ingest"
    assert dict(req.principal.claims) == {"tenant": "acme", "tier": "gold"}


def test_http_api_v2_with_iam_authorizer() -> None:
    req, _, _ = capture(fixture("apigw_v2_iam"))
    assert req.path == "/jobs/run"
    assert req.route is None  # $default route
    assert req.query["wait"] == "1"
    assert req.principal.provider == "iam"
    assert req.principal.id == "arn:aws:sts::123456789012:assumed-role/runner/job"
    assert req.principal.claims["accountId"] == "123456789012"


def test_http_api_v2_stage_prefix_only_stripped_on_a_segment_boundary() -> None:
    event = fixture("apigw_v2_iam")
    event["rawPath"] = "/stagingarea/x"
    req, _, _ = capture(event)
    assert req.path == "/stagingarea/x"
    event["rawPath"] = "/staging"
    req, _, _ = capture(event)
    assert req.path == "/"


def test_http_api_v2_path_arrives_decoded_and_is_not_decoded_twice() -> None:
    # HTTP APIs decode the path before routing (docs/architecture.md, "Decisions"): a "%" in
    # rawPath is one the client sent as %25.
    event = fixture("apigw_v2_iam")
    event["rawPath"] = "/staging/files/café 100%25"
    req, _, _ = capture(event)
    assert req.path == "/files/café 100%25"
    assert req.raw_path is None


def test_alb_single_value_mode_decodes_query_and_path() -> None:
    req, _, _ = capture(fixture("alb_single"))
    assert req.method == "GET"
    assert req.path == "/search/café"
    assert req.route is None
    # ALB hands the query over still percent-encoded; faaskit decodes names and values.
    assert req.query["q"] == "hello world"
    assert req.query["sort by"] == "price asc"
    assert dict(req.cookies) == {"session": "abc123", "theme": "dark"}
    assert req.body == b""
    # ALB appends the peer it saw: the last X-Forwarded-For entry cannot be forged.
    assert req.source_ip == "198.51.100.99"
    # ALB keeps a client's well-formed X-Amzn-Trace-Id: the id is the Lambda request id.
    assert req.request_id == "11111111-2222-4333-8444-555555555555"
    assert req.principal is None


@pytest.mark.parametrize("name", ["alb_single", "alb_multi"])
def test_alb_request_id_never_comes_from_a_client_header(name: str) -> None:
    event = fixture(name)
    forged = "Root=1-00000000-forgedforgedforgedforged"
    if "multiValueHeaders" in event:
        event["multiValueHeaders"]["x-amzn-trace-id"] = [forged]
    else:
        event["headers"]["x-amzn-trace-id"] = forged
    req, ctx, _ = capture(event)
    assert req.request_id == ctx.request_id
    assert req.request_id != forged
    assert req.headers.get("x-amzn-trace-id") == forged


def test_alb_multi_value_mode() -> None:
    req, _, _ = capture(fixture("alb_multi"))
    assert req.method == "POST"
    assert req.query.getall("tag") == ["a/b", "c"]
    assert req.query["name"] == "Jürgen"
    assert req.headers.getall("X-Custom") == ["one", "two"]
    assert dict(req.cookies) == {"session": "abc123", "theme": "dark"}
    assert req.text == "hello alb"
    assert req.source_ip == "198.51.100.5"


def test_alb_oidc_headers_are_not_trusted_as_identity() -> None:
    event = fixture("alb_single")
    event["headers"]["x-amzn-oidc-identity"] = "forged-admin"
    req, _, _ = capture(event)
    assert req.principal is None


def test_function_url_with_iam() -> None:
    req, _, _ = capture(fixture("function_url_iam"))
    assert req.method == "POST"
    assert req.path == "/hooks/deploy"
    assert req.query.getall("env") == ["prod", "dr"]
    assert dict(req.cookies) == {"csrf": "xyz"}
    assert req.json() == {"ref": "main"}
    assert req.principal.provider == "iam"
    assert req.principal.id == "arn:aws:iam::123456789012:user/ci"
    assert req.request_id == "f1e2d3c4-b5a6-4978-8877-665544332211"


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("apigw_v1_cognito", "apigw-v1"),
        ("apigw_v1_lambda_authorizer", "apigw-v1"),
        ("apigw_v1_iam", "apigw-v1"),
        ("apigw_v2_jwt", "apigw-v2"),
        ("apigw_v2_lambda_authorizer", "apigw-v2"),
        ("apigw_v2_iam", "apigw-v2"),
        ("alb_single", "alb"),
        ("alb_multi", "alb"),
        ("function_url_iam", "function-url"),
    ],
)
def test_each_fixture_is_recognised_by_exactly_its_decoder(name: str, source: str) -> None:
    from faaskit_aws.http import DECODERS

    event = fixture(name)
    assert [d.source for d in DECODERS if d.recognise(event)] == [source]


def test_v2_cookie_header_used_when_the_cookies_array_is_absent() -> None:
    event = fixture("apigw_v2_lambda_authorizer")
    event["headers"]["cookie"] = "a=1; b=2"
    req, _, _ = capture(event)
    assert dict(req.cookies) == {"a": "1", "b": "2"}


def test_request_id_falls_back_to_the_lambda_request_id() -> None:
    event = fixture("apigw_v2_iam")
    del event["requestContext"]["requestId"]
    req, ctx, _ = capture(event)
    assert req.request_id == ctx.request_id == "11111111-2222-4333-8444-555555555555"


def test_raw_handler_receives_the_native_event_untouched() -> None:
    from tests.aws.http_helpers import FakeLambdaContext

    event = fixture("apigw_v2_jwt")

    @faaskit.handler(raw=True)
    def passthrough(evt: object, ctx: faaskit.Context) -> object:
        return evt

    assert passthrough(event, FakeLambdaContext()) is event
