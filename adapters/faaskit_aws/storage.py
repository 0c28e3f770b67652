"""``s3://bucket[/prefix]`` and ``sqs://name`` for :mod:`faaskit.storage`, on boto3.

boto3 is imported when the first store is made. Clients come from boto3's default credential
chain and are shared per configuration (``endpoint_url``, ``region_name``, credentials and
the ``AWS_*`` environment), so a handler that makes a store per event pays for one client per
process. ``endpoint_url=`` (or botocore's own ``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_S3``)
points at an S3-compatible server. botocore errors are translated here into faaskit's
storage errors; see :mod:`faaskit_aws._storage_errors`.

API references: S3 ``GetObject``/``PutObject``/``HeadObject``/``DeleteObject``/
``ListObjectsV2`` (https://docs.aws.amazon.com/AmazonS3/latest/API/), SQS ``SendMessage`` and
``SendMessageBatch`` (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from faaskit.exceptions import InvalidStorageRequest, StorageError
from faaskit.storage._base import (
    AttributeValue,
    BlobData,
    BlobInfo,
    BlobStore,
    Body,
    QueueSender,
    blob_payload,
    check_attributes,
    encode_body,
)
from faaskit.storage._keys import check_key, check_prefix
from faaskit.storage._streams import read_head, reader
from faaskit.storage._url import Location
from faaskit_aws._storage_errors import boto_errors, translate

__all__ = ["S3Store", "SQSQueue", "blob_store", "client", "queue_sender"]

_CLIENT_OPTIONS = frozenset(
    {
        "endpoint_url",
        "region_name",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "config",
        "verify",
        "use_ssl",
    }
)
_ENV = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_SQS",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SESSION_TOKEN",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
)
_clients: dict[Any, Any] = {}
_lock = threading.Lock()
SINGLE_PUT_LIMIT = 8 * 1024 * 1024
SQS_BATCH_SIZE = 10
SQS_BATCH_BYTES = 256 * 1024


def client(service: str, url: str, options: Mapping[str, Any]) -> Any:
    """A shared boto3 client for ``service`` configured by ``options`` and the environment."""
    import os

    unknown = set(options) - _CLIENT_OPTIONS
    if unknown:
        from faaskit.exceptions import ConfigurationError

        raise ConfigurationError(f"{url}: unknown option(s) {', '.join(sorted(unknown))}")
    try:
        key: Any = (service, tuple(sorted(options.items())), tuple(map(os.environ.get, _ENV)))
        hash(key)
    except TypeError:
        key = None
    with _lock:
        found = _clients.get(key) if key is not None else None
        if found is None:
            try:
                import boto3.session
            except ModuleNotFoundError as exc:
                from faaskit.exceptions import ConfigurationError

                raise ConfigurationError(f"{url} needs boto3: pip install 'faaskit[aws]'") from exc
            # A session per configuration: the default session caches the credentials it
            # first resolved, so it would not follow the environment this key records.
            session = boto3.session.Session()
            found = session.client(service, **options)  # type: ignore[call-overload]
            if key is not None:
                _clients[key] = found
    return found


def _etag(value: str | None) -> str | None:
    return value.strip('"') if value else value


class S3Store(BlobStore):
    """An S3 bucket (optionally under a key prefix) as a :class:`BlobStore`.

    ``client`` is a ready boto3 S3 client; otherwise one is made from the other options.
    ``page_size`` sets how many keys each ``ListObjectsV2`` page asks for.
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        url: str | None = None,
        client: Any = None,
        page_size: int | None = None,
        **options: Any,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._url = url or f"s3://{bucket}" + (f"/{prefix.rstrip('/')}" if prefix else "")
        self.client = client if client is not None else _make_client("s3", self._url, options)
        self.page_size = page_size
        self._errors = boto_errors()

    @property
    def url(self) -> str:
        """The store's ``s3://`` URL."""
        return self._url

    def _fail(self, exc: Exception, op: str, key: str) -> StorageError:
        return translate(exc, f"{self._url}: cannot {op} {key!r}", "object or bucket")

    def get(self, key: str) -> bytes:
        """The whole object (one ``GetObject``)."""
        name = self.prefix + check_key(key, self._url)
        try:
            data: bytes = self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()
        except self._errors as exc:
            raise self._fail(exc, "get", key) from exc
        return data

    def open(self, key: str) -> IO[bytes]:
        """The object's body, streamed from ``GetObject`` as it is read."""
        name = self.prefix + check_key(key, self._url)
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=name)["Body"]
        except self._errors as exc:
            raise self._fail(exc, "open", key) from exc
        errors = self._errors

        def on_error(exc: Exception) -> Exception | None:
            return self._fail(exc, "read", key) if isinstance(exc, errors) else None

        return reader(body.read, close=body.close, translate=on_error)

    def put(
        self,
        key: str,
        data: BlobData,
        *,
        content_type: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        """One ``PutObject``; a stream longer than 8 MiB goes up as a multipart upload.

        A multipart upload holds at most four 8 MiB parts in memory at a time.
        """
        name = self.prefix + check_key(key, self._url)
        payload = blob_payload(data, self._url, key)
        extra: dict[str, Any] = {}
        if content_type is not None:
            extra["ContentType"] = content_type
        if metadata:
            extra["Metadata"] = dict(metadata)
        try:
            if not isinstance(payload, bytes):
                head, rest = read_head(payload, SINGLE_PUT_LIMIT)
                if rest is not None:
                    self.client.upload_fileobj(
                        rest, self.bucket, name, ExtraArgs=extra, Config=_transfer_config()
                    )
                    return
                payload = head
            self.client.put_object(Bucket=self.bucket, Key=name, Body=payload, **extra)
        except self._errors as exc:
            raise self._fail(exc, "put", key) from exc

    def exists(self, key: str) -> bool:
        """Whether ``HeadObject`` finds the object."""
        try:
            self.info(key)
        except KeyError:
            return False
        return True

    def info(self, key: str) -> BlobInfo:
        """Size, etag, time, content type and user metadata (``HeadObject``)."""
        name = self.prefix + check_key(key, self._url)
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=name)
        except self._errors as exc:
            raise self._fail(exc, "info", key) from exc
        return BlobInfo(
            key=key,
            size=head["ContentLength"],
            etag=_etag(head.get("ETag")),
            last_modified=head.get("LastModified"),
            content_type=head.get("ContentType"),
            metadata=head.get("Metadata") or {},
        )

    def delete(self, key: str) -> None:
        """``DeleteObject``; a missing key is fine, a missing bucket is :class:`BlobNotFound`."""
        name = self.prefix + check_key(key, self._url)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=name)
        except self._errors as exc:
            raise self._fail(exc, "delete", key) from exc

    def list(self, prefix: str = "") -> Iterator[BlobInfo]:
        """The objects under ``prefix``, one ``ListObjectsV2`` page at a time."""
        check_prefix(prefix, self._url)
        return self._list(prefix)

    def _list(self, prefix: str) -> Iterator[BlobInfo]:
        paging = {"PageSize": self.page_size} if self.page_size else {}
        strip = len(self.prefix)
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix, PaginationConfig=paging
        )
        try:
            for page in pages:
                for item in page.get("Contents", ()):
                    yield BlobInfo(
                        key=item["Key"][strip:],
                        size=item["Size"],
                        etag=_etag(item.get("ETag")),
                        last_modified=item.get("LastModified"),
                    )
        except self._errors as exc:
            raise self._fail(exc, "list", prefix) from exc


