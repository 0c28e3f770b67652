"""Deliver local blob, message and schedule events to handlers the way each cloud does.

AWS: the Lambda event (S3 notification, SQS batch, SNS notification, scheduled rule) through
``handler(event, context)``; SQS partial failures come back as ``batchItemFailures``.
Azure: the ``azure.functions`` object for the binding ``faaskit_azure`` registered (blob
trigger or Event Grid, Storage Queue or Service Bus, timer), through the registered function;
a failure raises, as the worker reports it to the host.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Sequence
from typing import Any

from faaskit import Handler, Message
from faaskit.exceptions import ConfigurationError
from faaskit.testing import aws_bus, aws_events, azure_events
from faaskit.testing.runner import azure_function, invoke

log = logging.getLogger("faaskit.serve")

__all__ = ["azure_binding", "deliver_blob", "deliver_messages", "deliver_tick"]


def azure_binding(handler: Handler) -> str:
    """The trigger binding type ``faaskit_azure`` registers ``handler`` behind."""
    return str(azure_function(handler).get_trigger().type)


def deliver_blob(
    handler: Handler,
    platform: str,
    *,
    bucket: str,
    key: str,
    action: str,
    size: int,
    etag: str | None,
    read: Any,
) -> None:
    """Fire ``handler`` for one object event; raises when the handler fails."""
    if platform == "aws":
        invoke(handler, aws_events.s3(bucket, key, action=action, size=size, etag=etag))
        return
    binding = azure_binding(handler)
    if binding == "blobTrigger":
        spec = azure_events.blob(bucket, key, data=read())
    elif binding == "eventGridTrigger":
        spec = azure_events.blob_created_eventgrid(bucket, key, size=size, action=action)
    else:
        raise ConfigurationError(f"handler {handler.name!r}: no local blob delivery for {binding}")
    invoke(handler, spec, platform="azure")


def _text(message: Message) -> str:
    return message.body.decode("utf-8", "replace")


def _aws_batch(messages: Sequence[tuple[Message, int]], queue: str) -> dict[str, Any]:
    records = []
    for message, attempt in messages:
        event = aws_events.sqs(
            _text(message),
            queue=queue.removesuffix(".fifo"),
            attributes=dict(message.attributes),
            fifo=queue.endswith(".fifo"),
            receive_count=attempt,
        )
        record = event["Records"][0]
        record["messageId"] = message.id
        records.append(record)
    return {"Records": records}


def deliver_messages(
    handler: Handler, platform: str, queue: str, messages: Sequence[tuple[Message, int]]
) -> set[str]:
    """Deliver ``(message, attempt)`` pairs; the ids that failed."""
    ids = {m.id for m, _ in messages}
    topic = type(handler.trigger).__name__ == "Topic"
    if platform == "aws":
        if topic:
            failed: set[str] = set()
            for message, _ in messages:
                try:
                    invoke(
                        handler,
                        aws_events.sns(
                            _text(message),
                            topic=queue,
                            subject=message.subject,
                            attributes=dict(message.attributes),
                        ),
                    )
                except Exception:
                    failed.add(message.id)
            return failed
        try:
            result = invoke(handler, _aws_batch(messages, queue))
        except Exception as exc:
            report_failure(handler, "the batch", exc)
            return ids
        if isinstance(result, dict):
            return {str(f.get("itemIdentifier")) for f in result.get("batchItemFailures") or ()}
        return set()
    binding = azure_binding(handler)
    failed = set()
    for message, attempt in messages:
        if binding == "queueTrigger":
            spec = azure_events.queue(message.body, dequeue_count=attempt, id=message.id)
        elif binding == "serviceBusTrigger":
            spec = azure_events.servicebus(
                message.body,
                subject=message.subject,
                properties=dict(message.attributes),
                delivery_count=attempt,
                message_id=message.id,
            )
        else:
            raise ConfigurationError(
                f"handler {handler.name!r}: no local message delivery for {binding}"
            )
        try:
            invoke(handler, spec, platform="azure")
        except Exception as exc:
            report_failure(handler, message.id, exc)
            failed.add(message.id)
    return failed


def report_failure(handler: Handler, what: str, exc: BaseException) -> None:
    """Log that ``handler`` raised on ``what`` (the traceback only at debug level)."""
    log.error(
        "%s raised on %s: %s: %s",
        handler.name,
        what,
        type(exc).__name__,
        exc,
        exc_info=log.isEnabledFor(logging.DEBUG),
    )


def deliver_tick(handler: Handler, platform: str, when: _dt.datetime, past_due: bool) -> None:
    """Fire a scheduled handler once; raises when the handler fails."""
    if platform == "aws":
        invoke(handler, aws_bus.schedule(handler.name, time=when))
        return
    invoke(handler, azure_events.timer(past_due=past_due), platform="azure")
