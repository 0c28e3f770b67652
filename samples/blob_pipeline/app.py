"""A blob pipeline: a file uploaded under ``incoming/`` is summarised, the summary is stored in
the results bucket and announced on a queue (S3 + SQS on AWS, Blob Storage + Queue Storage on
Azure).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import faaskit
from faaskit import storage

UPLOADS = "uploads"
RESULTS = "results"
DONE = "done"

_BLOBS = {"aws": "s3", "azure": "azure"}
_QUEUES = {"aws": "sqs", "azure": "azure-queue"}


def summarize(data: bytes) -> dict[str, Any]:
    """Size, line count and SHA-256 of ``data``."""
    return {
        "bytes": len(data),
        "lines": data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


@faaskit.handler(
    faaskit.blob(UPLOADS, prefix="incoming/"),
    reads=[f"s3://{UPLOADS}"],
    writes=[f"s3://{RESULTS}", f"sqs://{DONE}"],
)
def on_upload(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
    """Summarise the uploaded file into ``results/<key>.json`` and announce it on ``done``."""
    summary = {"key": event.key, **summarize(event.read())}
    result_key = f"{event.key.removeprefix('incoming/')}.json"
    results = storage.blobs(f"{_BLOBS.get(ctx.platform, 's3')}://{RESULTS}")
    results.put(result_key, json.dumps(summary).encode(), content_type="application/json")
    done = storage.queues(f"{_QUEUES.get(ctx.platform, 'sqs')}://{DONE}")
    done.send(json.dumps({"result": result_key, "sha256": summary["sha256"]}))
    ctx.log.info("summarised %s into %s", event.key, result_key)
