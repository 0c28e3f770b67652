"""What every storage backend offers: :class:`BlobStore`, :class:`QueueSender`, ``BlobInfo``."""

from __future__ import annotations

import abc
import datetime as _dt
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, TypeAlias

import attrs

from faaskit.exceptions import InvalidStorageRequest
from faaskit.storage._keys import check_key, check_prefix

__all__ = [
    "AttributeValue",
    "BlobData",
    "BlobInfo",
    "BlobStore",
    "Body",
    "QueueSender",
    "blob_payload",
    "check_attributes",
    "check_condition",
    "check_content_type",
    "check_metadata",
    "encode_body",
    "unquote_etag",
]

BlobData: TypeAlias = bytes | bytearray | memoryview | str | IO[bytes]
"""What :meth:`BlobStore.put` takes: bytes, text (stored as UTF-8) or a binary stream."""

Body: TypeAlias = bytes | bytearray | memoryview | str | Mapping[str, Any] | list[Any]
"""What a queue sender takes: bytes, text, or a dict/list sent as JSON."""

AttributeValue: TypeAlias = str | int | float | bytes


@attrs.frozen(kw_only=True)
class BlobInfo:
    """One stored object: ``key`` relative to the store, ``size`` in bytes.

    ``etag`` has no surrounding quotes. :meth:`BlobStore.list` fills the fields the listing
    returns; :meth:`BlobStore.info` also fills ``content_type`` and ``metadata``.
    """

    key: str
    size: int
    etag: str | None = None
    last_modified: _dt.datetime | None = None
    content_type: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)


class BlobStore(abc.ABC):
    """A bucket or container (optionally under a key prefix), the same on every backend.

    Keys are ``/``-separated and relative to the store's prefix. A key that is empty, starts
    with ``/``, holds an empty, ``.`` or ``..`` segment, a backslash or a control character is
    refused with :class:`~faaskit.exceptions.InvalidStorageRequest` on every backend, so a key
    that works on one cloud works on all. Unicode and spaces are fine.

    Errors: a missing object, bucket or container raises
    :class:`~faaskit.exceptions.BlobNotFound` (a ``KeyError``); refused credentials raise
    :class:`~faaskit.exceptions.AccessDenied`; anything else (server unreachable, throttled,
    ...) raises :class:`~faaskit.exceptions.StorageError`. The SDK's error is the ``__cause__``.
    """

    _url: str  # set by each backend's constructor

    @property
    def url(self) -> str:
        """The store's URL (``s3://bucket/prefix``, ``azure://container``, ``file:///path``)."""
        return self._url

    @abc.abstractmethod
    def get(self, key: str) -> bytes:
        """The whole content of ``key``."""

    def get_versioned(self, key: str) -> tuple[bytes, str]:
        """The whole content of ``key`` and the ETag of that very version, read together
        (one request), ready for a compare-and-swap ``put(..., if_match=etag)``.
        """
        etag = self.info(key).etag or ""
        return self.get(key), etag

    @abc.abstractmethod
    def open(self, key: str) -> IO[bytes]:
        """A binary file streaming the content of ``key``; close it (or use ``with``)."""

    def put(
        self,
        key: str,
        data: BlobData,
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
        if_none_match: str | None = None,
        if_match: str | None = None,
    ) -> str:
        """Store ``data`` under ``key``, replacing any previous object whole; the new ETag.

        ``data`` may be bytes, ``str`` (stored as UTF-8) or a readable binary stream, which is
        copied in chunks (never read whole into memory). ``metadata`` as
        :func:`check_metadata` allows: names come back from :meth:`info` in lowercase.

        Conditional writes: ``if_none_match="*"`` creates the object only when ``key`` does
        not exist; ``if_match=etag`` replaces it only while its ETag is ``etag``. When the
        condition fails nothing is written and
        :class:`~faaskit.exceptions.PreconditionFailed` is raised, on every backend, and
        of several concurrent conditional writers exactly one wins.
        """
        check_key(key, self.url)
        create_only, expected = check_condition(if_none_match, if_match, self.url, key)
        checked = check_metadata(metadata, self.url, key)
        check_content_type(content_type, self.url, key)
        payload = blob_payload(data, self.url, key)
        return self._put(
            key, payload, content_type, checked, create_only=create_only, if_match=expected
        )

    @abc.abstractmethod
    def _put(
        self,
        key: str,
        payload: bytes | IO[bytes],
        content_type: str | None,
        metadata: Mapping[str, str] | None,
        *,
        create_only: bool = False,
        if_match: str | None = None,
    ) -> str:
        """Store ``payload`` (bytes or a binary stream) under the checked ``key``; its ETag.

        ``create_only`` and ``if_match`` (unquoted) are the checked conditions.
        """

    @abc.abstractmethod
    def exists(self, key: str) -> bool:
        """Whether ``key`` names an object."""

    @abc.abstractmethod
    def delete(self, key: str, *, if_match: str | None = None) -> None:
        """Remove ``key``; deleting a missing key is not an error (a missing store is).

        With ``if_match=etag`` the object is removed only while its ETag is ``etag``;
        otherwise (or when it is missing) :class:`~faaskit.exceptions.PreconditionFailed`.
        """

    def list(self, prefix: str = "") -> Iterator[BlobInfo]:
        """The objects whose key starts with ``prefix``, in key order, fetched page by page."""
        check_prefix(prefix, self.url)
        return self._list(prefix)

    @abc.abstractmethod
    def _list(self, prefix: str) -> Iterator[BlobInfo]:
        """The objects under the checked ``prefix`` (errors may surface while iterating)."""

    @abc.abstractmethod
    def info(self, key: str) -> BlobInfo:
        """Size, etag, time, content type and metadata of ``key``."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


class QueueSender(abc.ABC):
    """Sends messages to one queue. ``send`` returns the id the service gave the message."""

    _url: str  # set by each backend's constructor

    @property
    def url(self) -> str:
        """The queue's URL (``sqs://name``, ``azure-queue://name``, ``file:///path``)."""
        return self._url

    @abc.abstractmethod
    def send(self, body: Body, *, attributes: Mapping[str, AttributeValue] | None = None) -> str:
        """Send one message; a dict or list body is sent as JSON, ``str`` as UTF-8."""

    def send_batch(
        self,
        bodies: Iterable[Body],
        *,
        attributes: Mapping[str, AttributeValue] | None = None,
    ) -> list[str]:
        """Send several messages (in chunks the service accepts); their ids, in order."""
        return [self.send(body, attributes=attributes) for body in bodies]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


