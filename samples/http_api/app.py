"""A CRUD HTTP API: each signed-in caller creates, lists, reads, updates and deletes their own
items. Every route requires a JWT (an API Gateway JWT authorizer on AWS; on Azure, App Service
authentication), reads and writes are throttled separately, bodies are validated.

    POST   /items             {"name": ..., "price": ...}  -> 201 + the item
    GET    /items                                          -> 200 + the caller's items
    GET    /items/{item_id}                                -> 200 + the item, or 404
    PUT    /items/{item_id}   {"name": ..., "price": ...}  -> 200 + the item, or 404
    DELETE /items/{item_id}                                -> 204, or 404
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import quote

import attrs

import faaskit
from faaskit import storage

ITEMS = "items"
AUTH = {"jwt": {"issuer": "https://auth.example.com/", "audience": ["http-api-app"]}}
READS = {"rate": 20, "burst": 40}
WRITES = {"rate": 5, "burst": 10}

_BLOBS = {"aws": "s3", "azure": "azure"}
_ITEM_ID = re.compile(r"[0-9a-f]{32}")


def store(ctx: faaskit.Context) -> storage.BlobStore:
    """The bucket (or container) holding every caller's items."""
    return storage.blobs(f"{_BLOBS.get(ctx.platform, 's3')}://{ITEMS}")


def owner(req: faaskit.HttpRequest) -> str:
    """The caller's id as a key segment (the platform vouched for it)."""
    if req.principal is None or not req.principal.id:
        raise faaskit.UnauthorizedError("sign in to use the items API")
    return quote(req.principal.id, safe="")


def item_key(req: faaskit.HttpRequest) -> str:
    """The key of the item the path names; an id that cannot exist is a 404."""
    item_id = req.path_params["item_id"]
    if not _ITEM_ID.fullmatch(item_id):
        raise faaskit.NotFoundError(f"no item {item_id!r}")
    return f"{owner(req)}/{item_id}.json"


@attrs.frozen
class ItemFields:
    """The request body of POST and PUT: faaskit validates it before the handler runs (400
    listing every field error) and hands it over as ``req.body_model``.
    """

    name: str = attrs.field(validator=[attrs.validators.min_len(1), attrs.validators.max_len(100)])
    price: float = attrs.field(validator=attrs.validators.ge(0))


def fields(req: faaskit.HttpRequest) -> dict[str, Any]:
    """The validated body as a dict."""
    return attrs.asdict(req.body_model)


def load(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    """The stored item the path names, or 404."""
    try:
        item: dict[str, Any] = json.loads(store(ctx).get(item_key(req)))
    except storage.BlobNotFound:
        raise faaskit.NotFoundError(f"no item {req.path_params['item_id']!r}") from None
    return item


def save(req: faaskit.HttpRequest, ctx: faaskit.Context, item: dict[str, Any]) -> None:
    """Store ``item`` under the caller."""
    key = f"{owner(req)}/{item['id']}.json"
    store(ctx).put(key, json.dumps(item).encode(), content_type="application/json")


@faaskit.handler(
    faaskit.http("POST", "/items", auth=AUTH, throttle=WRITES, body=ItemFields),
    writes=[f"s3://{ITEMS}"],
)
def create_item(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    """Create an item; 201 with the item and its ``Location``."""
    item = {"id": uuid.uuid4().hex, **fields(req)}
    save(req, ctx, item)
    return faaskit.Response.json(item, status=201, headers={"Location": f"/items/{item['id']}"})


@faaskit.handler(faaskit.http("GET", "/items", auth=AUTH, throttle=READS), reads=[f"s3://{ITEMS}"])
def list_items(req: faaskit.HttpRequest, ctx: faaskit.Context) -> list[Any]:
    """The caller's items."""
    items = store(ctx)
    return [json.loads(items.get(o.key)) for o in items.list(f"{owner(req)}/")]


@faaskit.handler(
    faaskit.http("GET", "/items/{item_id}", auth=AUTH, throttle=READS), reads=[f"s3://{ITEMS}"]
)
def get_item(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    """One item, or 404."""
    return load(req, ctx)


@faaskit.handler(
    faaskit.http("PUT", "/items/{item_id}", auth=AUTH, throttle=WRITES, body=ItemFields),
    reads=[f"s3://{ITEMS}"],
    writes=[f"s3://{ITEMS}"],
)
def update_item(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    """Replace an item's fields; 404 when it does not exist."""
    item = {**load(req, ctx), **fields(req)}
    save(req, ctx, item)
    return item


@faaskit.handler(
    faaskit.http("DELETE", "/items/{item_id}", auth=AUTH, throttle=WRITES),
    reads=[f"s3://{ITEMS}"],
    writes=[f"s3://{ITEMS}"],
)
def delete_item(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
    """Delete an item; 204, or 404 when it does not exist."""
    load(req, ctx)
    store(ctx).delete(item_key(req))
