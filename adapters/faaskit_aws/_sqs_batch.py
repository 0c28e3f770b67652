"""The records of an SQS delivery: plain ones built inline, their metadata decoded when read.

Most records have the documented shape and a plain body (nothing to unwrap). For those only the
id and the body are read up front; the :class:`~faaskit.Message` is filled in through its
writable twin (:func:`faaskit._fast.writable`) and its metadata fields (attributes, receive
count, send time, queue, group) are left pending (:mod:`faaskit._lazy`): :class:`SqsFields`
decodes each on first read, and hands a value it cannot take to the careful decoding of that
field alone (as the careful decoder reads it), which gives the same value or the typed error
naming the field (``Records[3].attributes...``); other fields play no part. Any
other record (id or body missing or of another type, an SNS envelope or S3 notification in the
body) goes to the careful decoder at once. Both paths give equal messages for the same record.
Payload format: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from faaskit import Message, MessageBatch
from faaskit.adapter import BatchEntry, Pending, writable
from faaskit_aws._attributes import Attributes, sqs_attribute
from faaskit_aws._attributes import attributes as attributes_of
from faaskit_aws._fields import arn_name, epoch, invalid, number, optional

__all__ = ["METADATA", "SqsFields", "careful_field", "sqs_batch"]

Careful = Callable[[Any, int, str], "tuple[BatchEntry, Message | None]"]

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_UTC = _dt.timezone.utc
_from_timestamp = _dt.datetime.fromtimestamp
# Epoch milliseconds below 2**33 s (year 2242) convert exactly through a float of seconds.
_FLOAT_EXACT = 2**33 * 1000
_new: Any = object.__new__
_WritableMessage = writable(Message)
_WritableBatch = writable(MessageBatch)
# What an odd record raises on the way to the careful path.
_ODD = (KeyError, TypeError, ValueError, AttributeError, OverflowError, OSError)


_QUEUES: dict[str, tuple[str, bool]] = {}
"""Queue names and FIFO flags by source ARN, for the few queues a function reads (bounded)."""


def _queue(record: Any, arn: Any) -> tuple[str | None, bool]:
    """The queue the source ``arn`` of ``record`` names and whether it is a FIFO queue.

    FIFO queue names end in ``.fifo``; without a queue name, a group id tells (standard queues
    may carry group ids too, for fair queuing).
    """
    queue = arn_name(arn)
    if queue is None:
        system = record.get("attributes") if type(record) is dict else None
        return None, isinstance(system, Mapping) and "MessageGroupId" in system
    if len(_QUEUES) >= 64:
        _QUEUES.clear()
    known = _QUEUES[arn] = (queue, queue.endswith(".fifo"))
    return known


def _attributes(fields: SqsFields, record: Any) -> Mapping[str, Any]:
    attributes = record["messageAttributes"]
    if type(attributes) is not dict:
        if attributes is None:
            return _EMPTY
        raise TypeError
    if not attributes:
        return _EMPTY
    return Attributes(attributes, sqs_attribute, "sqs", _Where(fields, record))


def _delivery_count(fields: SqsFields, record: Any) -> int:
    count = record["attributes"]["ApproximateReceiveCount"]
    if type(count) is str and count.isascii() and count.isdigit():
        return int(count)
    raise ValueError(count)


def _enqueued_at(fields: SqsFields, record: Any) -> _dt.datetime:
    sent = record["attributes"]["SentTimestamp"]
    if type(sent) is str and sent.isascii() and sent.isdigit():
        value = int(sent)
        if value < _FLOAT_EXACT:
            return _from_timestamp(value / 1000, _UTC)
    raise ValueError(sent)  # exact only on the careful path


def _source(fields: SqsFields, record: Any) -> str | None:
    arn = record["eventSourceARN"]
    if type(arn) is str:
        return (_QUEUES.get(arn) or _queue(record, arn))[0]
    raise TypeError


def _trace_id(fields: SqsFields, record: Any) -> str | None:
    trace = record["attributes"].get("AWSTraceHeader")
    if trace is None or type(trace) is str:
        return trace
    raise TypeError


def _group_id(fields: SqsFields, record: Any) -> str | None:
    group = record["attributes"].get("MessageGroupId")
    if group is None or type(group) is str:
        return group
    raise TypeError


_DECODE: dict[str, Callable[[SqsFields, Any], Any]] = {
    "attributes": _attributes,
    "delivery_count": _delivery_count,
    "enqueued_at": _enqueued_at,
    "source": _source,
    "group_id": _group_id,
    "trace_id": _trace_id,
}
METADATA = tuple(_DECODE)
"""The Message fields an SQS record's metadata gives."""


