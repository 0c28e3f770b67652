"""samples/todo_api: the CRUD routes, the caller from ``req.principal``, the status codes and the
JSON log lines, through the AWS path (API Gateway HTTP API with a JWT authorizer) and the Azure
path (HTTP trigger behind App Service authentication).
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import attrs
import pytest

from faaskit.testing import aws_event, azure_event, capture_telemetry, invoke
from samples.todo_api import app

ADA = "ada"
ALAN = "auth0|alan/turing"  # ids with characters that are not key-safe


@attrs.frozen(kw_only=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def _azure_principal(user: str) -> str:
    token = {
        "auth_typ": "aad",
        "claims": [
            {"typ": "http://schemas.microsoft.com/identity/claims/objectidentifier", "val": user},
            {"typ": "name", "val": user.title()},
        ],
        "name_typ": "name",
        "role_typ": "roles",
    }
    return base64.b64encode(json.dumps(token).encode()).decode("ascii")


def call(
    platform: str,
    handler: Any,
    path: str,
    *,
    user: str | None = ADA,
    body: Any = None,
    query: dict[str, str] | None = None,
) -> Reply:
    """``handler`` on one request as the platform delivers it, signed in as ``user``."""
    trigger = handler.trigger
    method = trigger.methods[0]
    params = {}
    if "{todo_id}" in trigger.route:
        params = {"todo_id": path.rsplit("/", 1)[-1]}
    if platform == "aws":
        authorizer = {"jwt": {"claims": {"sub": user}, "scopes": None}} if user else None
        event = aws_event(
            "apigw-v2",
            method=method,
            path=path,
            body=body,
            query=query,
            route=trigger.route,
            path_params=params or None,
            authorizer=authorizer,
        )
        raw = invoke(handler, event, platform="aws")
        text = raw.get("body") or ""
        data = base64.b64decode(text) if raw.get("isBase64Encoded") else text.encode()
        headers = {k.lower(): v for k, v in (raw.get("headers") or {}).items()}
        return Reply(status=raw["statusCode"], headers=headers, body=data)
    headers = {"x-ms-client-principal": _azure_principal(user)} if user else {}
    request = azure_event(
        "http",
        method=method,
        path=path,
        body=body,
        query=query,
        headers=headers,
        route_params=params,
    )
    response = invoke(handler, request, platform="azure")
    return Reply(
        status=response.status_code,
        headers={k.lower(): v for k, v in response.headers.items()},
        body=response.get_body(),
    )


@pytest.fixture(autouse=True)
def easy_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Azure the caller comes from App Service Authentication, so it must be on."""
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")


@pytest.fixture(autouse=True)
def store(monkeypatch: pytest.MonkeyPatch, folder_url: Any) -> str:
    url: str = folder_url("todos")
    monkeypatch.setenv("TODOS_URL", url)
    return url


def _create(platform: str, title: str = "write the report", user: str = ADA) -> dict[str, Any]:
    reply = call(platform, app.create_todo, "/todos", user=user, body={"title": title})
    assert reply.status == 201
    item: dict[str, Any] = reply.json()
    return item


def test_the_crud_lifecycle(platform: str) -> None:
    created = call(platform, app.create_todo, "/todos", body={"title": "  buy milk "})
    assert created.status == 201
    item = created.json()
    assert (item["title"], item["done"]) == ("buy milk", False)
    assert created.headers["location"] == f"/todos/{item['id']}"
    path = f"/todos/{item['id']}"

    fetched = call(platform, app.get_todo, path)
    assert (fetched.status, fetched.json()) == (200, item)

    listed = call(platform, app.list_todos, "/todos")
    assert listed.json() == {"items": [item], "count": 1}

    updated = call(platform, app.update_todo, path, body={"done": True})
    assert updated.status == 200
    assert updated.json()["done"] is True
    assert updated.json()["title"] == item["title"]
    assert updated.json()["updated_at"] >= item["updated_at"]
    assert call(platform, app.get_todo, path).json() == updated.json()

    assert call(platform, app.list_todos, "/todos", query={"done": "true"}).json()["count"] == 1
    assert call(platform, app.list_todos, "/todos", query={"done": "false"}).json()["count"] == 0

    deleted = call(platform, app.delete_todo, path)
    assert (deleted.status, deleted.body) == (204, b"")
    assert call(platform, app.get_todo, path).status == 404
    assert call(platform, app.delete_todo, path).status == 404
    assert call(platform, app.list_todos, "/todos").json() == {"items": [], "count": 0}


