"""``sqs://name`` (or an SQS queue URL) as a :class:`faaskit.storage.QueueSender`, on boto3.

API reference: ``SendMessage``, ``SendMessageBatch`` and ``GetQueueUrl`` in
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/ ; batches hold at most
10 entries, and this module also keeps each batch under 256 KiB of payload.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from faaskit.exceptions import StorageError
from faaskit.storage.backend import (
    AttributeValue,
    Body,
    QueueSender,
    current_trace,
    to_xray,
)
from faaskit_aws._outgoing import text_message
from faaskit_aws._storage_clients import boto_errors, shared_client, translate

__all__ = ["SQS_BATCH_BYTES", "SQS_BATCH_SIZE", "SQSQueue"]

SQS_BATCH_SIZE = 10
SQS_BATCH_BYTES = 256 * 1024


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
        self.client = client if client is not None else shared_client("sqs", self._url, options)
        self.group_id = group_id
        self.fifo = name.endswith(".fifo")
        self._errors = boto_errors()

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
        entry = text_message(body, attributes, self._url, body_field="MessageBody", service="SQS")
        trace = to_xray(current_trace())
        if trace is not None:  # the consumer's Lambda invocation joins the sender's trace
            entry["MessageSystemAttributes"] = {
                "AWSTraceHeader": {"DataType": "String", "StringValue": trace}
            }
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