def _transfer_config() -> Any:
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=SINGLE_PUT_LIMIT,
        multipart_chunksize=SINGLE_PUT_LIMIT,
        max_concurrency=4,
    )
    config.max_in_memory_upload_chunks = 4
    return config


def _make_client(service: str, url: str, options: Mapping[str, Any]) -> Any:
    return client(service, url, options)


class SQSQueue(QueueSender):
    """An SQS queue, by name (its URL looked up once) or by queue URL.

    Bodies are text: ``bytes`` must be UTF-8. Attribute values become SQS message attributes
    (``str`` as String, ``int``/``float`` as Number, ``bytes`` as Binary). A FIFO queue
    (``name.fifo``) gets ``group_id`` (default ``"default"``) and a fresh deduplication id.
    """

    def __init__(
        self,
        name: str,
        *,
        queue_url: str | None = None,
        url: str | None = None,
        client: Any = None,
        group_id: str = "default",
        **options: Any,
    ) -> None:
        self.name = name
        self._url = url or f"sqs://{name}"
        self._queue_url = queue_url
        self.client = client if client is not None else _make_client("sqs", self._url, options)
        self.group_id = group_id
        self.fifo = name.endswith(".fifo")
        self._errors = boto_errors()

    @property
    def url(self) -> str:
        """The queue's ``sqs://`` (or HTTPS) URL."""
        return self._url

    def _fail(self, exc: Exception, op: str) -> StorageError:
        return translate(exc, f"{self._url}: cannot {op}", "queue")

    @property
    def queue_url(self) -> str:
        """The queue's HTTPS URL (``GetQueueUrl`` on first use)."""
        if self._queue_url is None:
            try:
                found = self.client.get_queue_url(QueueName=self.name)["QueueUrl"]
            except self._errors as exc:
                raise self._fail(exc, "find the queue") from exc
            self._queue_url = str(found)
        return self._queue_url

    def _entry(self, body: Body, attributes: Mapping[str, AttributeValue] | None) -> dict[str, Any]:
        data = encode_body(body, self._url)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidStorageRequest(
                f"{self._url}: SQS message bodies are text; these bytes are not UTF-8"
            ) from exc
        entry: dict[str, Any] = {"MessageBody": text}
        checked = check_attributes(attributes, self._url)
        if checked:
            entry["MessageAttributes"] = {k: _attribute(v) for k, v in checked.items()}
        if self.fifo:
            entry["MessageGroupId"] = self.group_id
            entry["MessageDeduplicationId"] = uuid.uuid4().hex
        return entry

    def send(self, body: Body, *, attributes: Mapping[str, AttributeValue] | None = None) -> str:
        """``SendMessage``; the message id SQS assigned."""
        entry = self._entry(body, attributes)
        try:
            sent = self.client.send_message(QueueUrl=self.queue_url, **entry)
        except self._errors as exc:
            raise self._fail(exc, "send a message") from exc
        return str(sent["MessageId"])

    def send_batch(
        self,
        bodies: Iterable[Body],
        *,
        attributes: Mapping[str, AttributeValue] | None = None,
    ) -> list[str]:
        """``SendMessageBatch`` in chunks of at most 10 messages and 256 KiB."""
        entries = [self._entry(body, attributes) for body in bodies]
        ids: list[str] = []
        for chunk in _chunks(entries):
            ids.extend(self._send_chunk(chunk, len(ids), len(entries)))
        return ids

    def _send_chunk(self, chunk: list[dict[str, Any]], done: int, total: int) -> list[str]:
        pending = {str(i): entry for i, entry in enumerate(chunk)}
        ids: dict[str, str] = {}
        for _attempt in range(3):
            try:
                sent = self.client.send_message_batch(
                    QueueUrl=self.queue_url,
                    Entries=[{"Id": i, **entry} for i, entry in pending.items()],
                )
            except self._errors as exc:
                error = self._fail(exc, "send a batch")
                raise type(error)(f"{error} ({done + len(ids)} of {total} sent)") from exc
            for ok in sent.get("Successful", ()):
                ids[ok["Id"]] = ok["MessageId"]
                pending.pop(ok["Id"], None)
            failed = sent.get("Failed", ())
            if not pending or any(f.get("SenderFault") for f in failed):
                break
        if pending:
            reasons = "; ".join(f"{f.get('Code')}: {f.get('Message')}" for f in sent["Failed"])
            raise StorageError(
                f"{self._url}: {len(pending)} message(s) of a batch were refused ({reasons}); "
                f"{done + len(ids)} of {total} sent"
            )
        return [ids[str(i)] for i in range(len(chunk))]


