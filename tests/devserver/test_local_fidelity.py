"""``faaskit serve`` refuses what the platform refuses (declared auth, API keys, throttling),
answers CORS preflights as the platform does, and hands the handler the real caller address,
through a real HTTP client against the real dev server on loopback, on both adapter paths.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faaskit.devserver.keys import LocalKeys

APP = """
import faaskit

AUTH = {"jwt": {"issuer": "https://auth.example.com/", "audience": ["shop", "admin"]}}
CORS = {"origins": ["https://app.example.com"], "headers": ["authorization"], "max_age": 600}


@faaskit.handler(faaskit.http("POST", "/items", auth=AUTH, cors=CORS))
def create(req, ctx):
    return faaskit.Response.json(
        {"sub": req.principal.id, "claims": dict(req.principal.claims)}, status=201
    )


@faaskit.handler(faaskit.http("GET", "/keyed", auth="api_key"))
def keyed(req, ctx):
    return {"principal": req.principal is not None}


@faaskit.handler(faaskit.http("GET", "/limited", throttle={"rate": 0.001, "burst": 2}))
def limited(req, ctx):
    return {"ok": True}


@faaskit.handler(faaskit.http("GET", "/whoami"))
def whoami(req, ctx):
    return {"ip": req.source_ip, "principal": req.principal and req.principal.id}
"""

PLATFORMS = pytest.mark.parametrize("platform", ["aws", "azure"])


@pytest.fixture
def app_file(tmp_path: Path) -> Path:
    path = tmp_path / "fidelity_app.py"
    path.write_text(APP, encoding="utf-8")
    return path


def send(
    url: str, method: str = "GET", headers: dict[str, str] | None = None, body: Any = None
) -> tuple[int, dict[str, str], Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers_out, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        status, headers_out, raw = exc.code, dict(exc.headers), exc.read()
    return status, headers_out, json.loads(raw) if raw else None


def base(server: Any, platform: str) -> str:
    return f"{server.url}/api" if platform == "azure" else server.url


@PLATFORMS
def test_jwt_route_refuses_a_request_without_a_token(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    status, headers, body = send(f"{base(server, platform)}/items", "POST", body={})
    assert (status, body) == (401, {"message": "Unauthorized"})
    assert headers["WWW-Authenticate"].startswith("Bearer")


@PLATFORMS
def test_jwt_route_takes_a_local_token_and_the_handler_sees_the_principal(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    token = server.token("ada", role="editor")
    status, _, body = send(
        f"{base(server, platform)}/items",
        "POST",
        headers={"Authorization": f"Bearer {token}"},
        body={},
    )
    assert status == 201
    assert body["sub"] == "ada"
    assert body["claims"]["role"] == "editor"


@pytest.mark.parametrize(
    "mint",
    [
        {"issuer": "https://other.example.com/", "audience": ["shop"]},
        {"issuer": "https://auth.example.com/", "audience": ["someone-else"]},
        {"issuer": "https://auth.example.com/", "audience": ["shop"], "expires_in": -120},
    ],
    ids=["wrong-issuer", "wrong-audience", "expired"],
)
@PLATFORMS
def test_jwt_route_refuses_a_token_for_another_issuer_audience_or_time(
    platform: str, mint: dict[str, Any], app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    token = server.keys.mint("ada", **mint)
    status, headers, _ = send(
        f"{base(server, platform)}/items", "POST", {"Authorization": f"Bearer {token}"}, {}
    )
    assert status == 401
    assert 'error="invalid_token"' in headers["WWW-Authenticate"]


@PLATFORMS
def test_a_token_signed_by_another_key_is_refused(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any], tmp_path: Path
) -> None:
    server = faaskit_server(app_file, platform=platform)
    forged = LocalKeys(tmp_path / "elsewhere").mint(
        "ada", issuer="https://auth.example.com/", audience="shop"
    )
    status, _, _ = send(
        f"{base(server, platform)}/items", "POST", {"Authorization": f"Bearer {forged}"}, {}
    )
    assert status == 401


@PLATFORMS
def test_client_written_principal_headers_do_not_authenticate(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    forged = {"x-ms-client-principal-id": "mallory", "x-ms-client-principal-name": "mallory"}
    assert send(f"{base(server, platform)}/items", "POST", forged, {})[0] == 401
    status, _, body = send(f"{base(server, platform)}/whoami", headers=forged)
    assert (status, body["principal"]) == (200, None)


@PLATFORMS
def test_api_key_route_needs_a_local_key(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    url = f"{base(server, platform)}/keyed"
    header = "x-functions-key" if platform == "azure" else "x-api-key"
    refused = 401 if platform == "azure" else 403
    assert send(url)[0] == refused
    assert send(url, headers={header: "guess"})[0] == refused
    [key] = server.keys.api_keys()
    status, _, body = send(url, headers={header: key})
    assert (status, body) == (200, {"principal": False})
    assert any(key in line for line in server.describe())


def test_azure_function_key_may_come_as_code_in_the_query(
    app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform="azure")
    [key] = server.keys.api_keys()
    assert send(f"{server.url}/api/keyed?code={key}")[0] == 200


@PLATFORMS
def test_cors_preflight_is_answered_for_allowed_origins(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    preflight = {
        "Origin": "https://app.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    status, headers, _ = send(f"{base(server, platform)}/items", "OPTIONS", preflight)
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert headers["Access-Control-Allow-Headers"] == "authorization"
    assert headers["Access-Control-Max-Age"] == "600"

    other = {**preflight, "Origin": "https://evil.example.com"}
    status, headers, _ = send(f"{base(server, platform)}/items", "OPTIONS", other)
    assert status == 204 and "Access-Control-Allow-Origin" not in headers


@PLATFORMS
def test_cors_headers_on_the_actual_response(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    headers = {
        "Origin": "https://app.example.com",
        "Authorization": f"Bearer {server.token('ada')}",
    }
    status, got, _ = send(f"{base(server, platform)}/items", "POST", headers, {})
    assert status == 201
    assert got["Access-Control-Allow-Origin"] == "https://app.example.com"


@PLATFORMS
def test_a_preflight_to_a_route_without_cors_is_not_answered_for_it(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    preflight = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"}
    status, headers, _ = send(f"{base(server, platform)}/whoami", "OPTIONS", preflight)
    assert status == 405 and "Access-Control-Allow-Origin" not in headers


@PLATFORMS
def test_throttling_answers_429_past_the_burst(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    url = f"{base(server, platform)}/limited"
    statuses = [send(url)[0] for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    assert send(url)[2] == {"message": "Too Many Requests"}


@PLATFORMS
def test_source_ip_is_the_real_caller_not_a_header(
    platform: str, app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform=platform)
    spoofed = {"X-Forwarded-For": "198.51.100.66", "client-ip": "198.51.100.77:1"}
    status, _, body = send(f"{base(server, platform)}/whoami", headers=spoofed)
    assert (status, body["ip"]) == (200, "127.0.0.1")


def test_a_body_past_the_platform_limit_is_a_413(
    app_file: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(app_file, platform="aws")
    request = urllib.request.Request(
        f"{server.url}/whoami", data=b"x" * (10 * 1024 * 1024 + 1), method="GET"
    )
    try:
        urllib.request.urlopen(request, timeout=60)
        raise AssertionError("an oversized body was let through")
    except urllib.error.HTTPError as exc:
        assert exc.code == 413
    assert send(f"{server.url}/whoami")[0] == 200
