"""SQS, SNS and SNS-through-SQS deliveries as Messages."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

import faaskit
from faaskit._context import local_context
from faaskit_aws.message import SQS
from tests.aws.event_helpers import capture, fixture, reported

UTC = dt.timezone.utc


def _sent(record: dict[str, Any]) -> dt.datetime:
    millis = int(record["attributes"]["SentTimestamp"])
    return dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(milliseconds=millis)


def test_sqs_standard_messages_field_by_field() -> None:
    raw = fixture("sqs/standard")
    seen, result = capture(raw, faaskit.queue("orders"))
    assert reported(result) == []
    assert len(seen) == len(raw["Records"])
    for message, record in zip(seen, raw["Records"], strict=True):
        assert isinstance(message, faaskit.Message)
        assert message.id == record["messageId"]
        assert message.body == record["body"].encode()
        assert message.text == record["body"]
        assert message.delivery_count == int(record["attributes"]["ApproximateReceiveCount"])
        assert message.enqueued_at == _sent(record)
        assert message.source == "orders"
        assert message.subject is None
        assert message.group_id is None
        assert message.raw == record
    assert seen[0].json() == {"order": 1042, "items": 3}
    with pytest.raises(faaskit.InvalidEventError):
        seen[1].json()


def test_sqs_attributes_of_every_data_type() -> None:
    seen, _ = capture(fixture("sqs/standard"))
    attributes = seen[0].attributes
    assert set(attributes) == {"customer", "quantity", "price", "checksum", "thumbnail", "region"}
    assert attributes["customer"] == "C-1042"
    assert attributes["quantity"] == 12 and type(attributes["quantity"]) is int
    assert attributes["price"] == Decimal("19.99")
    assert attributes["checksum"] == b"\x00\x01\xfe\xff"
    assert attributes["thumbnail"].startswith(b"GIF89a")
    assert attributes["region"] == "emea"
    assert dict(seen[1].attributes) == {}


def test_invalid_binary_attribute_raises_a_typed_error_when_read() -> None:
    raw = fixture("sqs/standard")
    raw["Records"][0]["messageAttributes"]["checksum"]["binaryValue"] = "not base64!"
    seen, result = capture(raw)
    assert reported(result) == []  # the message itself is delivered
    with pytest.raises(faaskit.InvalidEventError) as info:
        seen[0].attributes["checksum"]
    assert info.value.field == "Records[0].messageAttributes.checksum.binaryValue"
    assert seen[0].attributes["customer"] == "C-1042"


def test_reading_a_bad_attribute_in_the_handler_fails_only_that_message() -> None:
    raw = fixture("sqs/standard")
    raw["Records"][0]["messageAttributes"]["quantity"]["stringValue"] = "twelve"
    seen, result = capture(raw, fails=lambda m: dict(m.attributes) is None)
    assert reported(result) == [raw["Records"][0]["messageId"]]
    assert len(seen) == 3


def test_fifo_queue_gives_group_ids_in_order() -> None:
    raw = fixture("sqs/fifo")
    seen, _ = capture(raw)
    assert [m.id for m in seen] == [r["messageId"] for r in raw["Records"]]
    assert [m.group_id for m in seen] == [r["attributes"]["MessageGroupId"] for r in raw["Records"]]
    assert {m.source for m in seen} == {"payments.fifo"}


def test_dead_letter_redrive_keeps_the_receive_count() -> None:
    raw = fixture("sqs/dlq_redrive")
    (message,), _ = capture(raw)
    assert message.delivery_count == 5
    assert message.source == "orders-dlq"
    assert message.body == b"poison pill"


def test_sns_notification() -> None:
    raw = fixture("sns/notification")
    (message,), result = capture(raw, faaskit.topic("order-events"))
    sns = raw["Records"][0]["Sns"]
    assert result is None
    assert message.id == sns["MessageId"]
    assert message.body == sns["Message"].encode()
    assert message.subject == "Order placed"
    assert message.source == "order-events"
    assert message.enqueued_at == dt.datetime(2026, 11, 28, 10, 15, 31, 456000, tzinfo=UTC)
    assert message.delivery_count is None
    assert message.json() == {"order": 1042}
    assert dict(message.attributes) == {
        "event": "order.placed",
        "priority": 5,
        "weight": Decimal("2.75"),
        "signature": b"\xde\xad\xbe\xef",
        "tags": ["new", "priority", 3],
    }


def test_sns_without_subject() -> None:
    (message,), _ = capture(fixture("sns/no_subject"))
    assert message.subject is None
    assert message.text == "hello"


def test_sns_through_sqs_non_raw_unwraps_the_envelope() -> None:
    raw = fixture("sqs/sns_in_sqs")
    record = raw["Records"][0]
    envelope = json.loads(record["body"])
    (message,), result = capture(raw, faaskit.queue("order-events-sub"))
    assert reported(result) == []
    assert message.id == record["messageId"]  # the id the queue acknowledges
    assert message.body == envelope["Message"].encode()
    assert message.subject == envelope["Subject"]
    assert message.source == "order-events"
    assert message.delivery_count == 1
    assert message.attributes["priority"] == 5
    assert message.attributes["tags"] == ["new", "priority", 3]


def test_sns_through_sqs_raw_delivery_is_a_plain_sqs_message() -> None:
    raw = fixture("sqs/sns_in_sqs_raw")
    (message,), _ = capture(raw)
    assert message.body == b'{"order": 1042}'
    assert dict(message.attributes) == {"event": "order.placed", "priority": 5}
    assert message.source == "order-events-raw"


def test_sns_fifo_through_sqs_fifo_keeps_the_group() -> None:
    raw = fixture("sqs/sns_in_sqs_fifo")
    (message,), _ = capture(raw)
    assert message.group_id == "account-77"
    assert message.source == "orders.fifo"
    assert message.json() == {"order": 7}


def test_message_to_cloudevent() -> None:
    (message,), _ = capture(fixture("sns/notification"))
    ce = message.to_cloudevent()
    assert ce["specversion"] == "1.0"
    assert ce["id"] == message.id
    assert ce["data"] == {"order": 1042}


def test_queue_batch_handler_gets_the_whole_batch() -> None:
    raw = fixture("sqs/standard")
    seen, result = capture(raw, faaskit.queue("orders", batch=True))
    (batch,) = seen
    assert isinstance(batch, faaskit.MessageBatch)
    assert [m.id for m in batch] == [r["messageId"] for r in raw["Records"]]
    assert batch.source == "orders" and not batch.fifo
    assert reported(result) == []


@pytest.mark.parametrize("body", [None, ["x"], 42])
def test_a_record_without_a_text_body_is_reported_not_dropped(body: Any) -> None:
    raw = fixture("sqs/standard")
    raw["Records"][0]["body"] = body
    seen, result = capture(raw)
    assert reported(result) == [raw["Records"][0]["messageId"]]
    assert [m.id for m in seen] == [r["messageId"] for r in raw["Records"][1:]]


METADATA_DEFECTS = [
    (lambda r: r.update(attributes="x"), "delivery_count", "Records[0].attributes"),
    (
        lambda r: r["attributes"].update(SentTimestamp="soon"),
        "enqueued_at",
        "Records[0].attributes.SentTimestamp",
    ),
    (
        lambda r: r["attributes"].update(ApproximateReceiveCount="x"),
        "delivery_count",
        "Records[0].attributes.ApproximateReceiveCount",
    ),
    (
        lambda r: r["attributes"].update(MessageGroupId=7),
        "group_id",
        "Records[0].attributes.MessageGroupId",
    ),
    (lambda r: r.update(messageAttributes=[]), "attributes", "Records[0].messageAttributes"),
]


@pytest.mark.parametrize(("mutate", "name", "field"), METADATA_DEFECTS)
def test_malformed_metadata_fails_the_message_whose_handler_reads_it(
    mutate: Any, name: str, field: str
) -> None:
    raw = fixture("sqs/standard")
    mutate(raw["Records"][0])
    errors: list[faaskit.InvalidEventError] = []

    def read(message: faaskit.Message) -> bool:
        try:
            getattr(message, name)
        except faaskit.InvalidEventError as exc:
            errors.append(exc)
            raise
        return False

    seen, result = capture(raw, fails=read)
    assert reported(result) == [raw["Records"][0]["messageId"]]
    assert [m.id for m in seen] == [r["messageId"] for r in raw["Records"]]
    (error,) = errors
    assert error.source == "sqs" and error.field is not None and error.field.startswith(field)


@pytest.mark.parametrize(("mutate", "name", "field"), METADATA_DEFECTS)
def test_malformed_metadata_nobody_reads_does_not_fail_the_message(
    mutate: Any, name: str, field: str
) -> None:
    raw = fixture("sqs/standard")
    mutate(raw["Records"][0])
    seen, result = capture(raw, fails=lambda m: m.text != m.raw["body"])
    assert reported(result) == []
    assert [m.body for m in seen] == [r["body"].encode() for r in raw["Records"]]


def test_undecodable_record_in_a_batch_handler_is_reported() -> None:
    raw = fixture("sqs/standard")
    raw["Records"][1]["body"] = 42
    seen, result = capture(raw, faaskit.queue("orders", batch=True))
    assert [m.id for m in seen[0]] == [
        raw["Records"][0]["messageId"],
        raw["Records"][2]["messageId"],
    ]
    assert reported(result) == [raw["Records"][1]["messageId"]]


@pytest.mark.parametrize("bad_id", [None, "", 17])
def test_record_without_message_id_fails_the_whole_delivery(bad_id: Any) -> None:
    raw = fixture("sqs/standard")
    raw["Records"][1]["messageId"] = bad_id
    with pytest.raises(faaskit.InvalidEventError) as info:
        capture(raw)
    assert info.value.field == "Records[1].messageId"


def test_sns_malformed_fields() -> None:
    raw = fixture("sns/notification")
    del raw["Records"][0]["Sns"]["Message"]
    with pytest.raises(faaskit.InvalidEventError) as info:
        capture(raw)
    assert info.value.field == "Records[0].Sns.Message"
    raw = fixture("sns/notification")
    raw["Records"][0]["Sns"]["MessageAttributes"]["signature"]["Value"] = "@@@"
    (message,), _ = capture(raw)
    with pytest.raises(faaskit.InvalidEventError):
        message.attributes["signature"]


def test_binary_attributes_round_trip_random_bytes() -> None:
    raw = fixture("sqs/standard")
    payload = bytes(range(256))
    raw["Records"][0]["messageAttributes"]["checksum"]["binaryValue"] = base64.b64encode(
        payload
    ).decode()
    seen, _ = capture(raw)
    assert seen[0].attributes["checksum"] == payload


def test_a_body_holding_a_lone_surrogate_is_reported_not_a_crash() -> None:
    raw = fixture("sqs/standard")
    raw["Records"][1]["body"] = "half of a pair: \ud800"
    seen, result = capture(raw)
    assert reported(result) == [raw["Records"][1]["messageId"]]
    assert [m.id for m in seen] == [r["messageId"] for i, r in enumerate(raw["Records"]) if i != 1]
    decoded = SQS.decode(raw, local_context("t"))
    error = decoded.entries[1].error
    assert isinstance(error, faaskit.InvalidEventError) and error.field == "Records[1].body"


def test_an_sns_message_holding_a_lone_surrogate_is_a_typed_error() -> None:
    raw = fixture("sns/notification")
    raw["Records"][0]["Sns"]["Message"] = "\udfff"
    with pytest.raises(faaskit.InvalidEventError) as info:
        capture(raw)
    assert info.value.field == "Records[0].Sns.Message"
