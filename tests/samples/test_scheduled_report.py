"""samples/scheduled_report: each tick writes the inventory of the data bucket as that hour's
report, through the AWS path (EventBridge Scheduler, as the SAM template deploys it) and the
Azure path (timer trigger).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from faaskit import storage
from samples.scheduled_report import app
from tests.samples.helpers import deliver

TICK = "2024-03-10T12:00:00Z"
OBJECTS = {"invoices/1.pdf": b"12345", "invoices/2.pdf": b"123", "logs/a.log": b"x", "top": b""}


@pytest.fixture
def urls(monkeypatch: pytest.MonkeyPatch, folder_url: Any) -> dict[str, str]:
    found = {"data": folder_url("data"), "reports": folder_url("reports")}
    monkeypatch.setenv("DATA_URL", found["data"])
    monkeypatch.setenv("REPORTS_URL", found["reports"])
    return found


def _tick(platform: str, *, past_due: bool = False) -> Any:
    return deliver(
        app.hourly_report,
        platform,
        aws=("scheduler", {"time": TICK}),
        azure=("timer", {"last": TICK, "past_due": past_due}),
    )


def _reports(url: str) -> dict[str, Any]:
    store = storage.blobs(url)
    return {blob.key: json.loads(store.get(blob.key)) for blob in store.list()}


def test_a_tick_writes_the_inventory_as_that_hours_report(
    platform: str, urls: dict[str, str]
) -> None:
    data = storage.blobs(urls["data"])
    for key, body in OBJECTS.items():
        data.put(key, body)

    _tick(platform)

    reports = _reports(urls["reports"])
    assert list(reports) == ["reports/2024/03/10/12.json"]
    report = reports["reports/2024/03/10/12.json"]
    assert report["scheduled_for"].startswith("2024-03-10T12:00:00")
    assert report["platform"] == platform
    assert report["past_due"] is False
    assert report["objects"] == len(OBJECTS)
    assert report["bytes"] == sum(len(b) for b in OBJECTS.values())
    assert report["folders"]["invoices"] == {"objects": 2, "bytes": 8}
    assert report["folders"]["."] == {"objects": 1, "bytes": 0}


def test_a_retried_tick_overwrites_its_report(platform: str, urls: dict[str, str]) -> None:
    _tick(platform)
    storage.blobs(urls["data"]).put("late.txt", b"arrived between attempts")
    _tick(platform)

    reports = _reports(urls["reports"])
    assert list(reports) == ["reports/2024/03/10/12.json"]
    assert reports["reports/2024/03/10/12.json"]["objects"] == 1


def test_an_empty_bucket_gives_an_empty_report(platform: str, urls: dict[str, str]) -> None:
    _tick(platform)

    report = _reports(urls["reports"])["reports/2024/03/10/12.json"]
    assert (report["objects"], report["bytes"], report["folders"]) == (0, 0, {})


def test_a_late_azure_timer_is_flagged_past_due(urls: dict[str, str]) -> None:
    pytest.importorskip("azure.functions")
    _tick("azure", past_due=True)

    assert _reports(urls["reports"])["reports/2024/03/10/12.json"]["past_due"] is True


def test_a_missing_data_store_raises_and_writes_no_report(
    platform: str, urls: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("DATA_URL", (tmp_path / "no-such-folder").as_uri())

    with pytest.raises(storage.StorageError):
        _tick(platform)

    assert _reports(urls["reports"]) == {}
