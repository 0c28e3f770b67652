"""An object-storage pipeline: a file lands in a bucket, a function summarises it, stores the
summary in another bucket and announces it on a queue.

The book's version makes image thumbnails; this one summarises text (lines, words, the most
frequent words and a SHA-256 checksum) so it needs no imaging library. The shape is the same:
trigger on upload, read the object, write a derived object, send a message.

    faaskit serve samples/image_pipeline/app.py --data .faaskit/local
    cp notes.txt .faaskit/local/blobs/pipeline-uploads/incoming/   # fires summarize
    faaskit build samples/image_pipeline/app.py --target all --out build/

Storage URLs come from the environment (``RESULTS_URL``, ``SUMMARIES_QUEUE_URL``; any
``faaskit.storage`` URL, ``file:///...`` locally); unset, they name the bucket and queue
declared in ``writes`` on whichever cloud runs the function.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import re
from typing import Any

import faaskit
from faaskit import storage

UPLOADS = "pipeline-uploads"
RESULTS = "pipeline-results"
SUMMARIES = "pipeline-summaries"

_BLOB_SCHEME = {"aws": "s3", "azure": "azure"}
_QUEUE_SCHEME = {"aws": "sqs", "azure": "azure-queue"}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def results_store(ctx: faaskit.Context) -> storage.BlobStore:
    """Where summaries are written: ``RESULTS_URL``, else the results bucket of this cloud."""
    url = os.environ.get("RESULTS_URL") or f"{_BLOB_SCHEME.get(ctx.platform, 's3')}://{RESULTS}"
    return storage.blobs(url)


def summaries_queue(ctx: faaskit.Context) -> storage.QueueSender:
    """Where announcements go: ``SUMMARIES_QUEUE_URL``, else the summaries queue of this cloud."""
    scheme = _QUEUE_SCHEME.get(ctx.platform, "sqs")
    return storage.queues(os.environ.get("SUMMARIES_QUEUE_URL") or f"{scheme}://{SUMMARIES}")


def summarize_text(data: bytes, *, top: int = 5) -> dict[str, Any]:
    """Counts and a checksum of ``data`` (text in UTF-8; undecodable bytes are replaced)."""
    text = data.decode("utf-8", "replace")
    words = [w.lower() for w in _WORD.findall(text)]
    common = collections.Counter(words).most_common(top)
    return {
        "bytes": len(data),
        "lines": len(text.splitlines()),
        "words": len(words),
        "top_words": [{"word": w, "count": n} for w, n in common],
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def summary_key(key: str) -> str:
    """``incoming/a/b.txt`` -> ``summaries/a/b.txt.json``."""
    return f"summaries/{key.removeprefix('incoming/')}.json"


@faaskit.handler(
    faaskit.blob(UPLOADS, prefix="incoming/", suffix=".txt"),
    reads=[f"s3://{UPLOADS}"],
    writes=[f"s3://{RESULTS}", f"sqs://{SUMMARIES}"],
)
def summarize(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
    """Summarise an uploaded text file, store the summary, announce it on the queue.

    An object deleted before this runs is skipped (it is gone; retrying cannot help). Any
    other failure raises, so the platform retries the event.
    """
    try:
        data = event.read()
    except storage.BlobNotFound:
        ctx.log.warning("skipped %s/%s: deleted before it was processed", event.bucket, event.key)
        return
    summary = {"source": f"{event.bucket}/{event.key}", **summarize_text(data)}
    key = summary_key(event.key)
    results_store(ctx).put(key, json.dumps(summary, indent=2), content_type="application/json")
    summaries_queue(ctx).send(
        {"summary": key, "source": summary["source"], "words": summary["words"]},
        attributes={"platform": ctx.platform},
    )
    ctx.log.info("summarised %s: %d words -> %s", event.key, summary["words"], key)
