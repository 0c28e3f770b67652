"""Trace context across a queue: ``queues(url).send`` passes the sender's trace on where the
service can carry it, and the receiving :class:`faaskit.Message` exposes it as ``trace_id``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

import faaskit
from faaskit import storage
from faaskit.testing import lambda_context
from tests.storage.helpers import AzureBackend, S3Backend, apply_environment

HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


def _received() -> tuple[list[faaskit.Message], Any]:
    seen: list[faaskit.Message] = []

    @faaskit.handler(faaskit.queue("orders"))
    def consume(message: faaskit.Message, ctx: faaskit.Context) -> None:
        seen.append(message)

    return seen, consume


@pytest.mark.services
def test_sqs_carries_the_x_ray_header_to_the_consumer(
    moto_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = S3Backend(moto_server)
    apply_environment(monkeypatch, backend)
    url = backend.new_queue()
    monkeypatch.setenv("_X_AMZN_TRACE_ID", HEADER)
    storage.queues(url).send(b'{"id": 1}')
    storage.queues(url).send(b"a")
    # moto drops MessageSystemAttributes of SendMessageBatch entries (real SQS keeps them),
    # so the batch entries are checked as sent, below.
    batch_entry = storage.queues(url)._entry(b"b", None)  # type: ignore[attr-defined]
    assert batch_entry["MessageSystemAttributes"]["AWSTraceHeader"]["StringValue"] == HEADER
    storage.queues(url).send(b"b")
    monkeypatch.delenv("_X_AMZN_TRACE_ID")
    storage.queues(url).send(b"untraced")
    sqs = backend.client("sqs")
    queue_url = sqs.get_queue_url(QueueName=url.removeprefix("sqs://"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    received: list[dict[str, Any]] = []
    while len(received) < 4:
        batch = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"], WaitTimeSeconds=1
        ).get("Messages", [])
        assert batch, received
        received.extend(batch)
    event = {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": "us-east-1",
            }
            for m in received
        ]
    }
    seen, consume = _received()
    consume(event, lambda_context("consume"))
    traces = {message.text: message.trace_id for message in seen}
    assert traces == {'{"id": 1}': HEADER, "a": HEADER, "b": HEADER, "untraced": None}


@pytest.mark.services
def test_azure_storage_queues_cannot_carry_it_and_the_message_says_none(
    azurite: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = AzureBackend(azurite)
    apply_environment(monkeypatch, backend)
    url = backend.new_queue()
    monkeypatch.setenv("_X_AMZN_TRACE_ID", HEADER)
    storage.queues(url).send(b"hello")
    ((body, _),) = backend.receive(url)
    assert body == b"hello"  # the body is not changed to smuggle the trace in
    from faaskit.testing import azure_event, invoke

    seen, consume = _received()
    invoke(consume, azure_event("queue", body="hello"), platform="azure")
    assert seen[0].trace_id is None


def test_file_queues_keep_the_trace_with_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faaskit.storage._filequeue import FileQueue

    queue = FileQueue(tmp_path / "q", create=True)
    monkeypatch.setenv("_X_AMZN_TRACE_ID", HEADER)
    queue.send(b"traced")
    monkeypatch.delenv("_X_AMZN_TRACE_ID")
    queue.send(b"plain")
    assert [(m.text, m.trace_id) for m in queue.messages()] == [
        ("traced", HEADER),
        ("plain", None),
    ]


def test_an_opentelemetry_traceparent_becomes_an_x_ray_header_and_back() -> None:
    from faaskit._trace import to_traceparent, to_xray

    parent = "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"
    assert to_xray(parent) == HEADER
    assert to_traceparent(HEADER) == parent
    assert to_xray(HEADER) == HEADER and to_traceparent(parent) == parent
    assert to_xray("garbage") is None and to_traceparent("Root=1-5759e988-bd86") is None


def test_service_bus_exposes_the_traceparent_application_property() -> None:
    from faaskit_azure.message import ServiceBus

    class Raw:
        message_id = "m1"
        application_properties: ClassVar[dict[str, str]] = {
            "traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01"
        }
        delivery_count = 1
        enqueued_time_utc = None
        session_id = None
        subject = None

        def get_body(self) -> bytes:
            return b"x"

    raw = Raw()
    message = ServiceBus(entity="orders").message(raw)
    assert message.trace_id == raw.application_properties["traceparent"]
