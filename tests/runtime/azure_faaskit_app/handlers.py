"""Portable handlers the Azure runtime tests load through ``faaskit_azure.function_app``.

Non-HTTP handlers log what they received as JSON on the ``received`` logger, so tests can
compare it with what the harness sent.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import faaskit

_log = logging.getLogger("received")


def _report(kind: str, fields: dict[str, Any]) -> None:
    _log.info("%s %s", kind, json.dumps(fields, default=str))


@faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
def get_item(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    """Echo the path parameter, a query value, a header and the platform."""
    return {
        "id": req.path_params["item_id"],
        "q": req.query.get("q"),
        "trace": req.headers.get("X-Trace"),
        "platform": ctx.platform,
    }


@faaskit.handler(faaskit.http("POST", "/echo"))
def echo(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    """Send the body back with a custom status and header."""
    return faaskit.Response(
        req.body, status=202, headers={"x-echo": "yes"}, content_type="text/plain"
    )


@faaskit.handler(faaskit.http("GET", "/login"))
def login(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    """Set a plain cookie and one with attributes."""
    theme = faaskit.Cookie(value="dark", path="/", http_only=True, secure=True)
    return faaskit.Response("welcome", cookies={"session": "abc", "theme": theme})


@faaskit.handler(faaskit.http("GET", "/fail"))
def fail(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
    """An unhandled error: the adapter answers 500 with the request id."""
    raise RuntimeError("handler failed on purpose")


@faaskit.handler(faaskit.queue("orders"))
def on_order(msg: faaskit.Message, ctx: faaskit.Context) -> None:
    """Report the message; a ``poison`` body fails so the platform retries it."""
    if msg.text == "poison":
        raise ValueError("poison message")
    fields = {"id": msg.id, "text": msg.text, "delivery_count": msg.delivery_count}
    _report("message", fields)


@faaskit.handler(faaskit.blob("uploads", prefix="in/"))
def on_upload(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
    """Report the blob event."""
    fields = {"bucket": event.bucket, "key": event.key, "size": event.size}
    _report("blob", fields)


@faaskit.handler(faaskit.schedule("rate(5 minutes)"))
def tick(event: faaskit.ScheduleEvent, ctx: faaskit.Context) -> None:
    """Report the schedule event."""
    _report("schedule", {"past_due": event.past_due})
