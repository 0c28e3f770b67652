"""S3 notifications as BlobEvents: direct, and wrapped in SQS, SNS, SNS-in-SQS and EventBridge."""

from __future__ import annotations

import datetime as dt
import sys
import types
from typing import Any

import pytest

import faaskit
from tests.aws.event_helpers import capture, fixture, reported

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("name", "key", "action"),
    [
        ("put", "uploads/red flower (1).jpg", "created"),
        ("copy", "backups/2026/report:final.pdf", "created"),
        ("multipart", "video/café tour.mp4", "created"),
        ("delete", "tmp/old file.txt", "deleted"),
        ("delete_marker", "docs/a+b.txt", "deleted"),
        ("restore_post", "archive/2019/ledger.csv", "restore_started"),
        ("restore_completed", "archive/2019/ledger.csv", "restored"),
        ("lifecycle_expiration", "logs/2025/01/app.log", "deleted"),
        ("lifecycle_transition", "logs/2025/01/app.log", "tier_changed"),
    ],
)
def test_s3_notification_kinds(name: str, key: str, action: str) -> None:
    raw = fixture(f"s3/{name}")
    seen, result = capture(raw, faaskit.blob("photos-bucket"))
    assert result is None
    (event,) = seen
    record = raw["Records"][0]
    obj = record["s3"]["object"]
    assert isinstance(event, faaskit.BlobEvent)
    assert event.bucket == "photos-bucket"
    assert event.key == key
    assert event.action == action
    assert event.size == obj.get("size")
    assert event.etag == obj.get("eTag")
    assert event.version == obj.get("versionId")
    assert event.time == dt.datetime(2026, 11, 28, 10, 15, 30, 125000, tzinfo=UTC)
    assert event.store == "s3://photos-bucket"
    assert event.url is not None and event.url.startswith(
        "https://photos-bucket.s3.eu-west-1.amazonaws.com/"
    )
    assert event.raw == record


def test_url_is_percent_encoded_from_the_decoded_key() -> None:
    (event,), _ = capture(fixture("s3/put"))
    assert event.url.endswith("/uploads/red%20flower%20%281%29.jpg")


def test_several_records_run_one_by_one() -> None:
    seen, _ = capture(fixture("s3/two_records"))
    assert [(e.key, e.size) for e in seen] == [("a.txt", 1), ("b c.txt", 2)]


def _same_object(event: faaskit.BlobEvent) -> tuple[Any, ...]:
    return (event.bucket, event.key, event.action, event.size, event.etag, event.store)


@pytest.mark.parametrize(
    "wrapped",
    ["sqs/s3_in_sqs", "sns/s3_in_sns", "sqs/s3_in_sns_in_sqs", "sqs/eventbridge_s3_in_sqs"],
)
def test_wrapped_notifications_unwrap_to_the_same_blob_event(wrapped: str) -> None:
    (direct,), _ = capture(fixture("s3/put"))
    seen, result = capture(fixture(wrapped), faaskit.blob("photos-bucket"))
    assert [_same_object(e) for e in seen] == [_same_object(direct)]
    if wrapped.startswith("sqs/"):
        assert reported(result) == []


def test_eventbridge_object_created() -> None:
    raw = fixture("eventbridge/s3_object_created")
    (event,), result = capture(raw, faaskit.blob("photos-bucket"))
    assert result is None
    assert event.key == "uploads/red flower (1).jpg"
    assert event.action == "created"
    assert event.size == 2048
    assert event.etag == raw["detail"]["object"]["etag"]
    assert event.version == raw["detail"]["object"]["version-id"]
    assert event.time == dt.datetime(2026, 11, 28, 10, 15, 30, tzinfo=UTC)
    assert event.store == "s3://photos-bucket"


@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("s3_object_deleted", "deleted"),
        ("s3_restore_initiated", "restore_started"),
        ("s3_storage_class_changed", "tier_changed"),
    ],
)
def test_eventbridge_object_actions(name: str, action: str) -> None:
    (event,), _ = capture(fixture(f"eventbridge/{name}"))
    assert isinstance(event, faaskit.BlobEvent)
    assert event.action == action


@pytest.mark.parametrize("name", ["sqs/s3_test_event_in_sqs"])
def test_s3_test_event_is_acknowledged_without_running(name: str) -> None:
    seen, result = capture(fixture(name), faaskit.blob("photos-bucket"))
    assert seen == []
    assert reported(result) == []


def test_blob_in_sqs_failure_reports_the_sqs_message() -> None:
    raw = fixture("sqs/s3_in_sqs")
    seen, result = capture(raw, faaskit.blob("photos-bucket"), fails=lambda e: True)
    assert len(seen) == 1
    assert reported(result) == [raw["Records"][0]["messageId"]]


def test_read_goes_through_storage_with_the_decoded_key(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []

    class Store:
        def __init__(self, url: str) -> None:
            self.url = url

        def get(self, key: str) -> bytes:
            calls.append((self.url, key))
            return b"content"

    storage = types.ModuleType("faaskit.storage")
    storage.blobs = Store  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "faaskit.storage", storage)
    (event,), _ = capture(fixture("s3/put"))
    assert event.read() == b"content"
    assert calls == [("s3://photos-bucket", "uploads/red flower (1).jpg")]


def test_to_cloudevent_is_valid() -> None:
    (event,), _ = capture(fixture("s3/put"))
    ce = event.to_cloudevent()
    assert ce["specversion"] == "1.0"
    assert ce["type"] == "io.faaskit.blob.created"
    assert ce["subject"] == "uploads/red flower (1).jpg"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda r: r["Records"][0]["s3"]["object"].pop("key"), "Records[0].s3.object.key"),
        (lambda r: r["Records"][0]["s3"].pop("bucket"), "Records[0].s3.bucket"),
        (lambda r: r["Records"][0].pop("s3"), "Records[0].s3"),
        (lambda r: r["Records"][0]["s3"]["object"].update(size="big"), "Records[0].s3.object.size"),
        (lambda r: r["Records"][0]["s3"]["object"].update(key=7), "Records[0].s3.object.key"),
        (lambda r: r["Records"][0].update(eventTime="yesterday"), "Records[0].eventTime"),
        (lambda r: r["Records"].append("truncated"), "Records[1]"),
    ],
)
def test_malformed_notification_names_the_field(mutate: Any, field: str) -> None:
    raw = fixture("s3/put")
    mutate(raw)
    with pytest.raises(faaskit.InvalidEventError) as info:
        capture(raw)
    assert info.value.field == field
    assert info.value.source == "s3"


def test_malformed_s3_notification_inside_sqs_fails_only_that_message() -> None:
    raw = fixture("sqs/s3_in_sqs")
    good = fixture("sqs/standard")["Records"][1]
    broken = raw["Records"][0]
    broken["body"] = broken["body"].replace('"key"', '"nokey"')
    raw["Records"].append(good)
    seen, result = capture(raw)
    assert reported(result) == [broken["messageId"]]
    assert [e.id for e in seen] == [good["messageId"]]


def test_eventbridge_object_without_detail_object() -> None:
    raw = fixture("eventbridge/s3_object_created")
    del raw["detail"]["object"]
    with pytest.raises(faaskit.InvalidEventError) as info:
        capture(raw)
    assert info.value.field == "detail.object"


def test_message_handler_refuses_a_direct_s3_event() -> None:
    with pytest.raises(faaskit.TriggerMismatchError) as info:
        capture(fixture("s3/put"), faaskit.queue("orders"))
    assert info.value.expected == "message"
    assert info.value.got == "blob"
