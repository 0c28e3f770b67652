"""A scheduled job: every hour, write a small report of what the ``inbox`` bucket holds
(an EventBridge schedule on AWS, a timer trigger on Azure; ``rate(...)`` and ``cron(...)``
expressions are translated for each cloud).
"""

from __future__ import annotations

import json

import faaskit
from faaskit import storage

INBOX = "inbox"
REPORTS = "reports"

_BLOBS = {"aws": "s3", "azure": "azure"}


@faaskit.handler(
    faaskit.schedule("rate(1 hour)"), reads=[f"s3://{INBOX}"], writes=[f"s3://{REPORTS}"]
)
def hourly_report(tick: faaskit.ScheduleEvent, ctx: faaskit.Context) -> None:
    """Count the objects and bytes in the inbox; store the report under the tick's time."""
    scheme = _BLOBS.get(ctx.platform, "s3")
    objects = list(storage.blobs(f"{scheme}://{INBOX}").list())
    report = {
        "time": tick.time.isoformat(),
        "objects": len(objects),
        "bytes": sum(o.size for o in objects),
        "past_due": tick.past_due,
    }
    key = f"{tick.time:%Y/%m/%d/%H%M%S}.json"
    storage.blobs(f"{scheme}://{REPORTS}").put(key, json.dumps(report).encode())
    ctx.log.info("report %s: %d objects", key, report["objects"])
