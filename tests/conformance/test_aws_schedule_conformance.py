"""Every core AWS corpus entry of kind ``schedule`` normalizes to a ScheduleEvent."""

from __future__ import annotations

import datetime as dt

import pytest

import faaskit
from tests.aws.event_helpers import capture
from tests.corpus import load, params


@pytest.mark.parametrize("rel", params(platform="aws", kind="schedule", tier="core"))
def test_schedule_entry(rel: str) -> None:
    raw = load(rel)
    (tick,), result = capture(raw, faaskit.schedule("rate(1 minute)"))
    assert result is None
    assert isinstance(tick, faaskit.ScheduleEvent)
    assert tick.id == raw["id"]
    assert tick.time == dt.datetime.strptime(raw["time"], "%Y-%m-%dT%H:%M:%S%z")
    assert tick.past_due is False
    # The rule (rule/NAME) or the Scheduler schedule (schedule/GROUP/NAME) that fired.
    resource = raw["resources"][0].split(":", 5)[5]
    kind, _, name = resource.partition("/")
    assert kind in ("rule", "schedule")
    assert tick.schedule == "rate(1 minute)"  # a declared handler sees its own expression
    (bare_tick,), _ = capture(raw)
    assert bare_tick.schedule is not None and name.endswith(bare_tick.schedule)
    assert tick.raw == raw
