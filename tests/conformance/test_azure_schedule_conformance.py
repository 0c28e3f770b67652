"""Conformance: the corpus's timer ``TimerInfo`` (and the worker-level timer invocation), turned
into ``func.TimerRequest`` by the ``timerTrigger`` converter, normalized by faaskit and checked
field by field against the raw payload.
"""

from __future__ import annotations

import datetime as dt
import json

import azure.functions as func
import pytest
from azure.functions.meta import Datum

import faaskit
from faaskit._context import Context
from faaskit_azure import schedule as azschedule
from tests.conformance.helpers import worker
from tests.corpus import load, params

CTX = Context(request_id="invocation-1", function_name="fn", platform="azure")


def check(rel: str) -> None:
    info = load(rel)
    converter = func.get_binding_registry().get("timerTrigger")
    raw = converter.decode(Datum(json.dumps(info), "json"), trigger_metadata={})
    (decoder,) = [d for d in azschedule.DECODERS if d.recognise(raw)]
    event = azschedule.Timer(schedule="0 */5 * * * *").decode(raw, CTX)
    assert decoder.source == "azure-timer"
    assert isinstance(event, faaskit.ScheduleEvent)
    assert event.past_due is info["IsPastDue"]
    last = dt.datetime.fromisoformat(info["ScheduleStatus"]["Last"])
    assert event.time == last
    assert event.time is not None and event.time.utcoffset() == dt.timedelta(0)
    assert event.schedule == "0 */5 * * * *"


@pytest.mark.parametrize("rel", params(platform="azure", kind="schedule"))
def test_timer_info(rel: str) -> None:
    check(rel)


def test_worker_level_timer() -> None:
    fixture = worker("timer")
    assert fixture["binding"] == "timerTrigger"
    check(f"azure/{fixture['data']['file']}")
