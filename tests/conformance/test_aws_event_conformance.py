"""Every core AWS corpus entry of kind ``event`` normalizes to a CloudEvent, field by field."""

from __future__ import annotations

import datetime as dt

import pytest

import faaskit
from tests.aws.event_helpers import capture
from tests.corpus import load, params


@pytest.mark.parametrize("rel", params(platform="aws", kind="event", tier="core"))
def test_event_entry(rel: str) -> None:
    raw = load(rel)
    (event,), result = capture(raw, faaskit.events({"source": [raw["source"]]}))
    assert result is None
    assert isinstance(event, faaskit.CloudEvent)
    assert event.id == raw["id"]
    assert event.source == raw["source"]
    assert event.type == raw["detail-type"]
    assert event.time == dt.datetime.strptime(raw["time"], "%Y-%m-%dT%H:%M:%S%z")
    assert event.data == raw["detail"]
    assert event.subject == (raw["resources"][0] if raw.get("resources") else None)
    ce = event.to_cloudevent()
    assert ce["specversion"] == "1.0"
    assert (ce["id"], ce["source"], ce["type"]) == (raw["id"], raw["source"], raw["detail-type"])
    assert ce["data"] == raw["detail"]
