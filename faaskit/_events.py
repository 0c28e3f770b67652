"""Portable non-HTTP events: object storage, messages, schedules and stream records."""

from __future__ import annotations

import datetime as _dt
import functools
import json as _json
from collections.abc import Mapping, Sequence
from typing import IO, Any

import attrs

from faaskit._cloudevent import structure
from faaskit._lazy import deferrable
from faaskit.exceptions import InvalidEventError

__all__ = [
    "BatchEntry",
    "BatchResult",
    "BlobEvent",
    "Message",
    "MessageBatch",
    "Record",
    "RecordBatch",
    "ScheduleEvent",
]


# First bytes after which json.loads(bytes) looks for a BOM, UTF-16 or UTF-32; it decodes
# everything else as UTF-8 (surrogates passed), which is quicker done here.
_SNIFFED = frozenset(b"\x00\xef\xfe\xff")


def _parse_json(data: bytes, what: str, event: Message | Record) -> Any:
    try:
        if data and data[0] not in _SNIFFED and (len(data) < 2 or data[1]):
            try:
                text: Any = data.decode("utf-8", "surrogatepass")
            except AttributeError:  # str or memoryview: as json.loads takes (or refuses) it
                text = data
            return _json.loads(text)
        return _json.loads(data)
    except ValueError as exc:
        raise InvalidEventError(
            f"{what} {event.id} is not valid JSON: {exc}",
            source=event.source or "unknown",
            field="body",
        ) from exc


@attrs.frozen(kw_only=True)
class BlobEvent:
    """An object was created, deleted, restored, ... in a bucket or container.

    ``key`` is URL-decoded; ``store`` is the faaskit storage URL of the bucket or container
    (``s3://bucket``, ``azure://container``, ``file:///path``) that :meth:`read` opens.
    """

    bucket: str
    key: str
    action: str = "created"
    size: int | None = None
    etag: str | None = None
    time: _dt.datetime | None = None
    content_type: str | None = None
    version: str | None = None
    url: str | None = None
    store: str | None = None
    source: str | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    def _store(self) -> Any:
        from faaskit.storage import blobs

        return blobs(self.store or f"file:///{self.bucket}")

    def read(self) -> bytes:
        """The object's content, fetched through the matching storage backend."""
        data: bytes = self._store().get(self.key)
        return data

    def open(self) -> IO[bytes]:
        """The object's content as a streamed binary file."""
        stream: IO[bytes] = self._store().open(self.key)
        return stream

    def to_cloudevent(self) -> dict[str, Any]:
        """This event as a CloudEvents 1.0 JSON structure."""
        # source + id must differ between distinct events: objects with equal content share
        # an ETag, and one object is created, changed and deleted under the same key.
        tag = self.version or self.etag or ""
        return structure(
            id=f"{self.bucket}/{self.key}:{self.action}:{tag}:{_iso_or_empty(self.time)}",
            source=self.store or self.bucket,
            type=f"io.faaskit.blob.{self.action}",
            time=self.time,
            subject=self.key,
            data={
                "bucket": self.bucket,
                "key": self.key,
                "size": self.size,
                "etag": self.etag,
                "contentType": self.content_type,
                "version": self.version,
                "url": self.url,
            },
        )


@deferrable("attributes", "delivery_count", "enqueued_at", "source", "group_id")
@attrs.frozen(kw_only=True)
class Message:
    """One message from a queue or a topic subscription.

    Adapters may leave the metadata fields to be decoded on first read (:mod:`faaskit._lazy`);
    a malformed raw value then raises :class:`InvalidEventError` naming it at that read.
    """

    id: str
    body: bytes = b""
    attributes: Mapping[str, Any] = attrs.field(factory=dict)
    delivery_count: int | None = None
    enqueued_at: _dt.datetime | None = None
    source: str | None = None
    subject: str | None = None
    group_id: str | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @functools.cached_property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced); kept in a slot once read, or
        filled in by an adapter that already holds the text.
        """
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body parsed as JSON; raises :class:`InvalidEventError` when it is not."""
        return _parse_json(self.body, "message", self)

    def to_cloudevent(self) -> dict[str, Any]:
        """This message as a CloudEvents 1.0 JSON structure."""
        return structure(
            id=self.id,
            source=self.source or "",
            type="io.faaskit.message",
            time=self.enqueued_at,
            subject=self.subject,
            data=self.body,
            content_type="application/json" if _looks_json(self.body) else "text/plain",
        )


def _looks_json(data: bytes) -> bool:
    try:
        _json.loads(data)
    except ValueError:
        return False
    return True


