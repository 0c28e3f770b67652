"""Every core AWS corpus entry of kind ``message`` normalizes to Messages, field by field.

Expected values come from the raw payload read the way the SQS and SNS documentation describes
it (the SNS JSON envelope inside an SQS body, attribute data types), independently of the
adapter's code.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

import faaskit
from tests.aws.event_helpers import capture
from tests.corpus import load, params


def _name(arn: str) -> str:
    return arn.rsplit(":", 1)[-1]


def _iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


def _check_attribute(message: faaskit.Message, name: str, kind: str, text: Any) -> None:
    base = kind.split(".")[0]
    if base == "Binary":
        try:
            want = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            with pytest.raises(faaskit.InvalidEventError):
                message.attributes[name]
            return
        assert message.attributes[name] == want
    elif base == "Number":
        assert message.attributes[name] == Decimal(text)
    else:
        assert message.attributes[name] == text


def _check_sqs(message: faaskit.Message, record: dict[str, Any]) -> None:
    system = record["attributes"]
    assert message.id == record["messageId"]
    assert message.delivery_count == int(system["ApproximateReceiveCount"])
    assert message.group_id == system.get("MessageGroupId")
    sent = dt.datetime.fromtimestamp(int(system["SentTimestamp"]) / 1000, dt.timezone.utc)
    body = record["body"]
    envelope = json.loads(body) if body.lstrip().startswith("{") else None
    if isinstance(envelope, dict) and envelope.get("Type") == "Notification":
        assert message.body == envelope["Message"].encode()
        assert message.source == _name(envelope["TopicArn"])
        assert message.subject == envelope.get("Subject")
        assert message.enqueued_at == _iso(envelope["Timestamp"])
        for name, attr in envelope.get("MessageAttributes", {}).items():
            _check_attribute(message, name, attr["Type"], attr["Value"])
    else:
        assert message.body == body.encode()
        assert message.source == _name(record["eventSourceARN"])
        assert message.enqueued_at == sent
        assert set(message.attributes) == set(record["messageAttributes"])
        for name, attr in record["messageAttributes"].items():
            base = attr["dataType"].split(".")[0]
            value = attr.get("binaryValue") if base == "Binary" else attr.get("stringValue")
            _check_attribute(message, name, attr["dataType"], value)


def _check_sns(message: faaskit.Message, record: dict[str, Any]) -> None:
    sns = record["Sns"]
    assert message.id == sns["MessageId"]
    assert message.body == sns["Message"].encode()
    assert message.subject == sns.get("Subject")
    assert message.source == _name(sns["TopicArn"])
    assert message.enqueued_at == _iso(sns["Timestamp"])
    assert set(message.attributes) == set(sns.get("MessageAttributes", {}))
    for name, attr in sns.get("MessageAttributes", {}).items():
        _check_attribute(message, name, attr["Type"], attr["Value"])


@pytest.mark.parametrize("rel", params(platform="aws", kind="message", tier="core"))
def test_message_entry(rel: str) -> None:
    raw = load(rel)
    seen, result = capture(raw, faaskit.queue("any"))
    assert len(seen) == len(raw["Records"])
    for message, record in zip(seen, raw["Records"], strict=True):
        assert isinstance(message, faaskit.Message)
        assert message.raw == record
        if record.get("eventSource") == "aws:sqs":
            _check_sqs(message, record)
        else:
            _check_sns(message, record)
    if raw["Records"][0].get("eventSource") == "aws:sqs":
        assert result == {"batchItemFailures": []}
        failed_seen, failed = capture(raw, faaskit.queue("any"), fails=lambda m: True)
        assert [f["itemIdentifier"] for f in failed["batchItemFailures"]] == [
            r["messageId"] for r in raw["Records"]
        ]
        assert len(failed_seen) >= 1