class _Where:
    """The payload path of the attributes of a plain record, found when an error names it
    (and fixed when pickled or copied).
    """

    __slots__ = ("fields", "record")

    def __init__(self, fields: SqsFields, record: Any) -> None:
        self.fields = fields
        self.record = record

    def __call__(self) -> str:
        return f"Records[{self.fields.position(self.record)}].messageAttributes"

    def __reduce__(self) -> tuple[Any, ...]:
        return str, (self(),)


class SqsFields(Pending):
    """The pending metadata of the plain messages of one SQS delivery."""

    __slots__ = ("positions", "records")

    def __init__(self, records: Sequence[Any]) -> None:
        self.records = records
        self.positions: dict[int, int] | None = None

    def position(self, record: Any) -> int:
        """The index of ``record`` (itself, not an equal one) in the delivery; the index of
        every record is found once, when an error first needs one, so that naming the records
        of a malformed batch stays linear and counting costs nothing on the plain path.
        """
        try:
            positions = self.positions
        except AttributeError:  # sqs_batch makes this object without __init__
            positions = None
        if positions is None:
            positions = self.positions = {}
            for index, item in enumerate(self.records):
                positions.setdefault(id(item), index)
        return positions[id(record)]

    def resolve(self, instance: Any, name: str) -> Any:
        record = instance.raw
        try:
            return _DECODE[name](self, record)
        except _ODD:
            pass
        return careful_field(record, self.position(record), name)


def careful_field(record: Any, index: int, name: str) -> Any:
    """Metadata field ``name`` of record ``index``, every value checked, or the typed error
    naming it; other fields, malformed or not, play no part (``message._sqs_entry`` reads each
    field through it).
    """
    path = f"Records[{index}]"
    if not isinstance(record, Mapping):
        raise invalid("sqs", path, f"must be an object, got {type(record).__name__}")
    if name == "attributes":
        return attributes_of(record, "messageAttributes", sqs_attribute, "sqs", path)
    if name == "source":
        return arn_name(record.get("eventSourceARN"))
    system = optional(record, "attributes", Mapping, "sqs", path) or {}
    spath = f"{path}.attributes"
    if name == "delivery_count":
        count = optional(system, "ApproximateReceiveCount", (str, int), "sqs", spath)
        if count is None:
            return None
        return int(number(str(count), "sqs", f"{spath}.ApproximateReceiveCount"))
    if name == "enqueued_at":
        return epoch(system.get("SentTimestamp"), "sqs", f"{spath}.SentTimestamp", unit=1000)
    if name == "trace_id":  # the producer's X-Ray header, sent as a system attribute
        return optional(system, "AWSTraceHeader", str, "sqs", spath)
    return optional(system, "MessageGroupId", str, "sqs", spath)


def _entry(message: Message) -> BatchEntry:
    return BatchEntry(id=message.id, events=(message,), item=message)


def sqs_batch(raw: Any, batch: Sequence[Any], careful: Careful) -> MessageBatch:
    """The :class:`~faaskit.MessageBatch` of the SQS delivery ``raw`` whose records are ``batch``.

    ``careful(record, index, "sqs")`` decodes the records that are not plain; without any, every
    message is its own entry and the batch lists no entries.
    """
    messages: list[Any] = []
    entries: list[BatchEntry] | None = None
    fields: Any = _new(SqsFields)  # SqsFields(batch), inlined
    fields.records = batch
    for record in batch:
        try:
            message_id = record["messageId"]
            body = record["body"]
            plain = (
                type(message_id) is str
                and message_id != ""
                and not ('"TopicArn"' in body or "s3" in body)  # message._may_wrap(body)
            )
            if plain:
                data = body.encode()  # and a body that is not text has no encode()
        except _ODD:
            plain = False
        if not plain:
            # Every record before this one gave one entry, or (all plain) one message.
            index = len(messages) if entries is None else len(entries)
            odd, decoded = careful(record, index, "sqs")
            if entries is None:
                entries = [_entry(message) for message in messages]
            entries.append(odd)
            if decoded is not None:
                messages.append(decoded)
            continue
        message = _new(_WritableMessage)
        message.id = message_id
        message.body = data
        message.attributes = fields
        message.delivery_count = fields
        message.enqueued_at = fields
        message.source = fields
        message.subject = None
        message.group_id = fields
        message.trace_id = fields
        message.raw = record
        message.text = body  # what Message.text would decode from the body
        message.__class__ = Message
        messages.append(message)
        if entries is not None:
            entries.append(_entry(message))
    first = batch[0] if batch else None
    arn = first.get("eventSourceARN") if type(first) is dict else None
    made = _new(_WritableBatch)
    made.messages = messages
    made.source, made.fifo = (type(arn) is str and _QUEUES.get(arn)) or _queue(first, arn)
    made.raw = raw
    made.entries = entries or ()
    made.__class__ = MessageBatch
    return made  # type: ignore[no-any-return]
