"""Object storage events: S3 event notifications and S3 events delivered by EventBridge.

Payload formats:
- S3 notification (``Records[].s3``, URL-encoded keys, event names):
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
  and https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
- S3 invoking Lambda: https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
- S3 events through EventBridge (``detail-type`` "Object Created", ...):
  https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html

Object keys arrive form-encoded (``red+flower.jpg``, ``%3A``); :class:`~faaskit.BlobEvent` holds
them decoded. The same notifications wrapped in SQS, SNS or SNS-in-SQS are unwrapped by
:mod:`faaskit_aws.message` through :func:`s3_notification` and :func:`eventbridge_object`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote_plus

from faaskit import BlobEvent, Context
from faaskit_aws._fields import first_record, invalid, iso_time, optional, records, require

__all__ = [
    "DECODERS",
    "S3_EVENTBRIDGE",
    "S3_NOTIFICATION",
    "eventbridge_object",
    "is_eventbridge_object",
    "is_s3_test_event",
    "s3_notification",
]

# S3 event-name prefixes and the portable action each stands for (first match wins).
_NAME_ACTIONS = (
    ("ObjectCreated:", "created"),
    ("ObjectRemoved:", "deleted"),
    ("LifecycleExpiration:", "deleted"),
    ("ObjectRestore:Post", "restore_started"),
    ("ObjectRestore:Completed", "restored"),
    ("ObjectRestore:Delete", "restore_expired"),
    ("LifecycleTransition", "tier_changed"),
    ("IntelligentTiering", "tier_changed"),
    ("ObjectTagging:", "tags_changed"),
    ("ObjectAcl:", "acl_changed"),
    ("Replication:", "replication"),
    ("ReducedRedundancyLostObject", "lost"),
)

# EventBridge ``detail-type``s of S3 object events and their portable actions.
EVENTBRIDGE_ACTIONS = {
    "Object Created": "created",
    "Object Deleted": "deleted",
    "Object Restore Initiated": "restore_started",
    "Object Restore Completed": "restored",
    "Object Restore Expired": "restore_expired",
    "Object Storage Class Changed": "tier_changed",
    "Object Access Tier Changed": "tier_changed",
    "Object Tags Added": "tags_changed",
    "Object Tags Deleted": "tags_changed",
    "Object ACL Updated": "acl_changed",
}


def s3_action(event_name: str) -> str:
    """The portable action for an S3 ``eventName`` (``ObjectCreated:Put`` -> ``created``)."""
    for prefix, action in _NAME_ACTIONS:
        if event_name.startswith(prefix):
            return action
    return event_name.lower().replace(":", "_") or "unknown"


def _url(bucket: str, key: str, region: str | None) -> str:
    host = f"{bucket}.s3.{region}.amazonaws.com" if region else f"{bucket}.s3.amazonaws.com"
    return f"https://{host}/{quote(key, safe='/~')}"


def _size(obj: Mapping[str, Any], source: str, path: str) -> int | None:
    size = optional(obj, "size", int, source, path)
    return None if size is None else int(size)


def _bucket_object(
    holder: Mapping[str, Any], source: str, path: str
) -> tuple[str, Mapping[str, Any], str]:
    """The bucket name, the object and its decoded key under ``holder`` at ``path``."""
    bucket = require(
        require(holder, "bucket", Mapping, source, path), "name", str, source, f"{path}.bucket"
    )
    obj = require(holder, "object", Mapping, source, path)
    return bucket, obj, unquote_plus(require(obj, "key", str, source, f"{path}.object"))


def s3_record(record: Any, source: str, path: str) -> BlobEvent:
    """One S3 notification record (``Records[i]``) as a :class:`BlobEvent`."""
    if not isinstance(record, Mapping):
        raise invalid(source, path, f"must be an object, got {type(record).__name__}")
    s3 = require(record, "s3", Mapping, source, path)
    opath = f"{path}.s3.object"
    bucket, obj, key = _bucket_object(s3, source, f"{path}.s3")
    region = optional(record, "awsRegion", str, source, path)
    return BlobEvent(
        bucket=bucket,
        key=key,
        action=s3_action(optional(record, "eventName", str, source, path) or ""),
        size=_size(obj, source, opath),
        etag=optional(obj, "eTag", str, source, opath),
        time=iso_time(record.get("eventTime"), source, f"{path}.eventTime"),
        version=optional(obj, "versionId", str, source, opath),
        url=_url(bucket, key, region),
        store=f"s3://{bucket}",
        source="aws:s3",
        raw=record,
    )


def s3_notification(data: Any, source: str, path: str = "") -> tuple[BlobEvent, ...]:
    """Every record of an S3 notification document (``{"Records": [...]}``)."""
    prefix = f"{path}." if path else ""
    return tuple(
        s3_record(record, source, f"{prefix}Records[{index}]")
        for index, record in enumerate(records(data, source, path))
    )


def is_s3_notification(data: Any) -> bool:
    """Whether ``data`` is an S3 notification document (never raises)."""
    first = first_record(data)
    return first is not None and first.get("eventSource") == "aws:s3"


def is_s3_test_event(data: Any) -> bool:
    """The ``s3:TestEvent`` S3 sends to a new SQS or SNS destination: nothing to process."""
    return type(data) is dict and data.get("Event") == "s3:TestEvent"


def is_eventbridge_object(data: Any) -> bool:
    """Whether ``data`` is an S3 object event in the EventBridge envelope (never raises)."""
    if type(data) is not dict or data.get("source") != "aws.s3":
        return False
    detail_type = data.get("detail-type")
    return type(detail_type) is str and detail_type in EVENTBRIDGE_ACTIONS


def eventbridge_object(data: Mapping[str, Any], source: str, path: str = "") -> BlobEvent:
    """An S3 object event delivered by EventBridge as a :class:`BlobEvent`."""
    prefix = f"{path}." if path else ""
    detail = require(data, "detail", Mapping, source, path)
    opath = f"{prefix}detail.object"
    bucket, obj, key = _bucket_object(detail, source, f"{prefix}detail")
    region = optional(data, "region", str, source, path)
    return BlobEvent(
        bucket=bucket,
        key=key,
        action=EVENTBRIDGE_ACTIONS[str(data["detail-type"])],
        size=_size(obj, source, opath),
        etag=optional(obj, "etag", str, source, opath),
        time=iso_time(data.get("time"), source, f"{prefix}time"),
        version=optional(obj, "version-id", str, source, opath),
        url=_url(bucket, key, region),
        store=f"s3://{bucket}",
        source="aws:s3",
        raw=data,
    )


def _one_or_many(events: tuple[BlobEvent, ...]) -> BlobEvent | tuple[BlobEvent, ...]:
    return events[0] if len(events) == 1 else events


def passthrough(result: Any) -> Any:
    """What an asynchronously invoked function returns: JSON values as they are, else None."""
    return result if type(result) in (dict, list, str, int, float, bool) else None


class S3Notification:
    """S3 invoking the function directly (``Records[].eventSource == "aws:s3"``)."""

    source = "s3"

    def recognise(self, raw: Any) -> bool:
        return is_s3_notification(raw)

    def decode(self, raw: Any, ctx: Context) -> BlobEvent | tuple[BlobEvent, ...]:
        return _one_or_many(s3_notification(raw, self.source))

    def encode(self, result: Any, raw: Any) -> Any:
        return passthrough(result)


class S3EventBridge:
    """S3 object events routed by an EventBridge rule (``source == "aws.s3"``)."""

    source = "s3-eventbridge"

    def recognise(self, raw: Any) -> bool:
        return is_eventbridge_object(raw)

    def decode(self, raw: Any, ctx: Context) -> BlobEvent:
        return eventbridge_object(raw, self.source)

    def encode(self, result: Any, raw: Any) -> Any:
        return passthrough(result)


S3_NOTIFICATION = S3Notification()
S3_EVENTBRIDGE = S3EventBridge()

DECODERS = (S3_NOTIFICATION, S3_EVENTBRIDGE)
