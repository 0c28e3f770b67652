"""Notifications: a topic subscriber fans an order event out into one job per recipient on a
queue, and a queue worker delivers each job.

The worker shows the per-message failure semantics of a queue handler: a handler processes
**one** message, so in an SQS batch a bad ("poison") message is reported on its own in
``batchItemFailures`` and only it is redelivered (then moved to the dead-letter queue); on
Azure the failing message raises, so the host retries it and moves it to the poison queue.

    JOBS_QUEUE_URL=file:///tmp/jobs faaskit invoke samples/notifications/app.py:fan_out \\
        --source sns message='{"order_id": "o-1", "recipients": ["ada@example.com"]}'
    OUTBOX_URL=file:///tmp/outbox faaskit invoke samples/notifications/app.py:deliver \\
        'bodies:=[{"id": "o-1-0", "to": "ada@example.com"}, "not json"]'
    faaskit build samples/notifications/app.py --target all --out build/

Storage URLs come from the environment (``JOBS_QUEUE_URL``, ``OUTBOX_URL``; any
``faaskit.storage`` URL, ``file:///...`` locally); unset, they name the queue and bucket
declared in ``writes`` on whichever cloud runs the function.
"""

from __future__ import annotations

import json
import os
from typing import Any

import faaskit
from faaskit import storage

TOPIC = "order-events"
JOBS = "notification-jobs"
OUTBOX = "notification-outbox"

_BLOB_SCHEME = {"aws": "s3", "azure": "azure"}
_QUEUE_SCHEME = {"aws": "sqs", "azure": "azure-queue"}


class InvalidJob(ValueError):
    """A message that can never be delivered, however often it is retried."""


def jobs_queue(ctx: faaskit.Context) -> storage.QueueSender:
    """The job queue: ``JOBS_QUEUE_URL``, else the jobs queue of this cloud."""
    scheme = _QUEUE_SCHEME.get(ctx.platform, "sqs")
    return storage.queues(os.environ.get("JOBS_QUEUE_URL") or f"{scheme}://{JOBS}")


def outbox(ctx: faaskit.Context) -> storage.BlobStore:
    """The record of sent notifications: ``OUTBOX_URL``, else the outbox bucket of this cloud."""
    scheme = _BLOB_SCHEME.get(ctx.platform, "s3")
    return storage.blobs(os.environ.get("OUTBOX_URL") or f"{scheme}://{OUTBOX}")


def _text(data: dict[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidJob(f"{where}: {name!r} must be a non-empty string, got {value!r}")
    return value


@faaskit.handler(faaskit.topic(TOPIC, subscription="notifier"), writes=[f"sqs://{JOBS}"])
def fan_out(message: faaskit.Message, ctx: faaskit.Context) -> None:
    """Turn one order event into one notification job per recipient.

    The body is ``{"order_id": ..., "recipients": [...], "text": ...}``; the message subject
    (SNS ``Subject``, Service Bus ``Subject``) becomes the notification's subject.
    """
    event = message.json()
    if not isinstance(event, dict):
        raise InvalidJob(f"message {message.id}: expected a JSON object")
    order = _text(event, "order_id", f"message {message.id}")
    recipients = event.get("recipients")
    if not isinstance(recipients, list) or not recipients:
        raise InvalidJob(f"message {message.id}: 'recipients' must be a non-empty list")
    text = event.get("text") or f"Update on order {order}"
    jobs = [
        {"id": f"{order}-{index}", "to": to, "subject": message.subject, "text": text}
        for index, to in enumerate(recipients)
    ]
    jobs_queue(ctx).send_batch(jobs)
    ctx.log.info("order %s: %d notification jobs queued", order, len(jobs))


@faaskit.handler(faaskit.queue(JOBS), writes=[f"s3://{OUTBOX}"])
def deliver(message: faaskit.Message, ctx: faaskit.Context) -> None:
    """Deliver one notification job (here: record it in the outbox).

    A job that is not JSON or lacks ``id`` or ``to`` raises: only this message is retried.
    Delivery is at least once, so the outbox record is keyed by the job id: a redelivered
    job overwrites its record instead of sending twice.
    """
    job = message.json()
    if not isinstance(job, dict):
        raise InvalidJob(f"message {message.id}: expected a JSON object")
    job_id = _text(job, "id", f"message {message.id}")
    to = _text(job, "to", f"job {job_id}")
    if "@" not in to:
        raise InvalidJob(f"job {job_id}: {to!r} is not an email address")
    record = {**job, "attempt": message.delivery_count, "platform": ctx.platform}
    outbox(ctx).put(f"sent/{job_id}.json", json.dumps(record), content_type="application/json")
    ctx.log.info("job %s: notified %s", job_id, to)
