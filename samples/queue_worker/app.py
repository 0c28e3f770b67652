"""A queue worker: each message is one job, processed on its own.

In an SQS batch a failing message is reported alone (``batchItemFailures``), so only it is
redelivered and, after the queue's maximum receive count, moved to the dead-letter queue; on
Azure the failing message raises, the host retries it and then moves it to the poison queue.
"""

from __future__ import annotations

import json
from typing import Any

import faaskit
from faaskit import storage

JOBS = "jobs"
OUTBOX = "outbox"

_BLOBS = {"aws": "s3", "azure": "azure"}


class InvalidJob(ValueError):
    """A message that is not a job; retrying it cannot help, it ends in the dead-letter queue."""


def parse_job(message: faaskit.Message) -> dict[str, Any]:
    """The job a message holds: a JSON object with a string ``id`` and a ``to`` address."""
    try:
        job = json.loads(message.text)
    except ValueError:
        raise InvalidJob(f"message {message.id} is not JSON") from None
    if not isinstance(job, dict) or not isinstance(job.get("id"), str) or "to" not in job:
        raise InvalidJob(f"message {message.id} is not a job with 'id' and 'to'")
    return job


@faaskit.handler(faaskit.queue(JOBS), writes=[f"s3://{OUTBOX}"])
def work(message: faaskit.Message, ctx: faaskit.Context) -> None:
    """Deliver one job: write it to the outbox under its id."""
    job = parse_job(message)
    outbox = storage.blobs(f"{_BLOBS.get(ctx.platform, 's3')}://{OUTBOX}")
    outbox.put(f"{job['id']}.json", json.dumps(job).encode(), content_type="application/json")
    ctx.log.info("delivered job %s (attempt %s)", job["id"], message.delivery_count)
