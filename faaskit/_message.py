"""Portable messages: one message from a queue or a topic subscription, and a delivered batch."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from faaskit._cloudevent import structure
from faaskit._json import loads
from faaskit._lazy import deferrable
from faaskit.exceptions import InvalidEventError

if TYPE_CHECKING:
    from faaskit._batch import BatchEntry
    from faaskit._stream import Record
    from faaskit._types import JSON, JSONObject, Raw

__all__ = ["Message", "MessageBatch", "parse_json"]


# First bytes after which json.loads(bytes) looks for a BOM, UTF-16 or UTF-32; it decodes
# everything else as UTF-8 (surrogates passed), which is quicker done here.
_SNIFFED = frozenset(b"\x00\xef\xfe\xff")


def parse_json(data: bytes, what: str, event: Message | Record) -> JSON:
    """``data`` parsed as JSON; :class:`InvalidEventError` naming ``event`` otherwise."""
    try:
        if data and data[0] not in _SNIFFED and (len(data) < 2 or data[1]):
            try:
                text: str | bytes = data.decode("utf-8", "surrogatepass")
            except AttributeError:  # str or memoryview: as json.loads takes (or refuses) it
                text = data
            return loads(text)
        return loads(data)
    except ValueError as exc:
        raise InvalidEventError(
            f"{what} {event.id} is not valid JSON: {exc}",
            source=event.source or "unknown",
            field="body",
        ) from exc


@deferrable("attributes", "delivery_count", "enqueued_at", "source", "group_id", "trace_id")
@attrs.frozen(kw_only=True)
class Message:
    """One message from a queue or a topic subscription.

    ``trace_id`` is the producer's trace context when the service carried it (SQS
    ``AWSTraceHeader``, a Service Bus ``traceparent`` / ``Diagnostic-Id`` application property,
    ``file://`` queues), so a consumer can link its work to the sender's trace.
    Adapters may leave the metadata fields to be decoded on first read (:mod:`faaskit._lazy`);
    a malformed raw value then raises :class:`InvalidEventError` naming it at that read.
    """

    id: str
    body: bytes = b""
    attributes: Mapping[str, JSON] = attrs.field(factory=dict)
    delivery_count: int | None = None
    enqueued_at: _dt.datetime | None = None
    source: str | None = None
    subject: str | None = None
    group_id: str | None = None
    trace_id: str | None = None
    raw: Raw = attrs.field(default=None, eq=False, repr=False)

    @functools.cached_property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced); kept in a slot once read, or
        filled in by an adapter that already holds the text.
        """
        return self.body.decode("utf-8", "replace")

    def json(self) -> JSON:
        """The body parsed as JSON; raises :class:`InvalidEventError` when it is not."""
        return parse_json(self.body, "message", self)

    def to_cloudevent(self) -> JSONObject:
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
        loads(data)
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
    raw: Raw = attrs.field(default=None, eq=False, repr=False)
    entries: Sequence[BatchEntry] = attrs.field(default=(), eq=False, repr=False)

    def __iter__(self) -> Iterator[Message]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def to_cloudevent(self) -> JSONObject:
        """The batch as a CloudEvents 1.0 structure whose data lists the messages."""
        return structure(
            id=self.messages[0].id if self.messages else "",
            source=self.source or "",
            type="io.faaskit.message.batch",
            data=[m.to_cloudevent() for m in self.messages],
        )
