"""An event consumer: events matching a pattern on the event bus (an EventBridge rule on AWS,
an Event Grid subscription on Azure) arrive as ``faaskit.CloudEvent``; each paid order is kept
as an invoice.
"""

from __future__ import annotations

import json
from typing import Any

import faaskit
from faaskit import storage

INVOICES = "invoices"
PATTERN = {"source": ["com.example.orders"], "detail-type": ["Order Paid"]}

_BLOBS = {"aws": "s3", "azure": "azure"}


def invoice_for(order: Any) -> dict[str, Any]:
    """The invoice of a paid order: its id and total (a missing total is a typed error)."""
    if not isinstance(order, dict) or "order_id" not in order or "total" not in order:
        raise ValueError("an 'Order Paid' event needs 'order_id' and 'total' in its data")
    return {"order_id": str(order["order_id"]), "total": round(float(order["total"]), 2)}


@faaskit.handler(faaskit.events(PATTERN), writes=[f"s3://{INVOICES}"])
def on_order_paid(event: faaskit.CloudEvent, ctx: faaskit.Context) -> None:
    """Write the invoice for the paid order."""
    invoice = invoice_for(event.data)
    store = storage.blobs(f"{_BLOBS.get(ctx.platform, 's3')}://{INVOICES}")
    store.put(f"{invoice['order_id']}.json", json.dumps(invoice).encode())
    ctx.log.info("invoice for %s from event %s", invoice["order_id"], event.id)
