import json

import app
import pytest


def request(platform, events, method, path, *, sub="ada", body=None, params=None):
    """The request as ``platform`` delivers it, from a caller the platform signed in."""
    data = json.dumps(body) if body is not None else None
    if platform == "aws":
        return events.apigw_v2(
            method=method,
            path=path,
            body=data,
            path_params=params,
            authorizer={"jwt": {"claims": {"sub": sub}, "scopes": None}},
        )
    return events.http(
        method=method,
        path=path,
        body=data,
        route_params=params,
        headers={"x-ms-client-principal-id": sub, "x-ms-client-principal-name": sub},
    )


def call(platform, invoke, events, handler, method, path, **options):
    response = invoke(
        handler, request(platform, events, method, path, **options), platform=platform
    )
    if platform == "aws":
        body = response.get("body")
        return response["statusCode"], json.loads(body) if body else None
    body = response.get_body()
    return response.status_code, json.loads(body) if body else None


@pytest.fixture(params=["aws", "azure"])
def api(request, monkeypatch, faaskit_local, faaskit_invoke, aws_events, azure_events):
    platform = request.param
    # App Service Authentication on: the platform vouches for the principal headers.
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")
    events = aws_events if platform == "aws" else azure_events

    def send(handler, method, path, **options):
        return call(platform, faaskit_invoke, events, handler, method, path, **options)

    return send


def test_create_read_update_delete(api):
    status, item = api(app.create_item, "POST", "/items", body={"name": "pen", "price": 2})
    assert status == 201 and item["name"] == "pen"
    params = {"item_id": item["id"]}
    path = f"/items/{item['id']}"

    assert api(app.get_item, "GET", path, params=params) == (200, item)
    assert api(app.list_items, "GET", "/items") == (200, [item])
    updated = {"name": "pen", "price": 3}
    assert api(app.update_item, "PUT", path, params=params, body=updated)[1]["price"] == 3
    assert api(app.delete_item, "DELETE", path, params=params)[0] == 204
    assert api(app.get_item, "GET", path, params=params)[0] == 404


def test_callers_see_only_their_own_items(api):
    _, item = api(app.create_item, "POST", "/items", body={"name": "pen", "price": 2})
    assert api(app.list_items, "GET", "/items", sub="bob") == (200, [])
    path = f"/items/{item['id']}"
    assert api(app.get_item, "GET", path, sub="bob", params={"item_id": item["id"]})[0] == 404


def test_an_invalid_body_lists_every_field_error(api):
    status, body = api(app.create_item, "POST", "/items", body={"name": "", "price": -1})
    assert status == 400
    assert "name" in body["message"] and "price" in body["message"]