def _attribute(value: AttributeValue) -> dict[str, Any]:
    if isinstance(value, bytes):
        return {"DataType": "Binary", "BinaryValue": value}
    if isinstance(value, str):
        return {"DataType": "String", "StringValue": value}
    return {"DataType": "Number", "StringValue": repr(value)}


def _chunks(entries: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    size = 0
    for entry in entries:
        entry_size = len(entry["MessageBody"].encode("utf-8")) + sum(
            len(k) + len(str(v)) for k, v in entry.get("MessageAttributes", {}).items()
        )
        if chunk and (len(chunk) == SQS_BATCH_SIZE or size + entry_size > SQS_BATCH_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(entry)
        size += entry_size
    if chunk:
        yield chunk


def blob_store(location: Location, **options: Any) -> S3Store:
    """The :class:`S3Store` for a parsed ``s3://`` location."""
    return S3Store(location.name, prefix=location.prefix, url=location.url, **options)


def queue_sender(location: Location, **options: Any) -> SQSQueue:
    """The :class:`SQSQueue` for ``sqs://name`` or an SQS queue URL."""
    if location.name.startswith(("https://", "http://")):
        name = location.name.rstrip("/").rsplit("/", 1)[-1]
        return SQSQueue(name, queue_url=location.name, url=location.url, **options)
    return SQSQueue(location.name, url=location.url, **options)
