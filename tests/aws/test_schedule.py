"""EventBridge scheduled rules and EventBridge Scheduler ticks as ScheduleEvents."""

from __future__ import annotations

import datetime as dt

import pytest

import faaskit
from tests.aws.event_helpers import capture, fixture


@pytest.mark.parametrize(
    ("name", "schedule", "time"),
    [
        ("scheduled_rule", "nightly-report", dt.datetime(2026, 11, 28, 2, 0)),
        ("scheduler", "reports/hourly-digest", dt.datetime(2026, 11, 28, 11, 0)),
    ],
)
def test_schedule_ticks(name: str, schedule: str, time: dt.datetime) -> None:
    raw = fixture(f"eventbridge/{name}")
    (tick,), result = capture(raw, faaskit.schedule("rate(1 hour)"))
    assert result is None
    assert isinstance(tick, faaskit.ScheduleEvent)
    # a declared handler sees its own expression, as on Azure; a bare one the rule's name
    assert tick.schedule == "rate(1 hour)"
    (bare_tick,), _ = capture(raw)
    assert bare_tick.schedule == schedule
    assert tick.time == time.replace(tzinfo=dt.timezone.utc)
    assert tick.id == raw["id"]
    assert tick.past_due is False
    assert tick.to_cloudevent()["type"] == "io.faaskit.schedule"


def test_scheduled_event_is_not_a_generic_event() -> None:
    with pytest.raises(faaskit.TriggerMismatchError) as info:
        capture(fixture("eventbridge/scheduled_rule"), faaskit.events({"source": ["aws.events"]}))
    assert (info.value.expected, info.value.got) == ("event", "schedule")


def test_rule_on_a_custom_bus_gives_the_rule_name() -> None:
    raw = fixture("eventbridge/scheduled_rule")
    raw["resources"] = ["arn:aws:events:eu-west-1:123456789012:rule/my-bus/nightly"]
    (tick,), _ = capture(raw)
    assert tick.schedule == "nightly"


def test_bad_time_is_named() -> None:
    raw = fixture("eventbridge/scheduler")
    raw["time"] = 1795860930
    with pytest.raises(faaskit.InvalidEventError) as info:
        capture(raw)
    assert info.value.field == "time"
