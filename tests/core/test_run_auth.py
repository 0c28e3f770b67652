"""Declared auth is enforced in the core: a route declared with ``iam`` or ``jwt`` auth never
runs its handler without a principal the platform vouched for, on every shape of both clouds.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
from faaskit import Context, HttpRequest, Principal
from faaskit._run import arun_http, run_http
from faaskit.testing import aws_event, azure_event, invoke

JWT = {"jwt": {"issuer": "https://login.example.com/", "audience": ["api"]}}
CALLER_MODES = [("iam", "iam"), (JWT, "jwt"), ("IAM", "iam")]
OPEN_MODES = [None, "none", "api_key", "function"]
AWS_SHAPES = ["apigw-v1", "apigw-v2", "function-url", "alb"]
# What a client can send to look signed in; none of it is a platform-vouched principal.
SPOOFS = {
    "authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
    "x-amzn-oidc-identity": "admin",
    "x-amzn-oidc-data": "e30.eyJzdWIiOiJhZG1pbiJ9.",
    "x-api-key": "key",
}


def _handler(auth: Any, calls: list[Any], route: str = "/me") -> Any:
    @faaskit.handler(faaskit.http("GET", route, auth=auth))
    def me(req: HttpRequest, ctx: Context) -> dict[str, Any]:
        calls.append(req.principal)
        return {"id": req.principal.id if req.principal else None}

    return me


def _aws(handler: Any, shape: str, headers: dict[str, str], authorizer: Any = None) -> Any:
    fields: dict[str, Any] = {"method": "GET", "path": "/me", "headers": headers}
    if authorizer is not None:
        fields["authorizer"] = authorizer
    raw = invoke(handler, aws_event(shape, **fields), platform="aws")
    headers_out = {k.lower(): v for k, v in (raw.get("headers") or {}).items()}
    for name, values in (raw.get("multiValueHeaders") or {}).items():
        headers_out[name.lower()] = values[0]
    return raw["statusCode"], json.loads(raw["body"]), headers_out


@pytest.mark.parametrize(("auth", "mode"), CALLER_MODES)
@pytest.mark.parametrize("shape", AWS_SHAPES)
def test_aws_caller_routes_answer_401_without_a_principal(shape: str, auth: Any, mode: str) -> None:
    calls: list[Any] = []
    status, body, headers = _aws(_handler(auth, calls), shape, dict(SPOOFS))
    assert status == 401
    assert calls == []
    assert "GET /me" in body["message"] and mode in body["message"]
    assert headers["content-type"] == "application/json"
    assert headers["www-authenticate"] == ("AWS4-HMAC-SHA256" if mode == "iam" else "Bearer")


@pytest.mark.parametrize(("auth", "mode"), CALLER_MODES)
@pytest.mark.parametrize(
    ("shape", "authorizer"),
    [
        ("apigw-v2", {"jwt": {"claims": {"sub": "ada"}, "scopes": None}}),
        ("apigw-v2", {"iam": {"userArn": "arn:aws:iam::1:user/ada", "userId": "ada"}}),
        ("apigw-v1", {"claims": {"sub": "ada"}}),
        ("apigw-v1", {"principalId": "ada", "tenant": "t1"}),
    ],
)
def test_aws_vouched_principal_runs_the_handler(
    shape: str, authorizer: Any, auth: Any, mode: str
) -> None:
    calls: list[Any] = []
    status, body, _ = _aws(_handler(auth, calls), shape, {}, authorizer)
    assert status == 200
    assert len(calls) == 1 and calls[0] is not None
    assert body["id"] is not None


@pytest.mark.parametrize(("auth", "mode"), CALLER_MODES)
def test_an_api_key_is_not_a_caller(auth: Any, mode: str) -> None:
    calls: list[Any] = []
    event = aws_event("apigw-v1", method="GET", path="/me")
    event["requestContext"]["identity"]["apiKeyId"] = "k-1"
    raw = invoke(_handler(auth, calls), event, platform="aws")
    assert raw["statusCode"] == 401
    assert calls == []


@pytest.mark.parametrize("auth", OPEN_MODES)
@pytest.mark.parametrize("shape", AWS_SHAPES)
def test_open_and_key_routes_run_without_a_principal(shape: str, auth: Any) -> None:
    calls: list[Any] = []
    status, body, _ = _aws(_handler(auth, calls), shape, {})
    assert (status, body) == (200, {"id": None})
    assert calls == [None]


def _azure(handler: Any, headers: dict[str, str]) -> Any:
    request = azure_event("http", method="GET", path="/me", headers=headers)
    response = invoke(handler, request, platform="azure")
    return response.status_code, json.loads(response.get_body()), response.headers


@pytest.mark.parametrize(("auth", "mode"), CALLER_MODES)
def test_azure_caller_routes_answer_401_without_a_principal(auth: Any, mode: str) -> None:
    calls: list[Any] = []
    status, body, headers = _azure(_handler(auth, calls), {"authorization": "Bearer x"})
    assert status == 401
    assert calls == []
    assert mode in body["message"]
    assert headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("auth", "mode"), CALLER_MODES)
def test_azure_app_service_principal_runs_the_handler(
    auth: Any, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")
    calls: list[Any] = []
    status, body, _ = _azure(
        _handler(auth, calls),
        {"x-ms-client-principal-id": "ada", "x-ms-client-principal-idp": "aad"},
    )
    assert (status, body) == (200, {"id": "ada"})
    assert len(calls) == 1


CTX = Context(request_id="req-1", function_name="fn", platform="local")


@settings(max_examples=60, deadline=None)
@given(
    auth=st.sampled_from([a for a, _ in CALLER_MODES]),
    provider=st.sampled_from(["api-key"]) | st.none(),
    headers=st.dictionaries(
        st.sampled_from([*SPOOFS, "x-ms-client-principal-name", "cookie"]), st.text(max_size=20)
    ),
    method_ok=st.booleans(),
    path_ok=st.booleans(),
)
def test_no_unvouched_request_reaches_a_caller_route(
    auth: Any, provider: str | None, headers: dict[str, str], method_ok: bool, path_ok: bool
) -> None:
    """Whatever the client sends, without a vouched principal the answer is 401, after the
    route checks (404, 405) as API Gateway orders them; the handler never runs.
    """
    calls: list[Any] = []
    principal = Principal(id="k", provider=provider) if provider else None
    request = HttpRequest(
        method="GET" if method_ok else "POST",
        path="/me/1" if path_ok else "/other",
        headers=faaskit.Headers(headers),
        principal=principal,
    )
    response = run_http(_handler(auth, calls, "/me/{part}"), request, CTX)
    assert calls == []
    assert response.status == (405 if not method_ok else 404 if not path_ok else 401)


async def _arun(auth: Any, principal: Principal | None) -> tuple[int, list[Any]]:
    calls: list[Any] = []
    handler = _handler(auth, calls)
    response = await arun_http(
        handler, HttpRequest(method="GET", path="/me", principal=principal), CTX
    )
    return response.status, calls


@pytest.mark.parametrize(("auth", "mode"), CALLER_MODES)
def test_the_async_path_checks_the_same(auth: Any, mode: str) -> None:
    import asyncio

    assert asyncio.run(_arun(auth, None)) == (401, [])
    ada = Principal(id="ada", provider="jwt")
    assert asyncio.run(_arun(auth, ada)) == (200, [ada])
