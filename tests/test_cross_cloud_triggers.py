"""Cross-cloud: the same logical upload, message, schedule tick and stream record, delivered by
AWS and by Azure, reach one handler body as equal portable events.

AWS events are written here from the AWS payload documentation (S3 notification, SQS, EventBridge
scheduled event, Kinesis); Azure objects are built through the ``azure.functions`` converters.
Each handler runs as its platform runs it: AWS through ``handler(event, context)``, Azure through
the function ``faaskit_azure.function_app`` registers, called with the binding's keywords.
Compared: every field except ``raw`` and what is platform-specific by nature (ids, URLs, the
storage URL, the service name, and what only one cloud's payload carries); each exclusion is
listed with its reason.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import attrs
import pytest

import faaskit
from tests.azure.helpers import as_cloudevent

pytest.importorskip("azure.functions")

UPLOAD = {
    "bucket": "uploads",
    "key": "reports/q1 2024.csv",
    "size": 1234,
    "etag": "0x8DC6A1B2C3D4E5F",
    "time": "2024-05-01T10:20:30.123Z",
}
MESSAGE = {
    "queue": "orders",
    "body": '{"order": 42}',
    "attributes": {"tenant": "a", "priority": 2},
    "sent_ms": 1706933106123,  # 2024-02-03T04:05:06.123Z
    "receives": 2,
}
TICK = "2024-03-10T12:00:00Z"
RECORD = {
    "stream": "telemetry",
    "partition_key": "device-7",
    "data": b'{"temp": 20.5}',
    "arrival": 1711962000.5,  # 2024-04-01T09:00:00.5Z
}


def _iso_ms(epoch_ms: int) -> str:
    stamp = dt.datetime.fromtimestamp(epoch_ms / 1000, dt.timezone.utc)
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ---- the same deliveries, as each cloud sends them -------------------------------------------


def aws_s3_put() -> dict[str, Any]:
    key = UPLOAD["key"].replace(" ", "+")  # S3 notifications URL-encode keys
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": UPLOAD["time"],
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "uploads-notification",
                    "bucket": {
                        "name": UPLOAD["bucket"],
                        "arn": f"arn:aws:s3:::{UPLOAD['bucket']}",
                    },
                    "object": {
                        "key": key,
                        "size": UPLOAD["size"],
                        "eTag": UPLOAD["etag"],
                        "sequencer": "0055AED6DCD90281E5",
                    },
                },
            }
        ]
    }


def azure_blob_created(schema: str) -> Any:
    grid = {
        "topic": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/"
        "storageAccounts/contoso",
        "subject": f"/blobServices/default/containers/{UPLOAD['bucket']}/blobs/{UPLOAD['key']}",
        "eventType": "Microsoft.Storage.BlobCreated",
        "eventTime": UPLOAD["time"],
        "id": "831e1650-001e-001b-66ab-eeb76e069631",
        "data": {
            "api": "PutBlockList",
            "eTag": UPLOAD["etag"],
            "contentType": "text/csv",
            "contentLength": UPLOAD["size"],
            "blobType": "BlockBlob",
            "url": f"https://contoso.blob.core.windows.net/{UPLOAD['bucket']}/"
            f"{UPLOAD['key'].replace(' ', '%20')}",
        },
        "dataVersion": "",
        "metadataVersion": "1",
    }
    if schema == "cloudevents":
        grid = as_cloudevent(grid)
    return _convert("eventGridTrigger", json.dumps(grid), "json", {})


def aws_sqs() -> dict[str, Any]:
    attributes = {
        "tenant": {"dataType": "String", "stringValue": MESSAGE["attributes"]["tenant"]},
        "priority": {"dataType": "Number", "stringValue": str(MESSAGE["attributes"]["priority"])},
    }
    return {
        "Records": [
            {
                "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
                "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
                "body": MESSAGE["body"],
                "attributes": {
                    "ApproximateReceiveCount": str(MESSAGE["receives"]),
                    "SentTimestamp": str(MESSAGE["sent_ms"]),
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                    "ApproximateFirstReceiveTimestamp": str(MESSAGE["sent_ms"] + 5),
                },
                "messageAttributes": attributes,
                "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{MESSAGE['queue']}",
                "awsRegion": "us-east-1",
            }
        ]
    }


def azure_service_bus() -> Any:
    properties = json.dumps(MESSAGE["attributes"])
    metadata = {
        "MessageId": ("87c66eaf88e84119b66a26278a7b4149", "string"),
        "DeliveryCount": (str(MESSAGE["receives"]), "json"),
        "EnqueuedTimeUtc": (_iso_ms(MESSAGE["sent_ms"]), "string"),
        "SessionId": ("", "string"),
        "UserProperties": (properties, "json"),
        "ApplicationProperties": (properties, "json"),
    }
    return _convert("serviceBusTrigger", MESSAGE["body"], "string", metadata)


def azure_storage_queue() -> Any:
    sent = _iso_ms(MESSAGE["sent_ms"])
    metadata = {
        "Id": ("800ae4b3-bdd2-4c08-badd-f08e5a34b865", "string"),
        "DequeueCount": (str(MESSAGE["receives"]), "json"),
        "InsertionTime": (sent, "string"),
        "ExpirationTime": ("2024-02-10T04:05:06Z", "string"),
        "NextVisibleTime": ("2024-02-03T04:15:06Z", "string"),
        "PopReceipt": ("AgAAAAMAAAAAAAAAAgtnj8x+1QE=", "string"),
    }
    return _convert("queueTrigger", MESSAGE["body"], "string", metadata)


def aws_schedule() -> dict[str, Any]:
    return {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": TICK,
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/every-five-minutes"],
        "detail": {},
    }


def azure_timer() -> Any:
    info = {
        "Schedule": {"AdjustForDST": True},
        "ScheduleStatus": {"Last": TICK, "Next": "2024-03-10T12:05:00Z", "LastUpdated": TICK},
        "IsPastDue": False,
    }
    return _convert("timerTrigger", json.dumps(info), "json", {})


def aws_kinesis() -> dict[str, Any]:
    return {
        "Records": [
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": RECORD["partition_key"],
                    "sequenceNumber": "49590338271490256608559692538361571095921575989136588898",
                    "data": base64.b64encode(RECORD["data"]).decode(),
                    "approximateArrivalTimestamp": RECORD["arrival"],
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": "shardId-000000000006:4959033827149025660855969253836157109592157598",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": "arn:aws:iam::123456789012:role/lambda-role",
                "awsRegion": "us-east-1",
                "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/"
                + str(RECORD["stream"]),
            }
        ]
    }


def azure_event_hub() -> Any:
    arrival = dt.datetime.fromtimestamp(RECORD["arrival"], dt.timezone.utc).isoformat()
    metadata = {
        "SystemProperties": (json.dumps({"x-opt-sequence-number": 3}), "json"),
        "EnqueuedTimeUtc": (arrival, "string"),
        "SequenceNumber": ("3", "json"),
        "Offset": ("1024", "string"),
        "PartitionKey": (RECORD["partition_key"], "string"),
    }
    return _convert("eventHubTrigger", RECORD["data"], "bytes", metadata)


# ---- running one handler body on both clouds -------------------------------------------------


def _convert(binding: str, value: Any, kind: str, metadata: dict[str, tuple[Any, str]]) -> Any:
    import azure.functions as func
    from azure.functions.meta import Datum

    typed = {name: Datum(v, t) for name, (v, t) in metadata.items()}
    return (
        func.get_binding_registry().get(binding).decode(Datum(value, kind), trigger_metadata=typed)
    )


def on_aws(handler: Any, event: dict[str, Any]) -> None:
    from faaskit.testing.contexts import lambda_context

    handler(event, lambda_context(handler.name))


def on_azure(handler: Any, raw: Any, **options: Any) -> None:
    import faaskit_azure

    (function,) = faaskit_azure.function_app(handler, **options).get_functions()
    context = SimpleNamespace(invocation_id="inv-1", function_name=handler.name, trace_context=None)
    function.get_user_function()(**{function.get_trigger().name: raw, "context": context})


def capture(trigger: Any) -> tuple[Any, list[Any]]:
    seen: list[Any] = []

    @faaskit.handler(trigger)
    def body(event: Any, ctx: faaskit.Context) -> None:
        seen.append(event)

    return body, seen


def portable(event: Any, *platform_specific: str) -> dict[str, Any]:
    fields = attrs.asdict(event, recurse=False)
    for name in ("raw", *platform_specific):
        fields.pop(name)
    return fields


# ---- the comparisons -------------------------------------------------------------------------


@pytest.mark.parametrize("schema", ["eventgrid", "cloudevents"])
def test_same_upload(schema: str) -> None:
    handler, seen = capture(faaskit.blob(UPLOAD["bucket"], events=("created", "deleted")))
    on_aws(handler, aws_s3_put())
    on_azure(handler, azure_blob_created(schema))
    aws, azure = seen
    # url, store, source: each cloud's own address for the object and service;
    # content_type: S3 notifications do not carry it.
    excluded = ("url", "store", "source", "content_type")
    assert portable(aws, *excluded) == portable(azure, *excluded)
    assert (azure.bucket, azure.key, azure.action) == (UPLOAD["bucket"], UPLOAD["key"], "created")
    assert (aws.store, azure.store) == (f"s3://{UPLOAD['bucket']}", f"azure://{UPLOAD['bucket']}")


def test_same_message() -> None:
    handler, seen = capture(faaskit.queue(MESSAGE["queue"]))
    on_aws(handler, aws_sqs())
    on_azure(handler, azure_service_bus(), queue_service="servicebus")
    aws, azure = seen
    assert portable(aws, "id") == portable(azure, "id")  # ids: each broker's own message id
    assert azure.json() == aws.json() == json.loads(MESSAGE["body"])
    assert azure.source == MESSAGE["queue"]


def test_same_message_on_a_storage_queue() -> None:
    handler, seen = capture(faaskit.queue(MESSAGE["queue"]))
    sqs = aws_sqs()
    sqs["Records"][0]["messageAttributes"] = {}  # Storage Queue messages carry no attributes
    on_aws(handler, sqs)
    on_azure(handler, azure_storage_queue())
    aws, azure = seen
    assert portable(aws, "id") == portable(azure, "id")  # ids: each broker's own message id


def test_same_schedule_tick() -> None:
    handler, seen = capture(faaskit.schedule("rate(5 minutes)"))
    on_aws(handler, aws_schedule())
    on_azure(handler, azure_timer())
    aws, azure = seen
    # id: EventBridge's event id (Azure ticks have none); schedule: AWS names the rule that
    # fired, Azure (whose payload names nothing) gives the declared expression.
    assert portable(aws, "id", "schedule") == portable(azure, "id", "schedule")
    assert azure.time == dt.datetime(2024, 3, 10, 12, 0, tzinfo=dt.timezone.utc)
    assert azure.schedule == "rate(5 minutes)"


def test_same_stream_record() -> None:
    handler, seen = capture(faaskit.stream(RECORD["stream"]))
    on_aws(handler, aws_kinesis())
    on_azure(handler, azure_event_hub())
    aws, azure = seen
    assert portable(aws, "id") == portable(azure, "id")  # ids: each stream's sequence number
    assert azure.json() == aws.json()
    assert azure.source == RECORD["stream"]
