"""One handler body per trigger kind, run unchanged by AWS Lambda and Azure Functions.

Every non-HTTP handler records the portable event it received in the results store
(``RESULTS_URL``; any ``faaskit.storage`` URL), so the same delivery on either cloud can be
compared. ``tests/test_portability_samples.py`` runs it inside the real Lambda runtime client
and the real Azure Functions Python runtime.

    faaskit invoke samples/portable_triggers/app.py:greet path=/greet/ada
    faaskit serve samples/portable_triggers/app.py --platform azure
"""

from __future__ import annotations

import json
import os
from typing import Any

import faaskit
from faaskit import storage


def _record(name: str, data: dict[str, Any]) -> None:
    url = os.environ.get("RESULTS_URL", "file:///tmp/faaskit-results")
    storage.blobs(url, create=True).put(f"{name}.json", json.dumps(data, sort_keys=True))


@faaskit.handler(faaskit.http("GET", "/greet/{name}"))
def greet(req: faaskit.HttpRequest, ctx: faaskit.Context) -> dict[str, Any]:
    """Greet ``name`` in the language asked for with ``?lang=``."""
    word = {"en": "Hello", "fr": "Bonjour"}.get(req.query.get("lang") or "en")
    if word is None:
        raise faaskit.BadRequestError(f"unknown language {req.query.get('lang')!r}")
    return {"greeting": f"{word}, {req.path_params['name']}!", "route": req.route}


@faaskit.handler(faaskit.queue("orders"))
def on_order(message: faaskit.Message, ctx: faaskit.Context) -> None:
    """Record an order; an order marked ``bad`` fails, so the platform retries it."""
    order = message.json()
    if order.get("bad"):
        raise ValueError(f"order {order['id']} is bad")
    _record(f"order-{order['id']}", {"order": order, "text": message.text})


@faaskit.handler(faaskit.blob("uploads", prefix="in/"))
def on_upload(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
    """Record which object arrived."""
    name = event.key.replace("/", "_")
    _record(f"upload-{name}", {"bucket": event.bucket, "key": event.key, "size": event.size})


@faaskit.handler(faaskit.schedule("0 */5 * * * *"))
def tick(event: faaskit.ScheduleEvent, ctx: faaskit.Context) -> None:
    """Record a tick."""
    _record("tick", {"past_due": event.past_due, "has_time": event.time is not None})
