"""``azure://container[/prefix]`` and ``azure-queue://name`` for :mod:`faaskit.storage`.

Built on azure-storage-blob and azure-storage-queue, imported when the first store is made;
service clients are shared per setting (see :mod:`faaskit_azure._storage_clients`). Queue
messages are base64-encoded by default, which is what Azure Functions queue triggers decode
(``encoding="text"`` sends the text as is).

REST references: https://learn.microsoft.com/rest/api/storageservices/blob-service-rest-api
and https://learn.microsoft.com/rest/api/storageservices/queue-service-rest-api
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from typing import IO, Any

from faaskit.exceptions import (
    ConfigurationError,
    InvalidStorageRequest,
    PreconditionFailed,
    StorageError,
)
from faaskit.storage.backend import (
    AttributeValue,
    BlobInfo,
    BlobStore,
    Body,
    Location,
    QueueSender,
    check_key,
    encode_body,
    reader,
    store_url,
    unquote_etag,
)
from faaskit_azure._storage_clients import azure_errors, service_client, translate

__all__ = ["RANGE_SIZE", "AzureBlobStore", "AzureQueue", "blob_store", "queue_sender"]

RANGE_SIZE = 4 * 1024 * 1024


class AzureBlobStore(BlobStore):
    """An Azure Blob Storage container (optionally under a name prefix) as a :class:`BlobStore`.

    ``client`` is a ready ``BlobServiceClient``; otherwise one is made from
    ``connection_string``, ``account_url`` + ``credential`` or ``AzureWebJobsStorage``, with
    any other option (``retry_total``, ``connection_timeout``, ...) passed to the SDK.
    ``open`` streams in 4 MiB ranges (a blob replaced while it is read fails the next range
    rather than mixing two versions).
    """

    def __init__(
        self,
        container: str,
        *,
        prefix: str = "",
        url: str | None = None,
        client: Any = None,
        page_size: int | None = None,
        **options: Any,
    ) -> None:
        self.container = container
        self.prefix = prefix
        self._url = url or store_url("azure", container, prefix)
        service = client if client is not None else service_client("blob", self._url, options)
        self.client = service.get_container_client(container)
        self.page_size = page_size
        self._errors = azure_errors()

    def _fail(
        self, exc: Exception, op: str, key: str, *, conditional: bool = False
    ) -> StorageError:
        where = f"{self._url}: cannot {op} {key!r}"
        error = translate(exc, where, "object or container")
        code = getattr(exc, "error_code", None)
        code = str(getattr(code, "value", code))
        # 409 BlobAlreadyExists (If-None-Match: *), 412 ConditionNotMet (If-Match), and a
        # blob that is gone under If-Match all mean the condition does not hold.
        status = getattr(exc, "status_code", None)
        if conditional and (status in (409, 412) or code == "BlobNotFound"):
            return PreconditionFailed(f"{where}: the condition does not hold ({error})", key=key)
        return error

    @staticmethod
    def _conditions(create_only: bool, if_match: str | None) -> dict[str, Any]:
        if if_match is None:
            return {"overwrite": not create_only}
        from azure.core import MatchConditions

        return {
            "overwrite": True,
            "etag": f'"{if_match}"',
            "match_condition": MatchConditions.IfNotModified,
        }

    def get(self, key: str) -> bytes:
        """The whole blob (``download_blob().readall()``)."""
        name = self.prefix + check_key(key, self._url)
        try:
            data: bytes = self.client.download_blob(name).readall()
        except self._errors as exc:
            raise self._fail(exc, "get", key) from exc
        return data

    def get_versioned(self, key: str) -> tuple[bytes, str]:
        """The blob and its ETag from one download."""
        name = self.prefix + check_key(key, self._url)
        try:
            download = self.client.download_blob(name)
            data: bytes = download.readall()
        except self._errors as exc:
            raise self._fail(exc, "get", key) from exc
        return data, str(unquote_etag(download.properties.etag))

    def open(self, key: str) -> IO[bytes]:
        """The blob streamed in 4 MiB ranges, each pinned to the etag of the first."""
        name = self.prefix + check_key(key, self._url)
        try:
            try:
                first = self.client.download_blob(name, offset=0, length=RANGE_SIZE)
            except self._errors as exc:
                if getattr(exc, "status_code", None) != 416:
                    raise
                first = self.client.download_blob(name)  # an empty blob has no range 0-...
            head = first.readall()
        except self._errors as exc:
            raise self._fail(exc, "open", key) from exc
        errors = self._errors

        def on_error(exc: Exception) -> Exception | None:
            return self._fail(exc, "read", key) if isinstance(exc, errors) else None

        total = _total_size(first.properties.content_range, len(head))
        ranges = _Ranges(self.client, name, head, total, first.properties.etag)
        return reader(ranges.read, translate=on_error)

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
        """``upload_blob``, with ``If-None-Match: *`` or ``If-Match`` for conditional writes;
        streams go up in blocks, never read whole. The new ETag.
        """
        name = self.prefix + key
        extra = self._conditions(create_only, if_match)
        if content_type is not None:
            from azure.storage.blob import ContentSettings

            extra["content_settings"] = ContentSettings(content_type=content_type)
        if metadata:
            extra["metadata"] = dict(metadata)
        try:
            sent = self.client.get_blob_client(name).upload_blob(payload, **extra)
        except self._errors as exc:
            conditional = create_only or if_match is not None
            raise self._fail(exc, "put", key, conditional=conditional) from exc
        return str(unquote_etag(sent.get("etag")))

    def exists(self, key: str) -> bool:
        """Whether the blob exists."""
        name = self.prefix + check_key(key, self._url)
        try:
            return bool(self.client.get_blob_client(name).exists())
        except self._errors as exc:
            raise self._fail(exc, "check", key) from exc

    def info(self, key: str) -> BlobInfo:
        """Size, etag, time, content type and metadata (``get_blob_properties``)."""
        name = self.prefix + check_key(key, self._url)
        try:
            props = self.client.get_blob_client(name).get_blob_properties()
        except self._errors as exc:
            raise self._fail(exc, "info", key) from exc
        return BlobInfo(
            key=key,
            size=props.size,
            etag=unquote_etag(props.etag),
            last_modified=props.last_modified,
            content_type=props.content_settings.content_type,
            metadata=dict(props.metadata or {}),
        )

    def delete(self, key: str, *, if_match: str | None = None) -> None:
        """Delete the blob; a missing blob is fine, a missing container is not.

        ``if_match`` deletes only that version: another ETag, or no blob, fails it.
        """
        name = self.prefix + check_key(key, self._url)
        extra: dict[str, Any] = {}
        if if_match is not None:
            extra = self._conditions(False, if_match.strip('"'))
            del extra["overwrite"]
        try:
            self.client.delete_blob(name, **extra)
        except self._errors as exc:
            if not extra and getattr(exc, "error_code", None) == "BlobNotFound":
                return
            raise self._fail(exc, "delete", key, conditional=bool(extra)) from exc

    def _list(self, prefix: str) -> Iterator[BlobInfo]:
        """The blobs under ``prefix``, one List Blobs page at a time."""
        strip = len(self.prefix)
        try:
            for item in self.client.list_blobs(
                name_starts_with=self.prefix + prefix or None, results_per_page=self.page_size
            ):
                yield BlobInfo(
                    key=item.name[strip:],
                    size=item.size,
                    etag=unquote_etag(item.etag),
                    last_modified=item.last_modified,
                )
        except self._errors as exc:
            raise self._fail(exc, "list", prefix) from exc


def _total_size(content_range: str | None, default: int) -> int:
    """The blob's size from ``bytes 0-4194303/98765432``."""
    try:
        return int(str(content_range).rsplit("/", 1)[1])
    except (IndexError, ValueError):
        return default


