"""Streams: Kinesis Data Streams and DynamoDB Streams, as ordered record batches.

Payload formats:
- Kinesis (``Records[].kinesis``, base64 ``data``): https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
- DynamoDB Streams (``Records[].dynamodb``, typed attribute values, images):
  https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html and
  https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html
- Partial batch responses for streams (the sequence number to resume from):
  https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html

Records run in order and processing stops at the first failure, whose sequence number is
reported so Lambda retries from there. A record that cannot be decoded (bad base64, malformed
attribute values) counts as that failure; a record without a sequence number fails the whole
delivery, since it could not be reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from faaskit import Context, Record, RecordBatch
from faaskit.adapter import BatchEntry
from faaskit.exceptions import InvalidEventError
from faaskit_aws._dynamodb import image
from faaskit_aws._fields import arn_name, b64, epoch, first_record, invalid, optional, records
from faaskit_aws.message import failures

__all__ = ["DECODERS", "DYNAMODB", "KINESIS"]

_ACTIONS = {"INSERT": "insert", "MODIFY": "modify", "REMOVE": "remove"}


def _sequence(record: Any, block: str, name: str, source: str, path: str) -> str:
    if not isinstance(record, Mapping):
        raise invalid(source, path, f"must be an object, got {type(record).__name__}")
    inner = record.get(block)
    seq = inner.get(name) if isinstance(inner, Mapping) else None
    if not isinstance(seq, str) or not seq:
        # Without a sequence number the record cannot be reported: fail the whole delivery.
        raise invalid(source, f"{path}.{block}.{name}", "is missing, so it cannot be reported")
    return seq


def _kinesis(record: Mapping[str, Any], seq: str, source: str, path: str) -> Record:
    block = record["kinesis"]
    kpath = f"{path}.kinesis"
    return Record(
        id=seq,
        data=b64(block.get("data"), source, f"{kpath}.data"),
        partition_key=optional(block, "partitionKey", str, source, kpath),
        time=epoch(
            block.get("approximateArrivalTimestamp"), source, f"{kpath}.approximateArrivalTimestamp"
        ),
        source=arn_name(record.get("eventSourceARN")),
        raw=record,
    )


def _dynamodb(record: Mapping[str, Any], seq: str, source: str, path: str) -> Record:
    block = record["dynamodb"]
    dpath = f"{path}.dynamodb"
    name = optional(record, "eventName", str, source, path)
    new, old, keys = (
        None if block.get(part) is None else image(block[part], source, f"{dpath}.{part}")
        for part in ("NewImage", "OldImage", "Keys")
    )
    micro = block.get("ApproximateCreationDateTimePrecision") == "MICROSECOND"
    return Record(
        id=seq,
        time=epoch(
            block.get("ApproximateCreationDateTime"),
            source,
            f"{dpath}.ApproximateCreationDateTime",
            unit=1_000_000 if micro else 1,
        ),
        source=arn_name(record.get("eventSourceARN")),
        action=_ACTIONS.get(name, name.lower()) if name else None,
        new=new,
        old=old,
        keys=keys,
        raw=record,
    )


class _Stream:
    source = ""
    event_source = ""
    block = ""
    sequence_name = ""
    build: Callable[[Mapping[str, Any], str, str, str], Record]

    def recognise(self, raw: Any) -> bool:
        first = first_record(raw)
        return first is not None and first.get("eventSource") == self.event_source

    def decode(self, raw: Any, ctx: Context) -> RecordBatch:
        source = self.source
        entries: list[BatchEntry] = []
        good: list[Record] = []
        for index, record in enumerate(records(raw, source)):
            path = f"Records[{index}]"
            seq = _sequence(record, self.block, self.sequence_name, source, path)
            try:
                item = type(self).build(record, seq, source, path)
            except InvalidEventError as exc:
                entries.append(BatchEntry(id=seq, error=exc))
                continue
            entries.append(BatchEntry(id=seq, events=(item,), item=item))
            good.append(item)
        first = first_record(raw) or {}
        return RecordBatch(
            records=good,
            source=arn_name(first.get("eventSourceARN")),
            raw=raw,
            entries=tuple(entries),
        )

    def encode(self, result: Any, raw: Any) -> dict[str, list[dict[str, str]]]:
        return failures(result)


class Kinesis(_Stream):
    """A Kinesis Data Streams batch."""

    source = "kinesis"
    event_source = "aws:kinesis"
    block = "kinesis"
    sequence_name = "sequenceNumber"
    build = staticmethod(_kinesis)


class DynamoDBStream(_Stream):
    """A DynamoDB Streams batch."""

    source = "dynamodb"
    event_source = "aws:dynamodb"
    block = "dynamodb"
    sequence_name = "SequenceNumber"
    build = staticmethod(_dynamodb)


KINESIS = Kinesis()
DYNAMODB = DynamoDBStream()

DECODERS = (KINESIS, DYNAMODB)
