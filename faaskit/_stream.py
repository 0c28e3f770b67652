"""Portable stream records (Kinesis, Event Hubs) and change-feed entries (DynamoDB, Cosmos DB)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from faaskit._cloudevent import structure
from faaskit._message import parse_json

if TYPE_CHECKING:
    from faaskit._batch import BatchEntry
    from faaskit._types import JSON, JSONObject, Raw

__all__ = ["Record", "RecordBatch"]


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
    new: Mapping[str, JSON] | None = None
    old: Mapping[str, JSON] | None = None
    keys: Mapping[str, JSON] | None = None
    raw: Raw = attrs.field(default=None, eq=False, repr=False)

    def json(self) -> JSON:
        """The data parsed as JSON; raises :class:`InvalidEventError` when it is not."""
        return parse_json(self.data, "record", self)

    def to_cloudevent(self) -> JSONObject:
        """This record as a CloudEvents 1.0 JSON structure."""
        data: bytes | JSONObject = self.data
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


def _jsonable(value: JSON) -> JSON:
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
    raw: Raw = attrs.field(default=None, eq=False, repr=False)
    entries: Sequence[BatchEntry] = attrs.field(default=(), eq=False, repr=False)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def to_cloudevent(self) -> JSONObject:
        """The batch as a CloudEvents 1.0 structure whose data lists the records."""
        return structure(
            id=self.records[0].id if self.records else "",
            source=self.source or "",
            type="io.faaskit.record.batch",
            data=[r.to_cloudevent() for r in self.records],
        )
