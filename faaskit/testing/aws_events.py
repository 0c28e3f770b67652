"""Realistic AWS storage and messaging events: S3, SQS (standard and FIFO), SNS, and the
wrapped deliveries (S3 in SQS or SNS, SNS in SQS).

Shapes follow the AWS documentation:
- S3 notifications: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
- SQS: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
- SNS: https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html and, delivered to SQS,
  https://docs.aws.amazon.com/sns/latest/dg/sns-sqs-as-subscriber.html
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote_plus

from faaskit.testing._common import ACCOUNT, REGION, body_bytes, iso, new_id, utcnow

__all__ = ["s3", "s3_sns", "s3_sqs", "sns", "sns_sqs", "sqs"]

_SIGNATURE = base64.b64encode(b"EXAMPLE signature " * 8).decode("ascii")

_S3_NAMES = {
    "created": "ObjectCreated:Put",
    "copied": "ObjectCreated:Copy",
    "deleted": "ObjectRemoved:Delete",
    "restored": "ObjectRestore:Completed",
}


def _s3_record(
    bucket: str, key: str, action: str, size: int, etag: str | None, when: Any
) -> dict[str, Any]:
    name = _S3_NAMES.get(action, action)
    obj: dict[str, Any] = {
        "key": quote_plus(key, safe="/"),
        "sequencer": f"{int(time.time() * 1000):016X}",
    }
    if not name.startswith("ObjectRemoved"):
        obj["size"] = size
        obj["eTag"] = etag or hashlib.md5(key.encode()).hexdigest()
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": REGION,
        "eventTime": iso(when, millis=True),
        "eventName": name,
        "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
        "requestParameters": {"sourceIPAddress": "203.0.113.10"},
        "responseElements": {
            "x-amz-request-id": new_id()[:16].upper(),
            "x-amz-id-2": "EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH",
        },
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "faaskit-notification",
            "bucket": {
                "name": bucket,
                "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                "arn": f"arn:aws:s3:::{bucket}",
            },
            "object": obj,
        },
    }


def s3(
    bucket: str = "my-bucket",
    key: str = "uploads/example.txt",
    *,
    action: str = "created",
    size: int = 1024,
    etag: str | None = None,
    time: Any = None,
    keys: Sequence[str] | None = None,
) -> dict[str, Any]:
    """An S3 event notification; ``action`` is a portable action or an S3 ``eventName``."""
    return {"Records": [_s3_record(bucket, k, action, size, etag, time) for k in (keys or [key])]}


def _sqs_record(
    body: str,
    queue: str,
    index: int,
    *,
    attributes: Mapping[str, Any] | None,
    fifo: bool,
    group_id: str,
    receive_count: int,
    sent: _dt.datetime,
) -> dict[str, Any]:
    millis = str(int(sent.timestamp() * 1000))
    system = {
        "ApproximateReceiveCount": str(receive_count),
        "SentTimestamp": millis,
        "SenderId": "AIDAIENQZJOLO23YVJ4VO",
        "ApproximateFirstReceiveTimestamp": millis,
    }
    if fifo:
        system["SequenceNumber"] = str(18849496460467696128 + index)
        system["MessageGroupId"] = group_id
        system["MessageDeduplicationId"] = hashlib.sha256(body.encode()).hexdigest()
    name = queue if not fifo or queue.endswith(".fifo") else f"{queue}.fifo"
    return {
        "messageId": new_id(),
        "receiptHandle": base64.b64encode(new_id().encode()).decode("ascii"),
        "body": body,
        "attributes": system,
        "messageAttributes": {str(k): _sqs_attribute(v) for k, v in (attributes or {}).items()},
        "md5OfBody": hashlib.md5(body.encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}",
        "awsRegion": REGION,
    }


def _sqs_attribute(value: Any) -> dict[str, Any]:
    if isinstance(value, bytes):
        return {
            "binaryValue": base64.b64encode(value).decode("ascii"),
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": "Binary",
        }
    number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    return {
        "stringValue": str(value),
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": "Number" if number else "String",
    }


def sqs(
    body: Any = "Hello from SQS!",
    *,
    queue: str = "my-queue",
    bodies: Sequence[Any] | None = None,
    attributes: Mapping[str, Any] | None = None,
    fifo: bool = False,
    group_id: str = "group-1",
    receive_count: int = 1,
) -> dict[str, Any]:
    """An SQS batch, one record per body; ``fifo=True`` adds group and sequence numbers."""
    sent = utcnow()
    texts = [body_bytes(b).decode("utf-8") for b in (bodies if bodies is not None else [body])]
    return {
        "Records": [
            _sqs_record(
                text,
                queue,
                index,
                attributes=attributes,
                fifo=fifo,
                group_id=group_id,
                receive_count=receive_count,
                sent=sent,
            )
            for index, text in enumerate(texts)
        ]
    }


def _sns_message(
    message: str, topic: str, subject: str | None, attributes: Mapping[str, Any] | None
) -> dict[str, Any]:
    arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:{topic}"
    return {
        "Type": "Notification",
        "MessageId": new_id(),
        "TopicArn": arn,
        "Subject": subject,
        "Message": message,
        "Timestamp": iso(None, millis=True),
        "SignatureVersion": "1",
        "Signature": _SIGNATURE,
        "SigningCertUrl": f"https://sns.{REGION}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
        "UnsubscribeUrl": f"https://sns.{REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={arn}:{new_id()}",
        "MessageAttributes": {
            str(k): {"Type": "Binary" if isinstance(v, bytes) else "String", "Value": _text(v)}
            for k, v in (attributes or {}).items()
        },
    }


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def sns(
    message: Any = "Hello from SNS!",
    *,
    topic: str = "my-topic",
    subject: str | None = "example subject",
    attributes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An SNS notification as Lambda receives it."""
    note = _sns_message(body_bytes(message).decode("utf-8"), topic, subject, attributes)
    arn = note["TopicArn"]
    return {
        "Records": [
            {
                "EventVersion": "1.0",
                "EventSubscriptionArn": f"{arn}:{new_id()}",
                "EventSource": "aws:sns",
                "Sns": note,
            }
        ]
    }


