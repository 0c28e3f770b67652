"""Azure HTTP: func.HttpRequest -> faaskit.HttpRequest, faaskit.Response -> func.HttpResponse."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import azure.functions as func
import pytest
from azure.functions.http import HttpResponseConverter

import faaskit
from faaskit._routes import Http
from faaskit_azure.adapter import entry
from faaskit_azure.http import AzureHttp, auth_level, azure_route, principal

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class _Trace:
    trace_parent = TRACEPARENT
    trace_state = ""
    attributes: dict[str, str] = {}  # noqa: RUF012


class AzureContext:
    """Duck-typed like the worker's own Context (it does not subclass func.Context either)."""

    def __init__(self, invocation_id: str = "inv-123", function_name: str = "fn") -> None:
        self.invocation_id = invocation_id
        self.function_name = function_name
        self.function_directory = "/home/site/wwwroot"
        self.trace_context = _Trace()


def request(
    method: str = "GET",
    url: str = "https://app.azurewebsites.net/api/items/42?q=a&q=b&flag=",
    *,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    route_params: dict[str, str] | None = None,
    body: bytes = b"",
) -> func.HttpRequest:
    return func.HttpRequest(
        method=method,
        url=url,
        headers=headers or {},
        params=params or {},
        route_params=route_params or {},
        body=body,
    )


def call(handler: faaskit.Handler, req: func.HttpRequest, **options: Any) -> Any:
    """Run ``handler`` the way its registered wrapper does."""
    trigger = handler.trigger
    assert isinstance(trigger, Http)
    decoder = AzureHttp(trigger, route_prefix=options.get("route_prefix", "api"))
    result = entry(handler, decoder, "req")(req=req, context=AzureContext())
    return asyncio.run(result) if handler.is_async else result


