"""The QueueSender contract over file://, SQS (moto server) and Azure Queue (Azurite)."""

from __future__ import annotations

import pytest

from faaskit import storage
from tests.storage.helpers import AzureBackend, Backend, S3Backend


def test_send_text_bytes_and_json(queue_backend: Backend) -> None:
    url = queue_backend.new_queue()
    queue = storage.queues(url)
    ids = [queue.send("hello ü"), queue.send(b"raw bytes"), queue.send({"order": 7, "x": [1]})]
    assert len(set(ids)) == 3 and all(isinstance(i, str) and i for i in ids)
    bodies = sorted(body for body, _ in queue_backend.receive(url))
    assert bodies == sorted([b"hello \xc3\xbc", b"raw bytes", b'{"order":7,"x":[1]}'])
    assert queue.url == url


def test_send_batch_delivers_every_message_once(queue_backend: Backend) -> None:
    url = queue_backend.new_queue()
    queue = storage.queues(url)
    bodies = [f"message {i}" for i in range(23)]
    ids = queue.send_batch(bodies)
    assert len(ids) == 23 and len(set(ids)) == 23
    received = [body.decode() for body, _ in queue_backend.receive(url)]
    assert sorted(received) == sorted(bodies)


def test_attributes(queue_backend: Backend) -> None:
    url = queue_backend.new_queue()
    queue = storage.queues(url)
    attributes = {"kind": "order", "count": 3, "blob": b"\x00\xff"}
    if isinstance(queue_backend, AzureBackend):
        with pytest.raises(storage.InvalidStorageRequest, match="no attributes"):
            queue.send("x", attributes=attributes)
        assert queue_backend.receive(url) == []
        return
    queue.send("x", attributes=attributes)
    [(body, received)] = queue_backend.receive(url)
    assert body == b"x"
    assert received == {"kind": "order", "count": 3, "blob": b"\x00\xff"}


@pytest.mark.parametrize("body", [42, None, object(), {"not": {1, 2}}])
def test_bodies_without_a_faithful_encoding_are_refused(
    queue_backend: Backend, body: object
) -> None:
    queue = storage.queues(queue_backend.new_queue())
    with pytest.raises(storage.InvalidStorageRequest):
        queue.send(body)  # type: ignore[arg-type]


@pytest.mark.parametrize("attributes", [{"x": None}, {"x": True}, {"": "v"}, {"x": [1]}])
def test_bad_attributes_are_refused(queue_backend: Backend, attributes: dict[str, object]) -> None:
    if isinstance(queue_backend, AzureBackend):
        pytest.skip("Azure queues refuse every attribute")
    queue = storage.queues(queue_backend.new_queue())
    with pytest.raises(storage.InvalidStorageRequest):
        queue.send("x", attributes=attributes)  # type: ignore[arg-type]


def test_missing_queue(queue_backend: Backend) -> None:
    url = queue_backend.missing_queue()
    with pytest.raises(storage.BlobNotFound) as caught:
        storage.queues(url).send("x")
    assert url in str(caught.value)


def test_server_down(queue_backend: Backend) -> None:
    options = queue_backend.down_options()
    if options is None:
        pytest.skip("a directory has no server")
    queue = storage.queues(queue_backend.new_queue(), **options)
    with pytest.raises(storage.StorageError) as caught:
        queue.send("x")
    assert not isinstance(caught.value, (storage.BlobNotFound, storage.AccessDenied))
    assert caught.value.__cause__ is not None


@pytest.mark.services
def test_sqs_batches_are_chunked_to_ten(queue_backend: Backend) -> None:
    if not isinstance(queue_backend, S3Backend):
        pytest.skip("SQS only")
    queue = storage.queues(queue_backend.new_queue())
    sizes: list[int] = []
    client = queue.client  # type: ignore[attr-defined]
    client.meta.events.register(
        "provide-client-params.sqs.SendMessageBatch",
        lambda params, **_: sizes.append(len(params["Entries"])),
    )
    queue.send_batch([str(i) for i in range(23)])
    assert sizes == [10, 10, 3]


@pytest.mark.services
def test_sqs_bodies_must_be_text(queue_backend: Backend) -> None:
    if not isinstance(queue_backend, S3Backend):
        pytest.skip("SQS only")
    with pytest.raises(storage.InvalidStorageRequest, match="UTF-8"):
        storage.queues(queue_backend.new_queue()).send(b"\xff\xfe")


@pytest.mark.services
def test_sqs_by_queue_url(queue_backend: Backend) -> None:
    if not isinstance(queue_backend, S3Backend):
        pytest.skip("SQS only")
    url = queue_backend.new_queue()
    queue_url = queue_backend.client("sqs").get_queue_url(QueueName=url.removeprefix("sqs://"))
    storage.queues(queue_url["QueueUrl"]).send("by url")
    assert [b for b, _ in queue_backend.receive(url)] == [b"by url"]


@pytest.mark.services
def test_sqs_batches_stay_under_the_payload_limit(queue_backend: Backend) -> None:
    if not isinstance(queue_backend, S3Backend):
        pytest.skip("SQS only")
    queue = storage.queues(queue_backend.new_queue())
    sizes: list[int] = []
    queue.client.meta.events.register(  # type: ignore[attr-defined]
        "provide-client-params.sqs.SendMessageBatch",
        lambda params, **_: sizes.append(sum(len(e["MessageBody"]) for e in params["Entries"])),
    )
    bodies = ["x" * 60_000 for _ in range(10)]
    assert len(queue.send_batch(bodies)) == 10
    assert len(sizes) > 1 and all(size <= 256 * 1024 for size in sizes)
    assert sorted(b for b, _ in queue_backend.receive(queue.url)) == [b.encode() for b in bodies]


class _FlakySQS:
    """Refuses some entries the way SendMessageBatch reports partial failures."""

    def __init__(self, *, sender_fault: bool, failures: int) -> None:
        self.sender_fault, self.failures, self.calls = sender_fault, failures, []

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, str]]) -> dict[str, object]:
        self.calls.append([e["Id"] for e in Entries])
        failed = Entries[:1] if self.failures else []
        self.failures -= bool(failed)
        return {
            "Successful": [{"Id": e["Id"], "MessageId": f"m-{e['Id']}"} for e in Entries[1:]]
            + (
                []
                if failed
                else [{"Id": e["Id"], "MessageId": f"m-{e['Id']}"} for e in Entries[:1]]
            ),
            "Failed": [
                {"Id": e["Id"], "SenderFault": self.sender_fault, "Code": "X", "Message": "no"}
                for e in failed
            ],
        }


def test_sqs_batch_retries_entries_the_service_failed() -> None:
    client = _FlakySQS(sender_fault=False, failures=1)
    queue = storage.queues("https://sqs.eu-west-1.amazonaws.com/123456789012/q", client=client)
    assert queue.send_batch(["a", "b", "c"]) == ["m-0", "m-1", "m-2"]
    assert client.calls == [["0", "1", "2"], ["0"]]


def test_sqs_batch_reports_entries_it_refused() -> None:
    client = _FlakySQS(sender_fault=True, failures=5)
    queue = storage.queues("https://sqs.eu-west-1.amazonaws.com/123456789012/q", client=client)
    with pytest.raises(storage.StorageError, match=r"1 message.*refused.*2 of 3 sent"):
        queue.send_batch(["a", "b", "c"])
    assert client.calls == [["0", "1", "2"]]
