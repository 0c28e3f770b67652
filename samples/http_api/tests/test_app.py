import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture(params=["aws", "azure"])
def api(request, faaskit_server):
    """Call the app through the local dev server on each cloud's path, as ``sub``."""
    server = faaskit_server(APP, platform=request.param)
    base = f"{server.url}/api" if request.param == "azure" else server.url

    def call(method, path, body=None, *, sub="ada"):
        headers = {"Authorization": f"Bearer {server.token(sub)}"} if sub else {}
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        return status, json.loads(raw) if raw else None

    return call


def test_create_read_update_delete(api):
    status, item = api("POST", "/items", {"name": "pen", "price": 2})
    assert status == 201 and item["name"] == "pen"
    path = f"/items/{item['id']}"

    assert api("GET", path) == (200, item)
    assert api("GET", "/items") == (200, [item])
    assert api("PUT", path, {"name": "pen", "price": 3})[1]["price"] == 3
    assert api("DELETE", path)[0] == 204
    assert api("GET", path)[0] == 404


def test_callers_see_only_their_own_items(api):
    _, item = api("POST", "/items", {"name": "pen", "price": 2})
    assert api("GET", "/items", sub="bob") == (200, [])
    assert api("GET", f"/items/{item['id']}", sub="bob")[0] == 404


def test_anonymous_callers_are_refused(api):
    assert api("GET", "/items", sub=None)[0] == 401
    assert api("POST", "/items", {"name": "pen", "price": 2}, sub=None)[0] == 401


def test_an_invalid_body_lists_every_field_error(api):
    status, body = api("POST", "/items", {"name": "", "price": -1})
    assert status == 400
    assert {error["field"] for error in body["errors"]} == {"name", "price"}
    status, body = api("POST", "/items", {"price": "free", "colour": "red"})
    assert {error["field"] for error in body["errors"]} == {"name", "price", "colour"}
