"""``faaskit openapi APP`` and ``GET /openapi.json`` on ``faaskit serve``: every HTTP route with
its methods, path parameters, body schema and auth.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import faaskit

APP = '''
from typing import TypedDict

import attrs

import faaskit

AUTH = {"jwt": {"issuer": "https://auth.example.com/", "audience": ["shop"]}}


@attrs.frozen
class Item:
    name: str
    price: float
    tags: list[str] = attrs.Factory(list)


class Patch(TypedDict, total=False):
    name: str


@faaskit.handler(faaskit.http("POST", "/items", auth=AUTH, body=Item))
def create(req, ctx):
    """Create an item."""
    return {}


@faaskit.handler(faaskit.http(["GET", "PATCH"], "/items/{item_id}", body=Patch))
def item(req, ctx):
    return {}


@faaskit.handler(faaskit.http("GET", "/files/{path+}", auth="api_key"))
def files(req, ctx):
    return {}


@faaskit.handler(faaskit.queue("jobs"))
def worker(message, ctx):
    return None
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "faaskit.toml").write_text('[app]\nname = "shop"\n', encoding="utf-8")
    return tmp_path


def check(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "shop"
    paths = document["paths"]
    assert sorted(paths) == ["/files/{path}", "/items", "/items/{item_id}"]
    create = paths["/items"]["post"]
    assert create["operationId"] == "create" and create["summary"] == "Create an item."
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["name", "price"]
    assert schema["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    assert create["security"] == [{"jwt": []}]
    assert sorted(paths["/items/{item_id}"]) == ["get", "patch"]
    patch = paths["/items/{item_id}"]["patch"]
    assert patch["parameters"] == [
        {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    assert "required" not in patch["requestBody"]["content"]["application/json"]["schema"]
    assert paths["/files/{path}"]["get"]["security"] == [{"api_key": []}]
    schemes = document["components"]["securitySchemes"]
    assert schemes["jwt"]["scheme"] == "bearer"
    assert schemes["api_key"] == {"type": "apiKey", "in": "header", "name": "x-api-key"}


def test_faaskit_openapi_prints_and_writes_the_document(project: Path) -> None:
    done = faaskit("openapi", "app.py", cwd=project)
    assert done.returncode == 0, done.stderr
    check(json.loads(done.stdout))
    written = faaskit("openapi", "app.py", "--out", "openapi.json", cwd=project)
    assert written.returncode == 0, written.stderr
    check(json.loads((project / "openapi.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_serve_serves_the_document(
    platform: str, project: Path, faaskit_server: Callable[..., Any]
) -> None:
    server = faaskit_server(project / "app.py", platform=platform)
    with urllib.request.urlopen(f"{server.url}/openapi.json", timeout=30) as response:
        assert response.status == 200
        check(json.load(response))
