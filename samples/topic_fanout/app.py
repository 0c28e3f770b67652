"""Topic fan-out: ``place_order`` (``POST /orders``) publishes each order to the ``orders``
topic (SNS on AWS, a Service Bus topic on Azure), and every subscriber gets its own copy.

``record_order`` keeps a copy of each order; ``notify_customer`` queues an e-mail job. Each
subscriber fails or succeeds on its own.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

import faaskit
from faaskit import storage

TOPIC = "orders"
ARCHIVE = "order-archive"
EMAILS = "emails"

_BLOBS = {"aws": "s3", "azure": "azure"}
_QUEUES = {"aws": "sqs", "azure": "azure-queue"}
_TOPICS = {"aws": "sns", "azure": "servicebus-topic"}


@attrs.frozen
class NewOrder:
    """The body of ``POST /orders`` (validated before ``place_order`` runs)."""

    order_id: str = attrs.field(validator=attrs.validators.min_len(1))
    email: str | None = None


@faaskit.handler(faaskit.http("POST", "/orders", body=NewOrder), writes=[f"sns://{TOPIC}"])
def place_order(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    """Publish the order to the topic; 202, the subscribers do the rest."""
    order = attrs.asdict(req.body_model)
    topic = storage.topics(f"{_TOPICS.get(ctx.platform, 'sns')}://{TOPIC}")
    message_id = topic.publish(json.dumps(order), subject="order placed")
    return faaskit.Response.json(
        {"order_id": order["order_id"], "message_id": message_id}, status=202
    )


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
