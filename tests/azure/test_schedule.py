"""Azure timer trigger -> ScheduleEvent; timer registration with the NCRONTAB translation.

Objects are built through the ``azure.functions`` converter from TimerInfo JSON written here
from the Azure documentation (timer trigger usage: ``IsPastDue``, ``ScheduleStatus``).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

import faaskit
from faaskit._context import local_context
from faaskit.exceptions import ConfigurationError, InvalidEventError
from faaskit.testing.azure_objects import build
from faaskit_azure import schedule as azschedule
from tests.azure.helpers import binding_of, function_of

pytest.importorskip("azure.functions")

CTX = local_context("test")


def timer_spec(*, past_due: bool = False, last: str | None = None) -> dict[str, Any]:
    info: dict[str, Any] = {"Schedule": {"AdjustForDST": True}, "IsPastDue": past_due}
    if last is not None:
        info["ScheduleStatus"] = {
            "Last": last,
            "Next": "2024-03-10T12:05:00+00:00",
            "LastUpdated": last,
        }
    return {"binding": "timerTrigger", "data": {"type": "json", "inline": info}}


@pytest.mark.parametrize("past_due", [False, True])
def test_timer_tick(past_due: bool) -> None:
    raw = build(timer_spec(past_due=past_due, last="2024-03-10T07:00:00.0012345-05:00"))
    assert azschedule.TIMER.recognise(raw)
    event = azschedule.Timer(schedule="rate(5 minutes)").decode(raw, CTX)
    assert isinstance(event, faaskit.ScheduleEvent)
    assert event.past_due is raw.past_due is past_due
    assert event.time == dt.datetime(2024, 3, 10, 12, 0, 0, 1234, tzinfo=dt.timezone.utc)
    assert event.schedule == "rate(5 minutes)"


def test_timer_without_monitor_status_still_has_an_aware_time() -> None:
    event = azschedule.TIMER.decode(build(timer_spec()), CTX)
    assert event.time is not None and event.time.tzinfo is not None
    assert event.schedule is None


def test_bad_status_is_a_typed_error() -> None:
    raw = build(timer_spec(last="not a time"))
    with pytest.raises(InvalidEventError) as info:
        azschedule.TIMER.decode(raw, CTX)
    assert info.value.field == "ScheduleStatus.Last"


@pytest.mark.parametrize(
    "expression", ["rate(5 minutes)", "cron(0 12 ? * MON-FRI *)", "0 30 9 * * 1-5"]
)
def test_schedule_registers_a_timer_with_the_ncrontab_translation(expression: str) -> None:
    from faaskit._cron import to_ncrontab

    @faaskit.handler(faaskit.schedule(expression))
    def tick(event: Any, ctx: Any) -> None: ...

    binding = binding_of(tick)
    assert binding["type"] == "timerTrigger"
    assert binding["schedule"] == to_ncrontab(expression)
    assert len(binding["schedule"].split()) == 6
    assert "runOnStartup" not in binding
    assert binding_of(tick, run_on_startup=True)["runOnStartup"] is True


def test_schedule_azure_cannot_express_is_refused_at_registration() -> None:
    @faaskit.handler(faaskit.schedule("cron(0 12 L * ? *)"))
    def month_end(event: Any, ctx: Any) -> None: ...

    with pytest.raises(ConfigurationError, match="cron"):
        binding_of(month_end)


def test_timer_handler_runs_with_the_declared_schedule() -> None:
    seen: list[faaskit.ScheduleEvent] = []

    @faaskit.handler(faaskit.schedule("rate(1 hour)"))
    def tick(event: faaskit.ScheduleEvent, ctx: Any) -> None:
        seen.append(event)

    function = function_of(tick)
    context = SimpleNamespace(invocation_id="i", function_name="tick", trace_context=None)
    raw = build(timer_spec(past_due=True, last="2024-03-10T12:00:00Z"))
    function.get_user_function()(timer=raw, context=context)
    ((event,),) = [seen]
    assert (event.schedule, event.past_due) == ("rate(1 hour)", True)
