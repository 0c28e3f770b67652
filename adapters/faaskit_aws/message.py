"""Messages: SQS (standard, FIFO, dead-letter redrive), SNS, and SNS delivered through SQS.

Payload formats:
- SQS event and partial batch responses (``batchItemFailures``):
  https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html and
  https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
- SQS message attributes (String, Number, Binary and custom ``Type.label`` types):
  https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
- SNS event: https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
- SNS message attributes (String, String.Array, Number, Binary):
  https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
- SNS to SQS, raw and non-raw (JSON envelope) delivery:
  https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html

An SQS delivery becomes a :class:`~faaskit.MessageBatch` whose entries run one by one (plain
records are decoded inline by :mod:`faaskit_aws._sqs_batch`); a record that cannot be decoded is
reported as failed rather than dropped, and a record without a ``messageId`` (which could not be
reported) fails the whole delivery. Bodies holding an SNS envelope, an S3 notification or an S3
EventBridge event are unwrapped for per-item handlers (S3's ``s3:TestEvent`` gives no event and
is acknowledged); a whole-batch handler (``faaskit.queue(name, batch=True)``) sees the messages
as the queue holds them, SNS envelopes unwrapped. Every failure is reported in
``batchItemFailures``, even when all messages fail: the function must be configured with
``ReportBatchItemFailures`` (raising instead would make a misconfigured function retry the
batch, but would also hide which messages succeeded).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit import BatchResult, Context, Message, MessageBatch
from faaskit.adapter import BatchEntry, loads
from faaskit.exceptions import InvalidEventError
from faaskit_aws._attributes import Attributes, sns_attribute
from faaskit_aws._attributes import attributes as attributes_of
from faaskit_aws._fields import (
    arn_name,
    first_record,
    invalid,
    iso_time,
    optional,
    records,
    require,
)
from faaskit_aws._sqs_batch import METADATA, careful_field, sqs_batch

__all__ = ["DECODERS", "SNS", "SQS", "Attributes"]


def _json_body(body: str) -> Any:
    """The body as JSON when it may be a wrapped notification, else None (cheap checks first)."""
    if not _may_wrap(body):
        return None
    try:
        return loads(body)
    except ValueError:
        return None


def _contents(message: Message, data: Any, source: str, path: str) -> tuple[Any, ...]:
    """The portable events a message stands for: S3 notifications unwrapped, else itself."""
    if type(data) is dict:
        from faaskit_aws import blob

        if blob.is_s3_notification(data):
            return blob.s3_notification(data, source, path)
        if blob.is_s3_test_event(data):
            return ()
        if blob.is_eventbridge_object(data):
            return (blob.eventbridge_object(data, source, path),)
    return (message,)


def _is_sns_envelope(data: Any) -> bool:
    return (
        type(data) is dict
        and data.get("Type") == "Notification"
        and "TopicArn" in data
        and "Message" in data
    )


def _may_wrap(body: str) -> bool:
    """Whether ``body`` may hold a notification to unwrap (cheap checks, no parsing).

    An SNS envelope has a ``TopicArn`` key; every S3 notification names S3 in a value
    (``aws:s3``, ``aws.s3``, ``s3:TestEvent``).
    """
    head = body[:1]
    if head != "{" and not (head.isspace() and body.lstrip()[:1] == "{"):
        return False
    return '"TopicArn"' in body or "s3" in body


def _utf8(text: str, source: str, path: str) -> bytes:
    """``text`` as UTF-8; text no encoding can hold (a lone surrogate) is a typed error."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid(source, path, "holds a lone surrogate, which is not text") from None


def _sqs_entry(record: Any, index: int, source: str) -> tuple[BatchEntry, Message | None]:
    path = f"Records[{index}]"
    if not isinstance(record, Mapping):
        raise invalid(source, path, f"must be an object, got {type(record).__name__}")
    message_id = record.get("messageId")
    if not isinstance(message_id, str) or not message_id:
        # Without an id the message cannot be reported alone: fail the whole delivery.
        raise invalid(source, f"{path}.messageId", "is missing, so it cannot be reported")
    try:
        body = require(record, "body", str, source, path)
        data = _json_body(body)
        metadata = {name: careful_field(record, index, name) for name in METADATA}
        message = Message(
            id=message_id, body=_utf8(body, source, f"{path}.body"), raw=record, **metadata
        )
        if _is_sns_envelope(data):
            message, data = _from_envelope(message, data, source, f"{path}.body")
        events = _contents(message, data, source, f"{path}.body")
    except InvalidEventError as exc:
        return BatchEntry(id=message_id, error=exc), None
    return BatchEntry(id=message_id, events=events, item=message), message