def _sqs_notification(note: Mapping[str, Any]) -> dict[str, Any]:
    # SNS writes SigningCertURL/UnsubscribeURL (upper case) in the SQS body.
    body = dict(note)
    body["SigningCertURL"] = body.pop("SigningCertUrl")
    body["UnsubscribeURL"] = body.pop("UnsubscribeUrl")
    return body


def sns_sqs(
    message: Any = "Hello from SNS!",
    *,
    topic: str = "my-topic",
    queue: str = "my-queue",
    subject: str | None = "example subject",
    attributes: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An SNS notification delivered to an SQS queue (raw message delivery off)."""
    note = _sns_message(body_bytes(message).decode("utf-8"), topic, subject, attributes)
    return sqs(json.dumps(_sqs_notification(note)), queue=queue)


def s3_sqs(
    bucket: str = "my-bucket",
    key: str = "uploads/example.txt",
    *,
    queue: str = "my-queue",
    action: str = "created",
    size: int = 1024,
) -> dict[str, Any]:
    """An S3 notification delivered to an SQS queue."""
    return sqs(json.dumps(s3(bucket, key, action=action, size=size)), queue=queue)


def s3_sns(
    bucket: str = "my-bucket",
    key: str = "uploads/example.txt",
    *,
    topic: str = "my-topic",
    action: str = "created",
    size: int = 1024,
) -> dict[str, Any]:
    """An S3 notification published to an SNS topic."""
    return sns(
        json.dumps(s3(bucket, key, action=action, size=size)),
        topic=topic,
        subject="Amazon S3 Notification",
    )
