"""A scheduled report: every hour, take stock of a bucket and write a report object.

The schedule ``rate(1 hour)`` is an EventBridge rule on AWS and the NCRONTAB ``0 0 * * * *``
timer on Azure. Each run lists the objects in the data bucket and writes
``reports/YYYY/MM/DD/HH.json`` to the reports bucket, named after the scheduled time, so a
retried or late run overwrites its own report instead of adding another.

    export DATA_URL=file:///tmp/data REPORTS_URL=file:///tmp/reports   # existing folders
    faaskit invoke samples/scheduled_report/app.py:hourly_report --source scheduler
    faaskit invoke samples/scheduled_report/app.py:hourly_report --platform azure past_due:=true
    faaskit build samples/scheduled_report/app.py --target all --out build/

Storage URLs come from the environment (``DATA_URL``, ``REPORTS_URL``; any
``faaskit.storage`` URL, ``file:///...`` locally); unset, they name the buckets declared in
``reads``/``writes`` on whichever cloud runs the function.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import faaskit
from faaskit import storage

DATA = "report-data"
REPORTS = "reports"

_BLOB_SCHEME = {"aws": "s3", "azure": "azure"}


def bucket(variable: str, name: str, ctx: faaskit.Context) -> storage.BlobStore:
    """The store in ``variable``, else bucket ``name`` on the cloud running the function."""
    return storage.blobs(
        os.environ.get(variable) or f"{_BLOB_SCHEME.get(ctx.platform, 's3')}://{name}"
    )


def inventory(store: storage.BlobStore) -> dict[str, Any]:
    """Object count and total size of ``store``, overall and per top-level folder."""
    folders: dict[str, dict[str, int]] = {}
    for blob in store.list():
        folder = blob.key.split("/", 1)[0] if "/" in blob.key else "."
        entry = folders.setdefault(folder, {"objects": 0, "bytes": 0})
        entry["objects"] += 1
        entry["bytes"] += blob.size or 0
    return {
        "objects": sum(f["objects"] for f in folders.values()),
        "bytes": sum(f["bytes"] for f in folders.values()),
        "folders": dict(sorted(folders.items())),
    }


def report_key(when: dt.datetime) -> str:
    """``reports/2024/03/10/12.json`` for a run scheduled at 12:00 UTC on 2024-03-10."""
    return when.astimezone(dt.timezone.utc).strftime("reports/%Y/%m/%d/%H.json")


@faaskit.handler(
    faaskit.schedule("rate(1 hour)"), reads=[f"s3://{DATA}"], writes=[f"s3://{REPORTS}"]
)
def hourly_report(event: faaskit.ScheduleEvent, ctx: faaskit.Context) -> None:
    """Write the inventory of the data bucket as the report for this hour."""
    when = event.time or dt.datetime.now(dt.timezone.utc)
    report = {
        "scheduled_for": when.astimezone(dt.timezone.utc).isoformat(),
        "past_due": event.past_due,
        "platform": ctx.platform,
        **inventory(bucket("DATA_URL", DATA, ctx)),
    }
    key = report_key(when)
    bucket("REPORTS_URL", REPORTS, ctx).put(
        key, json.dumps(report, indent=2), content_type="application/json"
    )
    if event.past_due:
        ctx.log.warning("report %s ran late", key)
    ctx.log.info("report %s: %d objects, %d bytes", key, report["objects"], report["bytes"])