class _Ranges:
    """Reads a blob range by range, so memory holds one range, not the blob."""

    def __init__(self, client: Any, name: str, head: bytes, size: int, etag: str) -> None:
        self.client, self.name, self.size, self.etag = client, name, size, etag
        self.buffer = memoryview(head)
        self.position = len(head)

    def read(self, size: int) -> bytes:
        if not self.buffer:
            if self.position >= self.size:
                return b""
            from azure.core import MatchConditions

            data = self.client.download_blob(
                self.name,
                offset=self.position,
                length=min(RANGE_SIZE, self.size - self.position),
                etag=self.etag,
                match_condition=MatchConditions.IfNotModified,
            ).readall()
            if not data:
                return b""
            self.position += len(data)
            self.buffer = memoryview(data)
        chunk = bytes(self.buffer[:size])
        self.buffer = self.buffer[size:]
        return chunk


class AzureQueue(QueueSender):
    """An Azure Storage queue. ``client`` may be a ``QueueClient`` or ``QueueServiceClient``.

    Queue messages carry no attributes: passing any raises :class:`InvalidStorageRequest`
    rather than dropping them.
    """

    def __init__(
        self,
        name: str,
        *,
        url: str | None = None,
        client: Any = None,
        encoding: str = "base64",
        **options: Any,
    ) -> None:
        if encoding not in ("base64", "text"):
            raise ConfigurationError(f"azure-queue://{name}: encoding is 'base64' or 'text'")
        self.name = name
        self._url = url or f"azure-queue://{name}"
        self.encoding = encoding
        if client is not None and hasattr(client, "send_message"):
            self.client = client
        else:
            service = client if client is not None else service_client("queue", self._url, options)
            self.client = service.get_queue_client(name)
        self._errors = azure_errors()

    def send(self, body: Body, *, attributes: Mapping[str, AttributeValue] | None = None) -> str:
        """Put one message on the queue; the id the service assigned.

        A Storage Queue message is only its body, so it cannot carry the sender's trace
        context (nor attributes); Service Bus carries it as a ``traceparent`` application
        property, which the receiving :class:`faaskit.Message` exposes as ``trace_id``.
        """
        if attributes:
            raise InvalidStorageRequest(
                f"{self._url}: Azure Queue messages carry no attributes; put them in the body"
            )
        data = encode_body(body, self._url)
        if self.encoding == "base64":
            content = base64.b64encode(data).decode("ascii")
        else:
            try:
                content = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidStorageRequest(
                    f"{self._url}: with encoding='text' the body must be UTF-8"
                ) from exc
        try:
            sent = self.client.send_message(content)
        except self._errors as exc:
            raise translate(exc, f"{self._url}: cannot send a message", "queue") from exc
        return str(sent.id)


def blob_store(location: Location, **options: Any) -> AzureBlobStore:
    """The :class:`AzureBlobStore` for a parsed ``azure://`` location."""
    return AzureBlobStore(location.name, prefix=location.prefix, url=location.url, **options)


def queue_sender(location: Location, **options: Any) -> AzureQueue:
    """The :class:`AzureQueue` for ``azure-queue://name`` or a queue's HTTPS URL."""
    if location.name.startswith("https://"):
        account_url, name = location.name.rsplit("/", 1)
        options.setdefault("account_url", account_url)
        return AzureQueue(name, url=location.url, **options)
    return AzureQueue(location.name, url=location.url, **options)
