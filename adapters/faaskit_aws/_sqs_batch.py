"""The records of an SQS delivery, plain ones decoded inline, the others carefully.

Most records have the documented shape and a plain body (nothing to unwrap). Those are built
here without per-field checks or function layers: each field read once, the lazy
:class:`~faaskit_aws._attributes.Attributes` and the frozen :class:`~faaskit.Message` and
:class:`~faaskit._events.BatchEntry` filled in through writable twins
(:func:`faaskit._fast.writable`). Any other record (a field missing or of another type, an SNS
envelope or S3 notification in the body, an odd timestamp) goes to the careful decoder, which
checks every field and names the bad one; both give equal messages for the same record.
Payload format: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from faaskit._events import BatchEntry, Message
from faaskit._fast import writable
from faaskit_aws._attributes import Attributes, sqs_attribute
from faaskit_aws._fields import arn_name

__all__ = ["plain_entries", "queue_name"]

Careful = Callable[[Any, int, str], "tuple[BatchEntry, Message | None]"]

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_UTC = _dt.timezone.utc
_from_timestamp = _dt.datetime.fromtimestamp
# Epoch milliseconds below 2**33 s (year 2242) convert exactly through a float of seconds.
_FLOAT_EXACT = 2**33 * 1000
_new: Any = object.__new__
_WritableMessage = writable(Message)
_WritableEntry = writable(BatchEntry)
# What an odd record raises on the way to the careful path.
_ODD = (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError)


_QUEUES: dict[Any, str | None] = {}
"""Queue names by source ARN, for the few queues a function reads (bounded)."""


def queue_name(arn: str) -> str | None:
    """The queue named by an SQS ARN (remembered)."""
    name = _QUEUES.get(arn, _QUEUES)
    if name is _QUEUES:
        if len(_QUEUES) >= 64:
            _QUEUES.clear()
        name = _QUEUES[arn] = arn_name(arn)
    return name  # type: ignore[return-value]


def plain_entries(
    batch: Sequence[Any], source: str, careful: Careful
) -> tuple[list[Any], list[Any]]:
    """The entries of every record of ``batch`` and the messages decoded, in order.

    ``careful(record, index, source)`` decodes the records that are not plain.
    """
    entries: list[Any] = []
    messages: list[Any] = []
    last_arn: Any = _QUEUES  # no ARN yet
    queue = None
    for index, record in enumerate(batch):
        try:
            message_id = record["messageId"]
            body = record["body"]
            system = record["attributes"]
            count = system["ApproximateReceiveCount"]
            sent = system["SentTimestamp"]
            group = system.get("MessageGroupId")
            attributes = record["messageAttributes"]
            arn = record["eventSourceARN"]
            head = body[:1]
            plain = (
                type(message_id) is str
                and type(body) is str
                and type(count) is str
                and type(sent) is str
                and message_id != ""
                and (group is None or type(group) is str)
                and (attributes is None or type(attributes) is dict)
                and (arn is None or type(arn) is str)
                and (
                    # message._may_wrap(body), inlined
                    not (
                        '"TopicArn"' in body
                        or '"Records"' in body
                        or '"detail-type"' in body
                        or '"Event"' in body
                    )
                    if head == "{"
                    else not head.isspace()
                )
            )
            if plain:
                count = int(count)
                value = int(sent)
                if not -_FLOAT_EXACT < value < _FLOAT_EXACT:
                    raise ValueError(sent)  # exact only on the careful path
                sent = _from_timestamp(value / 1000, _UTC)
        except _ODD:
            plain = False
        if not plain:
            odd, decoded = careful(record, index, source)
            entries.append(odd)
            if decoded is not None:
                messages.append(decoded)
            continue
        if arn != last_arn:  # one lookup per run of records from the same queue
            queue = queue_name(arn)
            last_arn = arn
        if attributes:
            lazy = _new(Attributes)  # Attributes.sqs(attributes, index), inlined
            lazy._raw = attributes
            lazy._decode = sqs_attribute
            lazy._source = source
            lazy._path = index
            lazy._cache = None
        else:
            lazy = _EMPTY
        message = _new(_WritableMessage)
        message.id = message_id
        message.body = body.encode()
        message.attributes = lazy
        message.delivery_count = count
        message.enqueued_at = sent
        message.source = queue
        message.subject = None
        message.group_id = group
        message.raw = record
        message.__class__ = Message
        entry = _new(_WritableEntry)
        entry.id = message_id
        entry.events = (message,)
        entry.item = message
        entry.error = None
        entry.__class__ = BatchEntry
        entries.append(entry)
        messages.append(message)
    return entries, messages