@attrs.frozen(kw_only=True)
class MessageBatch:
    """The messages of one delivery, in order; ``fifo`` when order must be preserved.

    ``entries`` (set by the adapters) lists every item of the delivery as the platform counts
    it, including those that could not be decoded; ``messages`` holds the decoded ones.
    """

    messages: Sequence[Message]
    source: str | None = None
    fifo: bool = False
    raw: Any = attrs.field(default=None, eq=False, repr=False)
    entries: Sequence[BatchEntry] = attrs.field(default=(), eq=False, repr=False)

    def __iter__(self) -> Any:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def to_cloudevent(self) -> dict[str, Any]:
        """The batch as a CloudEvents 1.0 structure whose data lists the messages."""
        return structure(
            id=self.messages[0].id if self.messages else "",
            source=self.source or "",
            type="io.faaskit.message.batch",
            data=[m.to_cloudevent() for m in self.messages],
        )


@attrs.frozen(kw_only=True)
class ScheduleEvent:
    """A scheduled tick. ``past_due`` is True when the platform fired it late."""

    time: _dt.datetime | None = None
    schedule: str | None = None
    past_due: bool = False
    id: str | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    def to_cloudevent(self) -> dict[str, Any]:
        """This tick as a CloudEvents 1.0 JSON structure."""
        return structure(
            id=self.id or (_iso_or_empty(self.time)),
            source=self.schedule or "schedule",
            type="io.faaskit.schedule",
            time=self.time,
            data={"schedule": self.schedule, "pastDue": self.past_due},
        )


def _iso_or_empty(time: _dt.datetime | None) -> str:
    return time.isoformat() if time else ""


@attrs.frozen(kw_only=True)
class Record:
    """One stream record (Kinesis, Event Hubs) or change-feed entry (DynamoDB, Cosmos DB).

    ``id`` is the sequence number; change feeds give ``new`` / ``old`` as plain dicts, the
    item's primary ``keys`` and ``action`` (``"insert"``, ``"modify"``, ``"remove"``).
    """

    id: str
    data: bytes = b""
    partition_key: str | None = None
    time: _dt.datetime | None = None
    source: str | None = None
    action: str | None = None
    new: Mapping[str, Any] | None = None
    old: Mapping[str, Any] | None = None
    keys: Mapping[str, Any] | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    def json(self) -> Any:
        """The data parsed as JSON; raises :class:`InvalidEventError` when it is not."""
        return _parse_json(self.data, "record", self)

    def to_cloudevent(self) -> dict[str, Any]:
        """This record as a CloudEvents 1.0 JSON structure."""
        data: Any = self.data
        if self.new is not None or self.old is not None:
            data = {"new": _jsonable(self.new), "old": _jsonable(self.old)}
        return structure(
            id=self.id,
            source=self.source or "",
            type=f"io.faaskit.record{'.' + self.action if self.action else ''}",
            time=self.time,
            subject=self.partition_key,
            data=data,
            content_type=None if isinstance(data, dict) else "application/octet-stream",
        )


def _jsonable(value: Any) -> Any:
    """A change-feed image as JSON values: sets become lists, ``Decimal`` s numbers and bytes
    base64 text (DynamoDB's ``NS``/``SS``/``BS``, ``N`` and ``B``).
    """
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes | bytearray):
        import base64

        return base64.b64encode(value).decode("ascii")
    if type(value).__name__ == "Decimal":
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@attrs.frozen(kw_only=True)
class RecordBatch:
    """The records of one stream delivery, in sequence order (``entries`` as in
    :class:`MessageBatch`).
    """

    records: Sequence[Record]
    source: str | None = None
    raw: Any = attrs.field(default=None, eq=False, repr=False)
    entries: Sequence[BatchEntry] = attrs.field(default=(), eq=False, repr=False)

    def __iter__(self) -> Any:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def to_cloudevent(self) -> dict[str, Any]:
        """The batch as a CloudEvents 1.0 structure whose data lists the records."""
        return structure(
            id=self.records[0].id if self.records else "",
            source=self.source or "",
            type="io.faaskit.record.batch",
            data=[r.to_cloudevent() for r in self.records],
        )


def _ids(ids: Any) -> Sequence[str]:
    """One failed id given as a string is that id, not its characters."""
    return (ids,) if isinstance(ids, str) else ids


@attrs.frozen(kw_only=True)
class BatchResult:
    """What a batch handler reports: the ids (message ids or sequence numbers) that failed."""

    failed: Sequence[str] = attrs.field(default=(), converter=_ids)


@attrs.frozen(kw_only=True)
class BatchEntry:
    """One item of a batched delivery as the platform counts and acknowledges it.

    ``id`` is what a failure reports (SQS message id, stream sequence number); ``events`` are the
    portable events a per-item handler runs on (one :class:`Message` or :class:`Record`, the
    :class:`BlobEvent` s unwrapped from an S3 notification, or none for a test notification);
    ``item`` is the :class:`Message` or :class:`Record` a whole-batch handler sees. An entry that
    could not be decoded has ``error`` set and is reported as failed, never dropped.
    """

    id: str
    events: tuple[Any, ...] = ()
    item: Any = None
    error: InvalidEventError | None = None