def captured(route: str = "/items/{item_id}", methods: str = "ANY") -> tuple[faaskit.Handler, list]:
    seen: list[faaskit.HttpRequest] = []

    @faaskit.handler(faaskit.http(methods, route))
    def handler(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
        seen.append(req)

    return handler, seen


def principal_header(claims: list[dict[str, str]], **extra: Any) -> str:
    token = {"auth_typ": "aad", "claims": claims, "name_typ": "name", "role_typ": "roles", **extra}
    return base64.b64encode(json.dumps(token).encode()).decode()


class TestDecode:
    def test_fields_from_the_worker_request(self) -> None:
        handler, seen = captured()
        raw = request(
            "post",
            headers={
                "Content-Type": "application/json",
                "Cookie": "session=abc; theme=dark",
                "X-Forwarded-For": "198.51.100.66, 203.0.113.7:51234",
                "client-ip": "203.0.113.7:51234",
            },
            params={"q": "b", "flag": ""},
            route_params={"item_id": "42"},
            body=b'{"n": 1}',
        )
        assert call(handler, raw).status_code == 204
        (req,) = seen
        assert req.method == "POST"
        assert req.path == "/items/42"
        assert req.route == "/items/{item_id}"
        assert req.path_params == {"item_id": "42"}
        assert req.query.getall("q") == ["a", "b"]
        assert req.query.get("flag") == ""
        assert req.headers.get("content-type") == "application/json"
        assert req.headers.get("CONTENT-TYPE") == "application/json"
        assert req.cookies == {"session": "abc", "theme": "dark"}
        assert req.json() == {"n": 1}
        assert req.source_ip == "203.0.113.7"
        assert req.request_id == "inv-123"
        assert req.principal is None
        assert req.raw is raw

    def test_query_falls_back_to_params_when_the_url_has_none(self) -> None:
        handler, seen = captured()
        call(handler, request(url="http://localhost:7071/api/items/1", params={"q": "x"}))
        assert seen[0].query.getall("q") == ["x"]

    @pytest.mark.parametrize(
        ("prefix", "url", "path"),
        [
            ("api", "https://h/api/items/7", "/items/7"),
            ("", "https://h/items/7", "/items/7"),
            ("v1/", "https://h/v1/items/7", "/items/7"),
            ("api", "https://h/other/items/7", "/other/items/7"),
        ],
    )
    def test_route_prefix_is_removed(self, prefix: str, url: str, path: str) -> None:
        handler, seen = captured(route="/{rest+}")
        call(handler, request(url=url, route_params={"rest": "x"}), route_prefix=prefix)
        assert seen[0].path == path

    def test_prefix_kept_when_the_function_route_itself_starts_with_it(self) -> None:
        handler, seen = captured(route="/api/status")
        call(handler, request(url="https://h/api/status"), route_prefix="api")
        assert seen[0].path == "/api/status"

    def test_route_params_missing_are_matched_from_the_path(self) -> None:
        handler, seen = captured()
        call(handler, request(url="https://h/api/items/9"))
        assert seen[0].path_params == {"item_id": "9"}

    def test_greedy_route_param(self) -> None:
        handler, seen = captured(route="/files/{path+}")
        call(handler, request(url="https://h/api/files/a/b.txt", route_params={"path": "a/b.txt"}))
        assert seen[0].path_params == {"path": "a/b.txt"}

    @pytest.mark.parametrize(
        ("headers", "ip"),
        [
            ({"x-forwarded-for": "198.51.100.2"}, "198.51.100.2"),
            ({"x-forwarded-for": "[2001:db8::1]:443"}, "2001:db8::1"),
            ({"x-forwarded-for": "2001:db8::1"}, "2001:db8::1"),
            ({"x-forwarded-for": "6.6.6.6, 198.51.100.2:5000"}, "198.51.100.2"),
            ({"client-ip": "192.0.2.9:61234", "x-forwarded-for": "6.6.6.6"}, "192.0.2.9"),
            ({"client-ip": "[2001:db8::7]:443"}, "2001:db8::7"),
            ({"x-azure-clientip": "192.0.2.9"}, None),  # Front Door's, unless it is in front
            ({}, None),
        ],
    )
    def test_source_ip(self, headers: dict[str, str], ip: str | None) -> None:
        handler, seen = captured()
        call(handler, request(headers=headers))
        assert seen[0].source_ip == ip

    def test_body_bytes_untouched(self) -> None:
        handler, seen = captured()
        call(handler, request("PUT", body=bytes(range(256))))
        assert seen[0].body == bytes(range(256))


class TestPrincipal:
    @pytest.fixture(autouse=True)
    def _easy_auth_on(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "True")

    def test_easy_auth_principal(self) -> None:
        claims = [
            {
                "typ": "http://schemas.microsoft.com/identity/claims/objectidentifier",
                "val": "oid-1",
            },
            {"typ": "name", "val": "Ada"},
            {"typ": "roles", "val": "admin"},
            {"typ": "roles", "val": "reader"},
        ]
        handler, seen = captured()
        headers = {
            "X-MS-CLIENT-PRINCIPAL": principal_header(claims),
            "X-MS-CLIENT-PRINCIPAL-ID": "user-7",
            "X-MS-CLIENT-PRINCIPAL-NAME": "ada@example.com",
            "X-MS-CLIENT-PRINCIPAL-IDP": "aad",
        }
        call(handler, request(headers=headers))
        found = seen[0].principal
        assert found is not None
        assert found.id == "user-7"
        assert found.provider == "azure-app-service"
        assert found.claims["name"] == "Ada"
        assert found.claims["roles"] == ["admin", "reader"]

    def test_id_from_claims_when_no_id_header(self) -> None:
        token = principal_header([{"typ": "oid", "val": "oid-9"}])
        found = principal(faaskit.Headers({"x-ms-client-principal": token}))
        assert found is not None
        assert found.id == "oid-9"

    def test_headers_without_token(self) -> None:
        found = principal(
            faaskit.Headers(
                {"x-ms-client-principal-id": "u1", "x-ms-client-principal-idp": "github"}
            )
        )
        assert found is not None
        assert (found.id, found.claims) == ("u1", {"idp": "github"})

    @pytest.mark.parametrize("bad", ["%%%not-base64", base64.b64encode(b"[1, 2]").decode()])
    def test_malformed_principal_is_a_400(self, bad: str) -> None:
        handler, seen = captured()
        response = call(handler, request(headers={"x-ms-client-principal": bad}))
        assert response.status_code == 400
        assert not seen
        assert "x-ms-client-principal" in json.loads(response.get_body())["message"]


def respond(result: Any, req: func.HttpRequest | None = None) -> func.HttpResponse:
    @faaskit.handler(faaskit.http("ANY", "/items/{item_id}"))
    def handler(req: faaskit.HttpRequest, ctx: faaskit.Context) -> Any:
        if isinstance(result, BaseException):
            raise result
        return result

    return call(handler, req or request(route_params={"item_id": "42"}))


class TestEncode:
    def test_dict_is_json(self) -> None:
        response = respond({"a": [1, 2]})
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/json"
        assert response.mimetype == "application/json"
        assert json.loads(response.get_body()) == {"a": [1, 2]}

    def test_str_and_bytes(self) -> None:
        text = respond("héllo")
        assert text.get_body() == "héllo".encode()
        assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
        data = respond(b"\x00\xff")
        assert data.get_body() == b"\x00\xff"
        assert data.headers["Content-Type"] == "application/octet-stream"

    def test_none_is_204(self) -> None:
        response = respond(None)
        assert (response.status_code, response.get_body()) == (204, b"")

    def test_headers_and_cookies(self) -> None:
        result = faaskit.Response(
            "ok",
            status=201,
            headers={"X-One": "1", "X-Many": ["a", "b"], "Set-Cookie": "raw=1"},
            cookies={"s": "v", "c": faaskit.Cookie(value="x", path="/", http_only=True)},
        )
        response = respond(result)
        assert response.status_code == 201
        assert response.headers["X-One"] == "1"
        assert response.headers.get_all("Set-Cookie") == ["raw=1", "s=v", "c=x; Path=/; HttpOnly"]
        datum = HttpResponseConverter.encode(response, expected_type=None)
        sent = {name: value.value for name, value in datum.value["headers"].items()}
        assert sent["X-Many"] == "a, b"
        assert "Set-Cookie" not in sent
        cookies = {name: morsel for c in datum.value["cookies"] for name, morsel in c.items()}
        assert set(cookies) == {"raw", "s", "c"}
        assert cookies["c"].value == "x"
        assert cookies["c"]["path"] == "/"
        assert cookies["c"]["httponly"]

    def test_http_error_becomes_its_response(self) -> None:
        response = respond(faaskit.NotFoundError("no such item"))
        assert response.status_code == 404
        assert json.loads(response.get_body()) == {"message": "no such item"}

    def test_exception_is_500_with_request_id_and_no_traceback(self) -> None:
        response = respond(RuntimeError("secret detail"))
        assert response.status_code == 500
        body = json.loads(response.get_body())
        assert body["request_id"] == "inv-123"
        assert b"secret detail" not in response.get_body()
        assert b"Traceback" not in response.get_body()

    def test_json_on_a_non_json_body_is_a_400(self) -> None:
        @faaskit.handler(faaskit.http("POST", "/items/{item_id}"))
        def handler(req: faaskit.HttpRequest, ctx: faaskit.Context) -> Any:
            return req.json()

        response = call(handler, request("POST", route_params={"item_id": "1"}, body=b"{oops"))
        assert response.status_code == 400
        assert "not valid JSON" in json.loads(response.get_body())["message"]

    def test_method_not_allowed(self) -> None:
        @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
        def handler(req: faaskit.HttpRequest, ctx: faaskit.Context) -> str:
            return "never"

        response = call(handler, request("DELETE", route_params={"item_id": "1"}))
        assert response.status_code == 405
        assert response.headers["Allow"] == "GET"

    def test_async_handler(self) -> None:
        @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
        async def handler(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
            await asyncio.sleep(0)
            return {"id": req.path_params["item_id"], "platform": ctx.platform}

        response = call(handler, request(route_params={"item_id": "5"}))
        assert json.loads(response.get_body()) == {"id": "5", "platform": "azure"}

    def test_async_handler_failure_is_500(self) -> None:
        @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
        async def handler(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
            raise ValueError("boom")

        assert call(handler, request(route_params={"item_id": "5"})).status_code == 500

    def test_raw_handler_gets_the_native_request(self) -> None:
        seen: list[Any] = []

        @faaskit.handler(faaskit.http("GET", "/items/{item_id}"), raw=True)
        def handler(req: Any, ctx: faaskit.Context) -> Any:
            seen.append(req)
            return func.HttpResponse("native", status_code=202)

        raw = request()
        response = call(handler, raw)
        assert seen == [raw]
        assert (response.status_code, response.get_body()) == (202, b"native")

    def test_raw_handler_portable_result_is_encoded(self) -> None:
        @faaskit.handler(faaskit.http("GET", "/items/{item_id}"), raw=True)
        def handler(req: Any, ctx: faaskit.Context) -> Any:
            return {"ok": True}

        assert json.loads(call(handler, request()).get_body()) == {"ok": True}

    def test_encode_refuses_non_responses(self) -> None:
        with pytest.raises(TypeError):
            AzureHttp().encode({"not": "a response"}, None)


@pytest.mark.parametrize(
    ("route", "azure"),
    [
        ("/items/{item_id}", "items/{item_id}"),
        ("/files/{path+}", "files/{*path}"),
        ("/a/b/", "a/b"),
        ("/", "{faaskit_root:maxlength(0)?}"),
    ],
)
def test_azure_route(route: str, azure: str) -> None:
    assert azure_route(route) == azure


def test_root_route_parameter_is_not_a_path_parameter() -> None:
    handler, seen = captured(route="/")
    call(handler, request(url="https://h/api/", route_params={"faaskit_root": ""}))
    assert (seen[0].path, seen[0].path_params) == ("/", {})


@pytest.mark.parametrize(
    ("auth", "level"),
    [
        (None, func.AuthLevel.ADMIN),
        ("none", func.AuthLevel.ANONYMOUS),
        ("function", func.AuthLevel.FUNCTION),
        ("api_key", func.AuthLevel.FUNCTION),
        ("iam", func.AuthLevel.FUNCTION),
        ({"jwt": {"issuer": "https://login.example"}}, func.AuthLevel.FUNCTION),
    ],
)
def test_auth_level(auth: Any, level: func.AuthLevel) -> None:
    trigger = faaskit.http("GET", "/x", auth=auth)
    assert auth_level(trigger, func.AuthLevel.ADMIN) is level