def _from_envelope(
    message: Message, envelope: Mapping[str, Any], source: str, path: str
) -> tuple[Message, Any]:
    """An SQS message carrying a (non-raw) SNS envelope, as the SNS message it holds."""
    text = require(envelope, "Message", str, source, path)
    inner = Message(
        id=message.id,
        body=_utf8(text, source, f"{path}.Message"),
        attributes=attributes_of(envelope, "MessageAttributes", sns_attribute, source, path),
        delivery_count=message.delivery_count,
        enqueued_at=iso_time(envelope.get("Timestamp"), source, f"{path}.Timestamp"),
        source=arn_name(envelope.get("TopicArn")),
        subject=optional(envelope, "Subject", str, source, path),
        group_id=message.group_id,
        trace_id=message.trace_id,
        raw=message.raw,
    )
    return inner, _json_body(text)


def failures(result: Any) -> dict[str, list[dict[str, str]]]:
    """The partial batch response for a :class:`BatchResult`."""
    failed = result.failed if isinstance(result, BatchResult) else ()
    return {
        "batchItemFailures": [{"itemIdentifier": str(item)} for item in failed] if failed else []
    }


class Sqs:
    """An SQS batch (standard or FIFO); the response reports failures per message."""

    source = "sqs"

    def recognise(self, raw: Any) -> bool:
        # first_record(raw) and its event source, inlined: this runs on every invocation
        batch = raw.get("Records") if type(raw) is dict else None
        if type(batch) is not list or not batch:
            return False
        first = batch[0]
        return type(first) is dict and first.get("eventSource") == "aws:sqs"

    def decode(self, raw: Any, ctx: Context) -> MessageBatch:
        batch = raw.get("Records") if type(raw) is dict else None
        return sqs_batch(raw, batch if type(batch) is list else records(raw, "sqs"), _sqs_entry)

    def encode(self, result: Any, raw: Any) -> dict[str, list[dict[str, str]]]:
        if type(result) is BatchResult and not result.failed:
            return {"batchItemFailures": []}
        return failures(result)


def _sns_record(record: Any, index: int, source: str) -> tuple[Any, ...]:
    path = f"Records[{index}]"
    if not isinstance(record, Mapping):
        raise invalid(source, path, f"must be an object, got {type(record).__name__}")
    sns = require(record, "Sns", Mapping, source, path)
    spath = f"{path}.Sns"
    text = require(sns, "Message", str, source, spath)
    message = Message(
        id=require(sns, "MessageId", str, source, spath),
        body=_utf8(text, source, f"{spath}.Message"),
        attributes=attributes_of(sns, "MessageAttributes", sns_attribute, source, spath),
        enqueued_at=iso_time(sns.get("Timestamp"), source, f"{spath}.Timestamp"),
        source=arn_name(sns.get("TopicArn")),
        subject=optional(sns, "Subject", str, source, spath),
        raw=record,
    )
    return _contents(message, _json_body(text), source, f"{spath}.Message")


class Sns:
    """An SNS notification invoking the function (one record per invocation)."""

    source = "sns"

    def recognise(self, raw: Any) -> bool:
        first = first_record(raw)
        return first is not None and first.get("EventSource") == "aws:sns"

    def decode(self, raw: Any, ctx: Context) -> Any:
        events = tuple(
            event
            for index, record in enumerate(records(raw, self.source))
            for event in _sns_record(record, index, self.source)
        )
        return events[0] if len(events) == 1 else events

    def encode(self, result: Any, raw: Any) -> Any:
        from faaskit_aws.blob import passthrough

        return passthrough(result)


SQS = Sqs()
SNS = Sns()

DECODERS = (SQS, SNS)
