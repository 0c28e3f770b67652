"""A to-do list HTTP API: create, list, read, update and delete the caller's own items.

Every route requires a signed-in caller: an API Gateway JWT authorizer on AWS, App Service
authentication on Azure (both give ``req.principal``); each caller sees only their own items.
Reads and writes are throttled separately. Items are JSON objects in a bucket, one per item,
under the caller's id.

    POST   /todos             {"title": "..."}            -> 201 + the item (Location header)
    GET    /todos[?done=true]                             -> 200 + the caller's items
    GET    /todos/{todo_id}                               -> 200 + the item, or 404
    PUT    /todos/{todo_id}   {"title": ..., "done": ...} -> 200 + the updated item, or 404
    DELETE /todos/{todo_id}                               -> 204, or 404

Run it locally (``faaskit serve`` keeps the bucket in its data folder)::

    # locally nothing strips client headers: trust them explicitly (see README, Trust model)
    FAASKIT_TRUST_PRINCIPAL_HEADERS=1 faaskit serve samples/todo_api/app.py --platform azure
    curl -H 'x-ms-client-principal-id: ada' -d '{"title": "write it"}' localhost:3000/api/todos
    TODOS_URL=file:///tmp/todos faaskit invoke samples/todo_api/app.py:create_todo \\
        method=POST path=/todos body='{"title": "write the report"}' \\
        'authorizer:={"jwt": {"claims": {"sub": "ada"}}}'
    faaskit build samples/todo_api/app.py --target all --out build/

``TODOS_URL`` (any ``faaskit.storage`` URL) says where items live; unset, it is the bucket
declared in ``reads``/``writes`` on whichever cloud runs the function.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from typing import Any
from urllib.parse import quote

import faaskit
from faaskit import storage

TODOS = "todo-items"
AUTH = {"jwt": {"issuer": "https://login.example.com/", "audience": ["todo-api"]}}
READ_LIMIT = {"rate": 20, "burst": 40}
WRITE_LIMIT = {"rate": 5, "burst": 10}
MAX_TITLE = 200

_BLOB_SCHEME = {"aws": "s3", "azure": "azure"}
_TODO_ID = re.compile(r"[0-9a-f]{32}")
_FIELDS = {"title": str, "done": bool}
_TODOS_BUCKET = [f"s3://{TODOS}"]


def todos(ctx: faaskit.Context) -> storage.BlobStore:
    """The item store: ``TODOS_URL``, else the items bucket of the cloud running the function."""
    scheme = _BLOB_SCHEME.get(ctx.platform, "s3")
    return storage.blobs(os.environ.get("TODOS_URL") or f"{scheme}://{TODOS}")


def owner(req: faaskit.HttpRequest) -> str:
    """The caller's id as a storage key segment; anonymous callers get 401."""
    principal = req.principal
    if principal is None or not principal.id:
        raise faaskit.UnauthorizedError("sign in to use the to-do list")
    return quote(principal.id, safe="")


def item_key(req: faaskit.HttpRequest) -> str:
    """The storage key of the item the path names; an id that cannot exist gives 404."""
    todo_id = req.path_params["todo_id"]
    if not _TODO_ID.fullmatch(todo_id):
        raise faaskit.NotFoundError(f"no to-do {todo_id!r}")
    return f"{owner(req)}/{todo_id}.json"


def fields(req: faaskit.HttpRequest, *, partial: bool) -> dict[str, Any]:
    """The validated ``title``/``done`` of the JSON body; anything else is a 400."""
    data = req.json()
    if not isinstance(data, dict):
        raise faaskit.BadRequestError("the body must be a JSON object")
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise faaskit.BadRequestError(f"unknown fields: {', '.join(unknown)}")
    for name, kind in _FIELDS.items():
        if name in data and not isinstance(data[name], kind):
            raise faaskit.BadRequestError(f"{name!r} must be a {kind.__name__}")
    if "title" in data and not 0 < len(data["title"].strip()) <= MAX_TITLE:
        raise faaskit.BadRequestError(f"'title' must have 1 to {MAX_TITLE} characters")
    if not partial and "title" not in data:
        raise faaskit.BadRequestError("'title' is required")
    if not data:
        raise faaskit.BadRequestError("nothing to update: give 'title' or 'done'")
    return data


