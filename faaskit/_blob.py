"""The portable object-storage event: an object was created, deleted, ... in a bucket."""

from __future__ import annotations

import datetime as _dt
from typing import IO, TYPE_CHECKING

import attrs

from faaskit._cloudevent import iso_or_empty, structure

if TYPE_CHECKING:
    from faaskit._types import JSONObject, Raw
    from faaskit.storage import BlobStore

__all__ = ["BlobEvent"]


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
    raw: Raw = attrs.field(default=None, eq=False, repr=False)

    def _store(self) -> BlobStore:
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

    def to_cloudevent(self) -> JSONObject:
        """This event as a CloudEvents 1.0 JSON structure."""
        # source + id must differ between distinct events: objects with equal content share
        # an ETag, and one object is created, changed and deleted under the same key.
        tag = self.version or self.etag or ""
        return structure(
            id=f"{self.bucket}/{self.key}:{self.action}:{tag}:{iso_or_empty(self.time)}",
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