def blob_payload(data: BlobData, url: str, key: str) -> bytes | IO[bytes]:
    """What :meth:`BlobStore.put` was given, as bytes or a binary stream."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if callable(getattr(data, "read", None)) and not isinstance(data, io.TextIOBase):
        return data
    raise InvalidStorageRequest(
        f"{url}: cannot put {key!r}: data must be bytes, str or a binary stream, "
        f"not {type(data).__name__}"
    )


def check_condition(
    if_none_match: str | None, if_match: str | None, url: str, key: str
) -> tuple[bool, str | None]:
    """The conditions of a write checked: (create only, the unquoted ETag to match)."""
    where = f"{url}: cannot put {key!r}"
    if if_none_match is not None and if_match is not None:
        raise InvalidStorageRequest(f"{where}: give if_none_match or if_match, not both")
    if if_none_match is not None and if_none_match != "*":
        raise InvalidStorageRequest(
            f"{where}: if_none_match must be '*' (create only), not {if_none_match!r}"
        )
    if if_match is not None:
        if not isinstance(if_match, str) or not if_match.strip('"'):
            raise InvalidStorageRequest(f"{where}: if_match must be an ETag, not {if_match!r}")
        return False, if_match.strip('"')
    return if_none_match is not None, None


def unquote_etag(value: str | None) -> str | None:
    """An ETag as :class:`BlobInfo` holds it: without its surrounding quotes."""
    return value.strip('"') if value else value


def encode_body(body: Body, url: str) -> bytes:
    """A message body as bytes; refuses types that have no faithful encoding."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, (Mapping, list)):
        try:
            return json.dumps(body, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError) as exc:
            raise InvalidStorageRequest(
                f"{url}: message body is not JSON-serializable: {exc}"
            ) from exc
    raise InvalidStorageRequest(
        f"{url}: a message body must be bytes, str, dict or list, not {type(body).__name__}"
    )


def check_attributes(
    attributes: Mapping[str, AttributeValue] | None, url: str
) -> dict[str, AttributeValue]:
    """Message attributes checked: string names, values ``str``, ``int``, ``float`` or bytes."""
    if not attributes:
        return {}
    checked: dict[str, AttributeValue] = {}
    for name, value in attributes.items():
        if not isinstance(name, str) or not name:
            raise InvalidStorageRequest(f"{url}: message attribute name {name!r} is not a string")
        if isinstance(value, bool) or not isinstance(value, (str, int, float, bytes)):
            raise InvalidStorageRequest(
                f"{url}: message attribute {name!r} must be str, int, float or bytes, "
                f"not {type(value).__name__}"
            )
        checked[name] = value
    return checked


def check_content_type(content_type: str | None, url: str, key: str) -> None:
    """Refuse a content type both clouds would not store and return alike: it travels as an
    HTTP header, so it is printable ASCII without surrounding spaces, at most 1024 characters.
    """
    if content_type is None:
        return
    where = f"{url}: cannot put {key!r}: content type"
    if not isinstance(content_type, str):
        raise InvalidStorageRequest(f"{where} must be a string, not {type(content_type).__name__}")
    if (
        not content_type
        or len(content_type) > 1024
        or not all(" " <= char <= "~" for char in content_type)
        or content_type != content_type.strip(" ")
    ):
        raise InvalidStorageRequest(
            f"{where} {content_type[:80]!r} must be 1 to 1024 printable ASCII characters "
            "without leading or trailing spaces"
        )


def check_metadata(metadata: Mapping[str, str] | None, url: str, key: str) -> dict[str, str] | None:
    """Metadata every backend stores and returns alike, with names in lowercase.

    Names are ASCII identifiers (Azure's rule; S3 takes them too), unique ignoring case (S3
    lowercases them, Azure compares them without case); values are printable ASCII without
    surrounding spaces (both clouds send them as HTTP headers, and trim them).
    """
    if not metadata:
        return None
    checked: dict[str, str] = {}
    for name, value in metadata.items():
        where = f"{url}: cannot put {key!r}: metadata"
        if not isinstance(name, str) or not (name.isascii() and name.isidentifier()):
            raise InvalidStorageRequest(
                f"{where} name {name!r} must be ASCII letters, digits and '_', not starting "
                "with a digit"
            )
        if not isinstance(value, str):
            raise InvalidStorageRequest(
                f"{where} {name!r} must be a string, not {type(value).__name__}"
            )
        if not all(" " <= char <= "~" for char in value) or value != value.strip(" "):
            raise InvalidStorageRequest(
                f"{where} {name!r}: {value!r} must be printable ASCII without leading or "
                "trailing spaces"
            )
        if name.lower() in checked:
            raise InvalidStorageRequest(f"{where} names differ only by case: {name!r}")
        checked[name.lower()] = value
    return checked
