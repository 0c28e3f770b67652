"""Topic fan-out: every order event published to the ``orders`` topic reaches each subscriber
(SNS subscriptions on AWS, Service Bus topic subscriptions on Azure).

``record_order`` keeps a copy of each order; ``notify_customer`` queues an e-mail job. Each
subscriber gets its own copy of every message and fails or succeeds on its own.
"""

from __future__ import annotations

import json
from typing import Any

import faaskit
from faaskit import storage

TOPIC = "orders"
ARCHIVE = "order-archive"
EMAILS = "emails"

_BLOBS = {"aws": "s3", "azure": "azure"}
_QUEUES = {"aws": "sqs", "azure": "azure-queue"}


def order_of(message: faaskit.Message) -> dict[str, Any]:
    """The order a message carries: a JSON object with a string ``order_id``."""
    order = message.json()
    if not isinstance(order, dict) or not isinstance(order.get("order_id"), str):
        raise ValueError(f"message {message.id} is not an order with an 'order_id'")
    return order


@faaskit.handler(faaskit.topic(TOPIC, subscription="archive"), writes=[f"s3://{ARCHIVE}"])
def record_order(message: faaskit.Message, ctx: faaskit.Context) -> None:
    """Keep a copy of the order under its id."""
    order = order_of(message)
    archive = storage.blobs(f"{_BLOBS.get(ctx.platform, 's3')}://{ARCHIVE}")
    archive.put(f"{order['order_id']}.json", message.body, content_type="application/json")


@faaskit.handler(faaskit.topic(TOPIC, subscription="notify"), writes=[f"sqs://{EMAILS}"])
def notify_customer(message: faaskit.Message, ctx: faaskit.Context) -> None:
    """Queue one e-mail job for the order's customer."""
    order = order_of(message)
    if order.get("email"):
        emails = storage.queues(f"{_QUEUES.get(ctx.platform, 'sqs')}://{EMAILS}")
        emails.send(json.dumps({"to": order["email"], "order_id": order["order_id"]}))
