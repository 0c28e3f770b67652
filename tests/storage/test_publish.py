"""Topics and event buses on the send side: SNS to a subscribed SQS queue and EventBridge to a
rule's SQS target on the moto server; Service Bus and Event Grid requests checked against a
loopback HTTP endpoint; the checks every backend shares.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import faaskit
from faaskit import storage
from faaskit.exceptions import (
    AccessDenied,
    BlobNotFound,
    ConfigurationError,
    InvalidStorageRequest,
)
from faaskit.testing.contexts import lambda_context
from tests.services import MotoServer
from tests.storage.helpers import S3Backend, apply_environment, unique


@pytest.fixture
def aws(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> S3Backend:
    backend = S3Backend(moto_server)
    apply_environment(monkeypatch, backend)
    return backend


def _receive_all(sqs: Any, queue_url: str, count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for _ in range(20):
        batch = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            MessageAttributeNames=["All"],
            AttributeNames=["All"],
        ).get("Messages", [])
        found.extend(batch)
        if len(found) >= count:
            break
    return found


def _subscribed_queue(aws: S3Backend, topic_arn: str, *, raw: bool) -> str:
    sqs = aws.client("sqs")
    queue_url = sqs.create_queue(QueueName=unique("sub"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    aws.client("sns").subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=arn["Attributes"]["QueueArn"],
        Attributes={"RawMessageDelivery": "true" if raw else "false"},
    )
    return str(queue_url)


@pytest.mark.services
def test_sns_publish_reaches_a_subscribed_queue_with_its_attributes(aws: S3Backend) -> None:
    name = unique("orders")
    arn = aws.client("sns").create_topic(Name=name)["TopicArn"]
    raw_queue = _subscribed_queue(aws, arn, raw=True)
    wrapped_queue = _subscribed_queue(aws, arn, raw=False)
    topic = storage.topics(f"sns://{name}")
    # moto's SNS drops a message with a Binary attribute on its way to SQS; real SNS keeps it.
    attributes = {"kind": "order", "amount": 42}
    message_id = topic.publish({"order": 7}, attributes=attributes, subject="New order")
    assert message_id
    assert storage.topics(f"sns://{arn}").publish("by arn")

    sqs = aws.client("sqs")
    raw = _receive_all(sqs, raw_queue, 2)
    assert sorted(m["Body"] for m in raw) == ["by arn", '{"order":7}']
    first = next(m for m in raw if m["Body"] == '{"order":7}')
    assert first["MessageAttributes"]["kind"]["StringValue"] == "order"
    assert first["MessageAttributes"]["amount"] == {"StringValue": "42", "DataType": "Number"}

    # The SNS envelope delivered to SQS, as the Lambda SQS event source hands it over.
    wrapped = _receive_all(sqs, wrapped_queue, 2)
    seen: list[faaskit.Message] = []

    @faaskit.handler(faaskit.queue("sub"))
    def receive(message: faaskit.Message, ctx: faaskit.Context) -> None:
        seen.append(message)

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
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:sub",
                "awsRegion": "us-east-1",
            }
            for m in wrapped
        ]
    }
    assert receive(event, lambda_context()) == {"batchItemFailures": []}
    assert sorted(m.text for m in seen) == ["by arn", '{"order":7}']
    (order,) = (m for m in seen if m.text != "by arn")
    assert order.json() == {"order": 7}
    assert order.subject == "New order"
    assert order.attributes["kind"] == "order"
    assert float(order.attributes["amount"]) == 42


@pytest.mark.services
def test_sns_errors_are_typed(aws: S3Backend) -> None:
    with pytest.raises(BlobNotFound, match="sns://"):
        storage.topics(f"sns://{unique('missing')}").publish("x")
    topic = storage.topics(f"sns://{unique('any')}")
    with pytest.raises(InvalidStorageRequest, match="not UTF-8"):
        topic.publish(b"\xff\xfe")
    with pytest.raises(InvalidStorageRequest, match="subject"):
        topic.publish("x", subject="line\nbreak")


@pytest.mark.services
def test_eventbridge_put_reaches_a_rule_target(aws: S3Backend) -> None:
    bus = unique("shop")
    events, sqs = aws.client("events"), aws.client("sqs")
    events.create_event_bus(Name=bus)
    queue_url = sqs.create_queue(QueueName=unique("target"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    events.put_rule(
        Name="orders",
        EventBusName=bus,
        EventPattern=json.dumps({"source": ["shop.orders"], "detail-type": ["OrderPlaced"]}),
    )
    events.put_targets(
        Rule="orders",
        EventBusName=bus,
        Targets=[{"Id": "q", "Arn": queue_arn["Attributes"]["QueueArn"]}],
    )
    target = storage.events(f"events://{bus}")
    event_id = target.put(
        {"source": "shop.orders", "type": "OrderPlaced", "data": {"order": 7}, "subject": "o-7"}
    )
    target.put(faaskit.CloudEvent(id="ignored", source="shop.other", type="Other", data={"x": 1}))
    received = _receive_all(sqs, queue_url, 1)
    assert len(received) == 1
    delivered = json.loads(received[0]["Body"])
    assert delivered["id"] == event_id
    assert delivered["source"] == "shop.orders"
    assert delivered["detail-type"] == "OrderPlaced"
    assert delivered["detail"] == {"order": 7}
    assert delivered["resources"] == ["o-7"]


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"type": "t", "data": {}}, "non-empty string 'source'"),
        ({"source": "s", "type": "", "data": {}}, "non-empty string 'type'"),
        ({"source": "s", "type": "t", "data": [1]}, "JSON object"),
        ({"source": "s", "type": "t", "data": {"x": object()}}, "not JSON-serializable"),
        ({"source": "s", "type": "t", "detail": {}}, "not detail"),
        ("text", "not str"),
    ],
)
def test_bad_events_are_refused_on_every_bus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, event: Any, message: str
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for url in (tmp_path.as_uri(), "events://default", "eventgrid://topic.example"):
        options = {"create": True} if url.startswith("file") else {}
        if url.startswith("eventgrid"):
            options = {"key": "k"}
        with pytest.raises(InvalidStorageRequest, match=message):
            storage.events(url, **options).put(event)


def test_unknown_schemes_and_paths_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="unsupported scheme 'sqs' for topics"):
        storage.topics("sqs://orders")
    with pytest.raises(ConfigurationError, match="unsupported scheme 's3' for events"):
        storage.events("s3://bucket")
    with pytest.raises(ConfigurationError, match="takes no path"):
        storage.topics("sns://orders/extra")


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[dict[str, Any]]
    status = 201

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        type(self).requests.append(
            {"path": self.path, "headers": self.headers, "body": self.rfile.read(length)}
        )
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def loopback() -> Iterator[tuple[str, type[_Recorder]]]:
    recorder = type("Recorder", (_Recorder,), {"requests": [], "status": 201})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


KEY = base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
CONNECTION = (
    f"Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={KEY}"
)


def test_service_bus_request(loopback: tuple[str, type[_Recorder]]) -> None:
    endpoint, recorder = loopback
    topic = storage.topics(
        "servicebus-topic://orders", connection_string=CONNECTION, endpoint=endpoint
    )
    message_id = topic.publish(
        {"order": 7}, attributes={"kind": "order", "amount": 42}, subject="New order"
    )
    (request,) = recorder.requests
    assert request["path"] == "/orders/messages"
    assert request["body"] == b'{"order":7}'
    headers = request["headers"]
    assert headers["Content-Type"] == "application/json"
    assert json.loads(headers["BrokerProperties"]) == {
        "MessageId": message_id,
        "Label": "New order",
    }
    assert headers["kind"] == '"order"' and headers["amount"] == "42"
    assert {"kind", "amount", "BrokerProperties"} <= set(headers.keys())  # names as sent
    token = urllib.parse.parse_qs(headers["Authorization"].removeprefix("SharedAccessSignature "))
    resource = token["sr"][0]
    assert resource == "https://shop.servicebus.windows.net/orders"
    assert token["skn"] == ["send"]
    signed = f"{urllib.parse.quote_plus(resource)}\n{token['se'][0]}".encode()
    expected = base64.b64encode(hmac.new(KEY.encode(), signed, hashlib.sha256).digest())
    assert token["sig"][0] == expected.decode()
    with pytest.raises(InvalidStorageRequest, match="cannot hold bytes"):
        topic.publish("x", attributes={"raw": b"\x00"})


def test_service_bus_errors_and_settings(
    loopback: tuple[str, type[_Recorder]], monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint, recorder = loopback
    monkeypatch.setenv("ServiceBusConnection", CONNECTION)
    topic = storage.topics("servicebus-topic://orders", endpoint=endpoint)
    recorder.status = 401
    with pytest.raises(AccessDenied, match="servicebus-topic://orders: cannot publish"):
        topic.publish("x")
    recorder.status = 404
    with pytest.raises(BlobNotFound):
        topic.publish("x")
    monkeypatch.delenv("ServiceBusConnection")
    with pytest.raises(ConfigurationError, match="ServiceBusConnection"):
        storage.topics("servicebus-topic://orders")


def test_event_grid_request(loopback: tuple[str, type[_Recorder]]) -> None:
    endpoint, recorder = loopback
    bus = storage.events(
        "eventgrid://shop.westeurope-1.eventgrid.azure.net",
        key="secret",
        endpoint=endpoint + "/api/events?api-version=2018-01-01",
    )
    event_id = bus.put(
        {"source": "shop.orders", "type": "OrderPlaced", "data": {"order": 7}, "subject": "o-7"}
    )
    (request,) = recorder.requests
    assert request["path"] == "/api/events?api-version=2018-01-01"
    assert request["headers"]["aeg-sas-key"] == "secret"
    assert request["headers"]["Content-Type"].startswith("application/cloudevents-batch+json")
    (sent,) = json.loads(request["body"])
    assert sent["specversion"] == "1.0"
    assert sent["id"] == event_id
    assert (sent["source"], sent["type"], sent["subject"]) == ("shop.orders", "OrderPlaced", "o-7")
    assert sent["data"] == {"order": 7}
    assert sent["time"].endswith("Z")
    recorder.status = 403
    with pytest.raises(AccessDenied):
        bus.put({"source": "s", "type": "t", "data": {}})


def test_file_topic_and_bus_keep_subject_and_attributes(tmp_path: Path) -> None:
    topic = storage.topics((tmp_path / "orders").as_uri(), create=True)
    topic.publish({"order": 7}, attributes={"kind": "order"}, subject="New order")
    queue: Any = storage.queues((tmp_path / "orders").as_uri())
    (message,) = queue.messages()
    assert message.json() == {"order": 7}
    assert message.subject == "New order"
    assert message.attributes == {"kind": "order"}
    bus = storage.events((tmp_path / "events").as_uri(), create=True)
    event_id = bus.put({"source": "shop", "type": "Placed", "data": {"n": 1}})
    (stored,) = storage.queues((tmp_path / "events").as_uri()).messages()  # type: ignore[attr-defined]
    event = stored.json()
    assert (event["id"], event["source"], event["detail-type"]) == (event_id, "shop", "Placed")
    assert event["detail"] == {"n": 1}


def test_service_bus_carries_the_trace_context_as_traceparent(
    loopback: tuple[str, type[_Recorder]], monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint, recorder = loopback
    topic = storage.topics(
        "servicebus-topic://orders", connection_string=CONNECTION, endpoint=endpoint
    )
    header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    monkeypatch.setenv("_X_AMZN_TRACE_ID", header)
    topic.publish("traced")
    monkeypatch.delenv("_X_AMZN_TRACE_ID")
    topic.publish("plain")
    traced, plain = recorder.requests
    assert json.loads(traced["headers"]["traceparent"]) == (
        "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"
    )
    assert "traceparent" not in plain["headers"]
