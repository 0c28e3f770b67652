"""One handler body, two clouds, real servers.

AWS: the moto server itself emits the S3 notification (bucket notification configuration to
an SQS queue); the test receives it from SQS, builds the Lambda SQS event the event source
mapping would (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html) and calls the
handler as Lambda does. Azure: the blob uploaded to Azurite is handed to the function that
``faaskit_azure.function_app`` registers, as the blob trigger's ``InputStream``. In both,
the handler reads the object through ``BlobEvent.read()`` and writes a result object.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

import faaskit
from faaskit import storage
from tests.services import Azurite, MotoServer
from tests.storage.helpers import unique

pytestmark = pytest.mark.services

TEXT = "the quick brown fox\njumps over the lazy dog\n" * 50
KEY = "incoming/report 2024 ünïcode ✓.txt"


def count_words(event: faaskit.BlobEvent, ctx: faaskit.Context) -> None:
    """The portable handler body: read the triggering object, write a summary beside it."""
    text = event.read().decode("utf-8")
    with event.open() as stream:
        assert stream.read(3) == text[:3].encode()
    results = storage.blobs(os.environ["RESULTS_STORE"])
    summary = {"source": event.key, "words": len(text.split()), "platform": ctx.platform}
    results.put(f"{event.key}.json", json.dumps(summary), content_type="application/json")


def _lambda_sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }


def test_aws_s3_notification_through_sqs(
    moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    for name, value in moto_server.env.items():
        monkeypatch.setenv(name, value)
    s3, sqs = boto3.client("s3"), boto3.client("sqs")
    incoming, results = unique("incoming"), unique("results")
    s3.create_bucket(Bucket=incoming)
    s3.create_bucket(Bucket=results)
    queue_url = sqs.create_queue(QueueName=unique("uploads"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=incoming,
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    s3.put_object(Bucket=incoming, Key=KEY, Body=TEXT.encode())
    messages: list[dict[str, Any]] = []
    for _ in range(5):
        batch = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"], WaitTimeSeconds=1
        ).get("Messages", [])
        messages += batch
        if any('"Records"' in m["Body"] for m in messages):
            break
    assert sum('"Records"' in m["Body"] for m in messages) == 1, messages

    monkeypatch.setenv("RESULTS_STORE", f"s3://{results}")
    handler = faaskit.handler(faaskit.blob(incoming))(count_words)
    from faaskit.testing import lambda_context

    # Everything received goes in, as the event source mapping would deliver it, including
    # the s3:TestEvent S3 sends when the configuration is set: the adapter acknowledges it.
    response = handler(_lambda_sqs_event(messages, queue_arn), lambda_context("count"))
    assert response == {"batchItemFailures": []}
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=results)["Contents"]] == [f"{KEY}.json"]

    written = s3.get_object(Bucket=results, Key=f"{KEY}.json")
    assert written["ContentType"] == "application/json"
    summary = json.loads(written["Body"].read())
    assert summary == {"source": KEY, "words": len(TEXT.split()), "platform": "aws"}


def test_azure_blob_trigger(azurite: Azurite, monkeypatch: pytest.MonkeyPatch) -> None:
    import azure.functions as func
    from azure.storage.blob import BlobServiceClient

    from faaskit.testing import invoke

    monkeypatch.setenv("AzureWebJobsStorage", azurite.connection_string())
    service = BlobServiceClient.from_connection_string(azurite.connection_string())
    incoming, results = unique("incoming"), unique("results")
    service.create_container(incoming)
    service.create_container(results)
    uploaded = service.get_blob_client(incoming, KEY)
    uploaded.upload_blob(TEXT.encode())
    props = uploaded.get_blob_properties()

    # What the Functions host binds for a blob trigger on this blob.
    stream = func.blob.InputStream(
        data=TEXT.encode(),
        name=f"{incoming}/{KEY}",
        uri=uploaded.url,
        length=props.size,
        blob_properties={
            "ContentLength": props.size,
            "ContentType": props.content_settings.content_type,
            "ETag": props.etag,
            "LastModified": props.last_modified.isoformat(),
        },
        metadata={},
    )
    monkeypatch.setenv("RESULTS_STORE", f"azure://{results}")
    handler = faaskit.handler(faaskit.blob(incoming), name="count")(count_words)
    invoke(handler, stream, platform="azure")

    written = service.get_blob_client(results, f"{KEY}.json")
    assert written.get_blob_properties().content_settings.content_type == "application/json"
    summary = json.loads(written.download_blob().readall())
    assert summary == {"source": KEY, "words": len(TEXT.split()), "platform": "azure"}
