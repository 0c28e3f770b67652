"""``s3://bucket[/prefix]`` and ``sqs://name`` for :mod:`faaskit.storage`, on boto3.

boto3 is imported when the first store is made. Clients come from boto3's default credential
chain and are shared per configuration (``endpoint_url``, ``region_name``, credentials and
the ``AWS_*`` environment), so a handler that makes a store per event pays for one client per
process. ``endpoint_url=`` (or botocore's own ``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_S3``)
points at an S3-compatible server. botocore errors are translated here into faaskit's
storage errors in :mod:`faaskit_aws._storage_clients`; SQS lives in :mod:`faaskit_aws._sqs`.

API references: S3 ``GetObject``/``PutObject``/``HeadObject``/``DeleteObject``/
``ListObjectsV2`` (https://docs.aws.amazon.com/AmazonS3/latest/API/), SQS ``SendMessage`` and
``SendMessageBatch`` (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import IO, Any

from faaskit.exceptions import PreconditionFailed, StorageError
from faaskit.storage.backend import (
    BlobInfo,
    BlobStore,
    Location,
    check_key,
    read_head,
    reader,
    store_url,
    unquote_etag,
)
from faaskit_aws._sqs import SQSQueue
from faaskit_aws._storage_clients import boto_errors, shared_client, translate

__all__ = ["S3Store", "SQSQueue", "blob_store", "queue_sender"]

SINGLE_PUT_LIMIT = 8 * 1024 * 1024


class S3Store(BlobStore):
    """An S3 bucket (optionally under a key prefix) as a :class:`BlobStore`.

    ``client`` is a ready boto3 S3 client; otherwise one is made from the other options.
    ``page_size`` sets how many keys each ``ListObjectsV2`` page asks for. ``put`` is one
    ``PutObject``; a stream longer than 8 MiB goes up as a multipart upload holding at most four
    8 MiB parts in memory at a time.
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
        self._url = url or store_url("s3", bucket, prefix)
        self.client = client if client is not None else shared_client("s3", self._url, options)
        self.page_size = page_size
        self._errors = boto_errors()

    def _fail(
        self, exc: Exception, op: str, key: str, *, conditional: bool = False
    ) -> StorageError:
        where = f"{self._url}: cannot {op} {key!r}"
        error = translate(exc, where, "object or bucket")
        if conditional and _condition_failed(exc):
            return PreconditionFailed(f"{where}: the condition does not hold ({error})", key=key)
        return error

    def get(self, key: str) -> bytes:
        """The whole object (one ``GetObject``)."""
        name = self.prefix + check_key(key, self._url)
        try:
            data: bytes = self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()
        except self._errors as exc:
            raise self._fail(exc, "get", key) from exc
        return data

    def get_versioned(self, key: str) -> tuple[bytes, str]:
        """The object and its ETag from one ``GetObject``."""
        name = self.prefix + check_key(key, self._url)
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=name)
            data: bytes = response["Body"].read()
        except self._errors as exc:
            raise self._fail(exc, "get", key) from exc
        return data, str(unquote_etag(response.get("ETag")))

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
        """One ``PutObject`` (``If-None-Match``/``If-Match`` for conditional writes); a long
        unconditional stream goes up as a multipart upload. The new ETag.
        """
        name = self.prefix + key
        extra: dict[str, Any] = {}
        if content_type is not None:
            extra["ContentType"] = content_type
        if metadata:
            extra["Metadata"] = dict(metadata)
        conditional = create_only or if_match is not None
        if create_only:
            extra["IfNoneMatch"] = "*"
        elif if_match is not None:
            extra["IfMatch"] = f'"{if_match}"'
        try:
            if not isinstance(payload, bytes):
                head, rest = read_head(payload, SINGLE_PUT_LIMIT)
                if rest is not None and not conditional:
                    self.client.upload_fileobj(
                        rest, self.bucket, name, ExtraArgs=extra, Config=_transfer_config()
                    )
                    return self._etag(name)
                # A conditional write is one PutObject, so the condition and the data land
                # together (a single PutObject takes up to 5 GiB).
                payload = head if rest is None else rest.read()
            sent = self.client.put_object(Bucket=self.bucket, Key=name, Body=payload, **extra)
        except self._errors as exc:
            raise self._fail(exc, "put", key, conditional=conditional) from exc
        return str(unquote_etag(sent.get("ETag")))

    def _etag(self, name: str) -> str:
        head = self.client.head_object(Bucket=self.bucket, Key=name)
        return str(unquote_etag(head.get("ETag")))

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
            etag=unquote_etag(head.get("ETag")),
            last_modified=head.get("LastModified"),
            content_type=head.get("ContentType"),
            metadata=head.get("Metadata") or {},
        )

    def delete(self, key: str, *, if_match: str | None = None) -> None:
        """``DeleteObject``; a missing key is fine, a missing bucket is :class:`BlobNotFound`.

        ``if_match`` sends ``If-Match``: a missing object, or another ETag, fails it.
        """
        name = self.prefix + check_key(key, self._url)
        extra = {} if if_match is None else {"IfMatch": f'"{if_match.strip(chr(34))}"'}
        try:
            self.client.delete_object(Bucket=self.bucket, Key=name, **extra)
        except self._errors as exc:
            raise self._fail(exc, "delete", key, conditional=bool(extra)) from exc

    def _list(self, prefix: str) -> Iterator[BlobInfo]:
        """The objects under ``prefix``, one ``ListObjectsV2`` page at a time."""
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
                        etag=unquote_etag(item.get("ETag")),
                        last_modified=item.get("LastModified"),
                    )
        except self._errors as exc:
            raise self._fail(exc, "list", prefix) from exc


def _condition_failed(exc: Exception) -> bool:
    """Whether S3 refused a conditional request for its condition: 412, 409 (another
    conditional write of the key was in flight) or, for ``If-Match``, a missing object.
    """
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in ("PreconditionFailed", "ConditionalRequestConflict") or status == 412:
        return True
    return code == "NoSuchKey"


def _transfer_config() -> Any:
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=SINGLE_PUT_LIMIT,
        multipart_chunksize=SINGLE_PUT_LIMIT,
        max_concurrency=4,
    )
    config.max_in_memory_upload_chunks = 4
    return config


def blob_store(location: Location, **options: Any) -> S3Store:
    """The :class:`S3Store` for a parsed ``s3://`` location."""
    return S3Store(location.name, prefix=location.prefix, url=location.url, **options)


def queue_sender(location: Location, **options: Any) -> SQSQueue:
    """The :class:`SQSQueue` for ``sqs://name`` or an SQS queue URL."""
    if location.name.startswith(("https://", "http://")):
        name = location.name.rstrip("/").rsplit("/", 1)[-1]
        return SQSQueue(name, queue_url=location.name, url=location.url, **options)
    return SQSQueue(location.name, url=location.url, **options)