def _load(store: storage.BlobStore, key: str) -> dict[str, Any]:
    try:
        item: dict[str, Any] = json.loads(store.get(key))
    except storage.BlobNotFound:
        raise faaskit.NotFoundError(f"no to-do {key.rsplit('/', 1)[-1][:-5]!r}") from None
    return item


def _save(store: storage.BlobStore, key: str, item: dict[str, Any]) -> None:
    store.put(key, json.dumps(item), content_type="application/json")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


@faaskit.handler(
    faaskit.http("POST", "/todos", auth=AUTH, throttle=WRITE_LIMIT), writes=_TODOS_BUCKET
)
def create_todo(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    """Add an item for the caller: 201 with the item and its ``Location``."""
    user = owner(req)
    data = fields(req, partial=False)
    now = _now()
    item = {
        "id": uuid.uuid4().hex,
        "title": data["title"].strip(),
        "done": data.get("done", False),
        "created_at": now,
        "updated_at": now,
    }
    _save(todos(ctx), f"{user}/{item['id']}.json", item)
    ctx.log.info("todo.created", extra={"user": user, "todo_id": item["id"]})
    return faaskit.Response.json(item, status=201, headers={"Location": f"/todos/{item['id']}"})


@faaskit.handler(faaskit.http("GET", "/todos", auth=AUTH, throttle=READ_LIMIT), reads=_TODOS_BUCKET)
def list_todos(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    """The caller's items, oldest first; ``?done=true`` or ``?done=false`` filters them."""
    user = owner(req)
    done = req.query.get("done")
    if done not in (None, "true", "false"):
        raise faaskit.BadRequestError("'done' must be true or false")
    store = todos(ctx)
    items = [json.loads(store.get(blob.key)) for blob in store.list(f"{user}/")]
    if done is not None:
        items = [item for item in items if item["done"] is (done == "true")]
    items.sort(key=lambda item: (item["created_at"], item["id"]))
    return {"items": items, "count": len(items)}


@faaskit.handler(
    faaskit.http("GET", "/todos/{todo_id}", auth=AUTH, throttle=READ_LIMIT),
    reads=_TODOS_BUCKET,
)
def get_todo(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    """One of the caller's items, or 404."""
    return _load(todos(ctx), item_key(req))


@faaskit.handler(
    faaskit.http("PUT", "/todos/{todo_id}", auth=AUTH, throttle=WRITE_LIMIT),
    reads=_TODOS_BUCKET,
    writes=_TODOS_BUCKET,
)
def update_todo(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    """Change the ``title`` and/or ``done`` of one of the caller's items, or 404."""
    key = item_key(req)
    data = fields(req, partial=True)
    store = todos(ctx)
    item = _load(store, key)
    item.update(data, updated_at=_now())
    if "title" in data:
        item["title"] = data["title"].strip()
    _save(store, key, item)
    changed = {"user": key.split("/")[0], "todo_id": item["id"], "fields": sorted(data)}
    ctx.log.info("todo.updated", extra=changed)
    return item


@faaskit.handler(
    faaskit.http("DELETE", "/todos/{todo_id}", auth=AUTH, throttle=WRITE_LIMIT),
    # Both: deleting is in S3CrudPolicy only, and exists() needs read access.
    reads=_TODOS_BUCKET,
    writes=_TODOS_BUCKET,
)
def delete_todo(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
    """Remove one of the caller's items: 204, or 404 when there is none."""
    key = item_key(req)
    store = todos(ctx)
    if not store.exists(key):
        raise faaskit.NotFoundError(f"no to-do {req.path_params['todo_id']!r}")
    store.delete(key)
    deleted = {"user": key.split("/")[0], "todo_id": req.path_params["todo_id"]}
    ctx.log.info("todo.deleted", extra=deleted)
