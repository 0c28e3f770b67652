"""Conformance: every AWS ``http`` event of the shared corpus through the Lambda path.

Each normalized field is checked against the raw JSON by logic written here from the AWS
payload documentation, independent of the decoder's own helpers. Skipped without the corpus.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import unquote, unquote_plus

import pytest

import faaskit
from faaskit import Response
from faaskit.exceptions import BadRequestError, UnsupportedEventError
from tests.aws.http_helpers import FakeLambdaContext
from tests.corpus import load, manifest, params

CORE = params(platform="aws", kind="http", tier="core")
EXTENDED = params(platform="aws", kind="http", tier="extended")
LAMBDA_REQUEST_ID = "11111111-2222-4333-8444-555555555555"


def _source(rel: str) -> str:
    return manifest()[rel]["source"]


def _capture(event: Any) -> faaskit.HttpRequest:
    seen: list[Any] = []

    @faaskit.handler
    def capture(req: Any, ctx: Any) -> None:
        seen.append(req)

    native = capture(event, FakeLambdaContext())
    assert native["statusCode"] == 204, native
    assert len(seen) == 1 and isinstance(seen[0], faaskit.HttpRequest)
    return seen[0]


# --- the expected normalization, written from the payload documentation -------------------


def _dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _merge(multi: Any, single: Any, fold: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, values in _dict(multi).items():
        out.setdefault(name.lower() if fold else name, []).extend(values)
    for name, value in _dict(single).items():
        out.setdefault(name.lower() if fold else name, [value])
    return out


def _query_string(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            out.setdefault(unquote_plus(name), []).append(unquote_plus(value))
    return out


def _cookie_pairs(pieces: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for piece in pieces:
        name, eq, value = piece.strip().partition("=")
        if eq and name.strip() and name.strip() not in out:
            out[name.strip()] = value.strip()
    return out


def _expected_principal(rc: dict[str, Any], source: str) -> tuple[str, str | None] | None:
    auth = _dict(rc.get("authorizer"))
    if isinstance(auth.get("jwt"), dict):
        claims = auth["jwt"].get("claims") or {}
        return "jwt", claims.get("sub")
    if isinstance(auth.get("claims"), dict):
        return "cognito", auth["claims"].get("sub") or auth["claims"].get("cognito:username")
    if isinstance(auth.get("iam"), dict):
        return "iam", auth["iam"].get("userArn")
    context = auth.get("lambda") if isinstance(auth.get("lambda"), dict) else auth
    principal_id = context.get("principalId") or auth.get("principalId")
    rest = {k for k, v in context.items() if v is not None} - {
        "principalId",
        "integrationLatency",
        "claims",
        "scopes",
    }
    if principal_id or rest:
        return "lambda", principal_id
    identity = _dict(rc.get("identity"))
    if identity.get("userArn"):
        return "iam", identity["userArn"]
    return None


def _expected(raw: dict[str, Any], source: str) -> dict[str, Any]:
    rc = _dict(raw.get("requestContext"))
    if source == "apigw-v1":
        headers = _merge(raw.get("multiValueHeaders"), raw.get("headers"), True)
        resource = raw.get("resource")
        out = {
            "method": raw["httpMethod"],
            "path": raw["path"],
            "route": None if resource in (None, "/{proxy+}") else resource,
            "query": _merge(
                raw.get("multiValueQueryStringParameters"), raw.get("queryStringParameters"), False
            ),
            "source_ip": _dict(rc.get("identity")).get("sourceIp"),
            "request_id": rc.get("requestId"),
        }
    elif source in ("apigw-v2", "function-url"):
        http = rc["http"]
        path = unquote(raw.get("rawPath") or http["path"])
        stage = rc.get("stage")
        if stage and stage != "$default" and (path + "/").startswith(f"/{stage}/"):
            path = path[len(stage) + 1 :] or "/"
        route = (raw.get("routeKey") or "").partition(" ")[2] or None
        raw_query = raw.get("rawQueryString")
        query = (
            _query_string(raw_query)
            if raw_query
            else {k: [v] for k, v in _dict(raw.get("queryStringParameters")).items()}
        )
        headers = {k.lower(): [v] for k, v in _dict(raw.get("headers")).items()}
        out = {
            "method": http["method"],
            "path": path,
            "route": route,
            "query": query,
            "source_ip": http.get("sourceIp"),
            "request_id": rc.get("requestId"),
        }
    else:
        assert source == "alb"
        multi = "multiValueHeaders" in raw
        headers = (
            {k.lower(): list(v) for k, v in _dict(raw.get("multiValueHeaders")).items()}
            if multi
            else {k.lower(): [v] for k, v in _dict(raw.get("headers")).items()}
        )
        raw_query = (
            _dict(raw.get("multiValueQueryStringParameters"))
            if multi
            else {k: [v] for k, v in _dict(raw.get("queryStringParameters")).items()}
        )
        forwarded = headers.get("x-forwarded-for")
        out = {
            "method": raw["httpMethod"],
            "path": unquote(raw["path"]),
            "route": None,
            "query": {
                unquote_plus(k): [unquote_plus(v) for v in vs] for k, vs in raw_query.items()
            },
            "source_ip": forwarded[-1].split(",")[-1].strip() if forwarded else None,
            "request_id": None,  # X-Amzn-Trace-Id is client-controlled: the Lambda id
        }
    if source == "apigw-v2" or source == "function-url":
        cookies = _cookie_pairs(list(raw.get("cookies") or []))
    else:
        cookies = _cookie_pairs([p for h in headers.get("cookie", []) for p in h.split(";")])
    out.update(
        headers=headers,
        cookies=cookies,
        path_params=_dict(raw.get("pathParameters")),
        principal=None if source == "alb" else _expected_principal(rc, source),
    )
    out["request_id"] = out["request_id"] or LAMBDA_REQUEST_ID
    body = raw.get("body")
    if not body:
        out["body"] = b""
    elif raw.get("isBase64Encoded"):
        try:
            out["body"] = base64.b64decode(body, validate=True)
        except binascii.Error:
            out["body"] = BadRequestError
    else:
        out["body"] = body.encode()
    return out


# --- the tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("rel", CORE)
def test_core_http_event_normalizes(rel: str) -> None:
    raw = load(rel)
    source = _source(rel)
    want = _expected(raw, source)
    req = _capture(raw)

    assert req.method == want["method"]
    assert req.path == want["path"]
    assert req.route == want["route"]
    assert dict(req.path_params) == want["path_params"]
    assert req.query.to_dict() == want["query"]
    assert len(req.headers) == len(want["headers"])
    for name, values in want["headers"].items():
        assert req.headers.getall(name) == values
        assert req.headers.getall(name.upper()) == values
        assert req.headers[name.title()] == values[0]
    assert dict(req.cookies) == want["cookies"]
    if want["body"] is BadRequestError:
        with pytest.raises(BadRequestError):
            _ = req.body
    else:
        assert req.body == want["body"]
    assert req.source_ip == want["source_ip"]
    assert req.request_id == want["request_id"]
    if want["principal"] is None:
        assert req.principal is None
    else:
        provider, principal_id = want["principal"]
        assert req.principal is not None
        assert req.principal.provider == provider
        assert req.principal.id == principal_id
        for key, value in req.principal.claims.items():
            assert value is not None, key


@pytest.mark.parametrize("rel", CORE)
def test_core_http_event_gets_its_native_response_shape(rel: str) -> None:
    raw = load(rel)
    source = _source(rel)

    @faaskit.handler
    def answer(req: Any, ctx: Any) -> Response:
        return Response(
            b"\x89PNG\x00",
            status=201,
            content_type="image/png",
            headers={"X-Many": ["a", "b"]},
            cookies={"c1": "1", "c2": "2"},
        )

    native = answer(raw, FakeLambdaContext())
    assert native["statusCode"] == 201
    assert native["isBase64Encoded"] is True
    assert base64.b64decode(native["body"]) == b"\x89PNG\x00"
    if source == "apigw-v1":
        assert "headers" not in native
        assert native["multiValueHeaders"]["X-Many"] == ["a", "b"]
        assert native["multiValueHeaders"]["Set-Cookie"] == ["c1=1", "c2=2"]
    elif source in ("apigw-v2", "function-url"):
        assert "multiValueHeaders" not in native
        assert native["headers"]["X-Many"] == "a, b"
        assert native["cookies"] == ["c1=1", "c2=2"]
    else:
        assert native["statusDescription"] == "201 Created"
        if "multiValueHeaders" in raw:
            assert "headers" not in native
            assert native["multiValueHeaders"]["Set-Cookie"] == ["c1=1", "c2=2"]
        else:
            assert "multiValueHeaders" not in native
            assert all(isinstance(v, str) for v in native["headers"].values())
            cookies = [v for k, v in native["headers"].items() if k.lower() == "set-cookie"]
            assert sorted(cookies) == ["c1=1", "c2=2"]


@pytest.mark.parametrize("rel", CORE)
def test_core_http_event_reading_its_body(rel: str) -> None:
    raw = load(rel)

    @faaskit.handler
    def size(req: faaskit.HttpRequest, ctx: Any) -> dict[str, int]:
        return {"size": len(req.body)}

    native = size(raw, FakeLambdaContext())
    want = _expected(raw, _source(rel))["body"]
    if want is BadRequestError:
        assert native["statusCode"] == 400
    else:
        assert native["statusCode"] == 200
        assert json.loads(native["body"]) == {"size": len(want)}


@pytest.mark.parametrize("rel", EXTENDED)
def test_extended_http_event_is_unsupported(rel: str) -> None:
    @faaskit.handler
    def never(req: Any, ctx: Any) -> None:
        raise AssertionError("an unsupported event reached the handler")

    with pytest.raises(UnsupportedEventError):
        never(load(rel), FakeLambdaContext())
