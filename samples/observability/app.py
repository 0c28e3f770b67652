"""Observability: structured logs, a custom metric and a trace across a queue, on both clouds.

The book's chapter 5 (CloudWatch logs, Lambda metrics, log statements) and 9.4 (Azure Functions
logging and monitoring), with no hand-written log or metric formatting:

- ``place_order`` (HTTP ``POST /orders``) logs the order with ``extra=`` fields, counts it in
  the custom metric ``OrdersPlaced`` (dimension ``channel``), records its value, and queues it;
- ``ship_order`` (queue ``orders``) logs the message with the producer's trace context
  (``message.trace_id``) and counts ``OrdersShipped``; a message without an ``id`` fails.

Every ``ctx.log`` record is one JSON line with ``request_id``, ``function_name``,
``cold_start`` and ``trace_id`` beside the extra fields (CloudWatch Logs Insights:
``fields message, order_id | filter message = "order placed"``; Application Insights:
``traces | extend f = parse_json(message)``). Metrics are CloudWatch EMF lines on AWS in the
namespace ``FAASKIT_METRICS_NAMESPACE``; on Azure an OpenTelemetry meter when one is configured
(``azure-monitor-opentelemetry``), else one structured line per metric. On AWS the queue send
carries the caller's X-Ray header as ``AWSTraceHeader``, so the consumer joins its trace.

    ORDERS_QUEUE_URL=file:///tmp/orders faaskit invoke samples/observability/app.py:place_order \\
        --source apigw-v2 method=POST path=/orders 'body={"sku": "book", "amount": 12.5}'
    faaskit serve samples/observability/app.py   # metrics also go to .faaskit/local/metrics.jsonl
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import faaskit
from faaskit import storage

ORDERS = "orders"
_QUEUE_SCHEME = {"aws": "sqs", "azure": "azure-queue"}


def orders_queue(ctx: faaskit.Context) -> Any:
    """The orders queue: ``ORDERS_QUEUE_URL``, else the cloud's queue named ``orders``."""
    url = os.environ.get("ORDERS_QUEUE_URL")
    if not url:
        url = f"{_QUEUE_SCHEME.get(ctx.platform, 'sqs')}://{ORDERS}"
    return storage.queues(url)


@faaskit.handler(faaskit.http("POST", "/orders"), writes=[f"sqs://{ORDERS}"])
def place_order(req: faaskit.HttpRequest, ctx: faaskit.Context) -> faaskit.Response:
    """Accept an order: log it, measure it, queue it for shipping."""
    data = req.json()
    if not isinstance(data, dict) or not isinstance(data.get("sku"), str):
        raise faaskit.BadRequestError("an order needs a 'sku'")
    amount = data.get("amount", 0)
    if type(amount) not in (int, float):
        raise faaskit.BadRequestError("'amount' must be a number")
    order = {"id": uuid.uuid4().hex, "sku": data["sku"], "amount": amount}
    channel = req.headers.get("x-channel") or "web"
    ctx.log.info("order placed", extra={"order_id": order["id"], "sku": order["sku"]})
    ctx.metrics.add("OrdersPlaced", 1, channel=channel)
    ctx.metrics.add("OrderValue", amount, "None", channel=channel)
    orders_queue(ctx).send(order)
    return faaskit.Response.json(order, status=202)


@faaskit.handler(faaskit.queue(ORDERS))
def ship_order(message: faaskit.Message, ctx: faaskit.Context) -> None:
    """Ship one queued order; the log line carries the producer's trace context."""
    order = message.json()
    if not isinstance(order, dict) or "id" not in order:
        ctx.metrics.add("OrdersRejected", 1)
        raise ValueError(f"message {message.id} is not an order")
    ctx.log.info(
        "order shipped",
        extra={"order_id": order["id"], "producer_trace": message.trace_id},
    )
    ctx.metrics.add("OrdersShipped", 1)
