"""A stream processor: page-view records from the ``clicks`` stream (Kinesis on AWS, Event Hubs
on Azure), handled one at a time, in order.

A record that fails stops its batch there: on AWS it is reported as the batch item failure, so
Kinesis resumes from it (the records before it are checkpointed); on Azure the delivery raises
and is retried. Each view is stored under its sequence number, so a replayed record overwrites
its own copy instead of counting twice.
"""

from __future__ import annotations

import json
from typing import Any

import faaskit
from faaskit import storage

STREAM = "clicks"
VIEWS = "page-views"

_BLOBS = {"aws": "s3", "azure": "azure"}


def view_of(record: faaskit.Record) -> dict[str, Any]:
    """The page view a record carries: a JSON object with a ``page`` path."""
    view = record.json()
    if not isinstance(view, dict) or not str(view.get("page", "")).startswith("/"):
        raise ValueError(f"record {record.id} is not a page view with a 'page' path")
    return {"page": view["page"], "user": record.partition_key}


@faaskit.handler(faaskit.stream(STREAM), writes=[f"s3://{VIEWS}"])
def on_click(record: faaskit.Record, ctx: faaskit.Context) -> None:
    """Store one page view under its user and sequence number (idempotent on replay)."""
    view = view_of(record)
    store = storage.blobs(f"{_BLOBS.get(ctx.platform, 's3')}://{VIEWS}")
    store.put(f"{view['user']}/{record.id}.json", json.dumps(view).encode())