def test_items_are_listed_oldest_first(platform: str) -> None:
    titles = ["first", "second", "third"]
    for title in titles:
        _create(platform, title)
    assert [i["title"] for i in call(platform, app.list_todos, "/todos").json()["items"]] == titles


def test_each_caller_sees_only_their_own_items(platform: str) -> None:
    mine = _create(platform, "ada's", user=ADA)
    theirs = _create(platform, "alan's", user=ALAN)

    for user, own, other in ((ADA, mine, theirs), (ALAN, theirs, mine)):
        listed = call(platform, app.list_todos, "/todos", user=user).json()
        assert listed["items"] == [own]
        path = f"/todos/{other['id']}"
        assert call(platform, app.get_todo, path, user=user).status == 404
        assert call(platform, app.update_todo, path, user=user, body={"done": True}).status == 404
        assert call(platform, app.delete_todo, path, user=user).status == 404
    assert call(platform, app.get_todo, f"/todos/{theirs['id']}", user=ALAN).json() == theirs


@pytest.mark.parametrize(
    ("handler", "path"),
    [
        (app.list_todos, "/todos"),
        (app.create_todo, "/todos"),
        (app.get_todo, "/todos/" + "0" * 32),
        (app.delete_todo, "/todos/" + "0" * 32),
    ],
    ids=["list", "create", "get", "delete"],
)
def test_anonymous_callers_get_401(platform: str, handler: Any, path: str) -> None:
    reply = call(platform, handler, path, user=None, body={"title": "x"})
    assert reply.status == 401
    # faaskit answers before the handler runs: the route declares jwt auth.
    assert "authenticated caller" in reply.json()["message"]
    assert reply.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("", "empty"),
        ([1, 2], "JSON object"),
        ({}, "'title' is required"),
        ({"title": 7}, "'title' must be a str"),
        ({"title": "   "}, "1 to 200"),
        ({"title": "x" * 201}, "1 to 200"),
        ({"title": "x", "done": "yes"}, "'done' must be a bool"),
        ({"title": "x", "owner": "alan"}, "unknown fields: owner"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None,
)
def test_invalid_bodies_get_400(platform: str, body: Any, reason: str) -> None:
    reply = call(platform, app.create_todo, "/todos", body=body)
    assert reply.status == 400
    assert reason in reply.json()["message"]
    assert call(platform, app.list_todos, "/todos").json()["count"] == 0


def test_an_update_must_change_something_valid(platform: str) -> None:
    path = f"/todos/{_create(platform)['id']}"
    assert call(platform, app.update_todo, path, body={}).status == 400
    assert call(platform, app.update_todo, path, body="nope").status == 400
    assert call(platform, app.update_todo, path, body={"title": ""}).status == 400
    renamed = call(platform, app.update_todo, path, body={"title": "renamed"})
    assert (renamed.status, renamed.json()["title"], renamed.json()["done"]) == (
        200,
        "renamed",
        False,
    )


@pytest.mark.parametrize("todo_id", ["0" * 32, "not-an-id", "..%2F..%2Fsecrets", "A" * 32])
def test_unknown_ids_get_404(platform: str, todo_id: str) -> None:
    _create(platform)
    for handler in (app.get_todo, app.delete_todo):
        assert call(platform, handler, f"/todos/{todo_id}").status == 404
    assert call(platform, app.update_todo, f"/todos/{todo_id}", body={"done": True}).status == 404


def test_a_bad_filter_gets_400(platform: str) -> None:
    assert call(platform, app.list_todos, "/todos", query={"done": "maybe"}).status == 400


def test_writes_log_one_json_line_with_the_request_id(platform: str) -> None:
    with capture_telemetry(logging.INFO) as seen:
        item = _create(platform)
        call(platform, app.delete_todo, f"/todos/{item['id']}")

    lines = [line for line in seen.logs if line["logger"].startswith("faaskit.")]
    assert [line["message"] for line in lines] == ["todo.created", "todo.deleted"]
    assert all(line["todo_id"] == item["id"] and line["user"] == ADA for line in lines)
    assert all(line["platform"] == platform for line in lines)
    assert len({line["request_id"] for line in lines}) == 2


def test_every_route_declares_auth_and_throttling() -> None:
    from faaskit.deploy import load_app

    functions = load_app(app.__file__).functions
    routes = {(f.trigger.methods, f.trigger.route) for f in functions}  # type: ignore[union-attr]
    assert len(routes) == len(functions) == 5
    for function in functions:
        trigger = function.trigger
        assert trigger.auth == app.AUTH  # type: ignore[union-attr]
        assert trigger.throttle in (app.READ_LIMIT, app.WRITE_LIMIT)  # type: ignore[union-attr]
