"""Realistic AWS event-bus events: EventBridge, S3 via EventBridge, schedules.

Shapes follow the AWS documentation:
- EventBridge and scheduled rules: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
- S3 via EventBridge: https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
- EventBridge Scheduler: https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets.html
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from typing import Any

from faaskit.testing._common import ACCOUNT, REGION, iso, new_id

__all__ = ["eventbridge", "s3_eventbridge", "schedule", "scheduler"]


def eventbridge(
    detail: Any = None,
    *,
    detail_type: str = "Order Placed",
    source: str = "com.example.orders",
    resources: Sequence[str] = (),
    time: Any = None,
) -> dict[str, Any]:
    """An EventBridge event as a rule target receives it."""
    return {
        "version": "0",
        "id": new_id(),
        "detail-type": detail_type,
        "source": source,
        "account": ACCOUNT,
        "time": iso(time),
        "region": REGION,
        "resources": list(resources),
        "detail": {"order_id": "o-1001", "amount": 42} if detail is None else detail,
    }


def s3_eventbridge(
    bucket: str = "my-bucket",
    key: str = "uploads/example.txt",
    *,
    action: str = "created",
    size: int = 1024,
    etag: str | None = None,
) -> dict[str, Any]:
    """An S3 event delivered by EventBridge (``Object Created`` / ``Object Deleted``)."""
    deleted = action in ("deleted", "Object Deleted")
    obj: dict[str, Any] = {"key": key, "sequencer": f"{int(time.time() * 1000):016X}"}
    if not deleted:
        obj.update(size=size, etag=etag or hashlib.md5(key.encode()).hexdigest())
    return eventbridge(
        {
            "version": "0",
            "bucket": {"name": bucket},
            "object": obj,
            "request-id": new_id()[:16].upper(),
            "requester": ACCOUNT,
            "source-ip-address": "203.0.113.10",
            "reason": "DeleteObject" if deleted else "PutObject",
        },
        detail_type="Object Deleted" if deleted else "Object Created",
        source="aws.s3",
        resources=[f"arn:aws:s3:::{bucket}"],
    )


def schedule(rule: str = "my-schedule", *, time: Any = None) -> dict[str, Any]:
    """An EventBridge scheduled-rule tick (``aws.events``, ``Scheduled Event``)."""
    return eventbridge(
        {},
        detail_type="Scheduled Event",
        source="aws.events",
        resources=[f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{rule}"],
        time=time,
    )


def scheduler(
    name: str = "my-schedule", *, group: str = "default", time: Any = None
) -> dict[str, Any]:
    """An EventBridge Scheduler tick (``aws.scheduler``; its ``detail`` is the string ``{}``)."""
    return eventbridge(
        "{}",
        detail_type="Scheduled Event",
        source="aws.scheduler",
        resources=[f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/{group}/{name}"],
        time=time,
    )
