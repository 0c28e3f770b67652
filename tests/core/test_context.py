"""Context: deadlines, remaining time, the logger, local contexts, cold start."""

from __future__ import annotations

import logging
import time

import attrs
import pytest

from faaskit import Context
from faaskit._context import local_context, request_logger
from tests.core.helpers import run_python


def test_no_deadline_means_no_remaining_time() -> None:
    ctx = Context(request_id="r", function_name="f", platform="azure")
    assert ctx.deadline is None
    assert ctx.remaining_ms() is None


def test_remaining_ms_counts_down_to_the_deadline_and_stops_at_zero() -> None:
    ahead = Context(
        request_id="r", function_name="f", platform="aws", deadline=time.monotonic() + 60
    )
    remaining = ahead.remaining_ms()
    assert remaining is not None and 0 < remaining <= 60_000
    past = attrs.evolve(ahead, deadline=time.monotonic() - 5)
    assert past.remaining_ms() == 0


def test_context_is_frozen() -> None:
    ctx = Context(request_id="r", function_name="f", platform="local")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ctx.request_id = "other"  # type: ignore[misc]


def test_log_is_tagged_with_the_request_id() -> None:
    ctx = Context(request_id="req-9", function_name="orders", platform="local")
    assert isinstance(ctx.log, logging.LoggerAdapter)
    assert ctx.log.logger.name == "faaskit.orders"
    assert ctx.log.extra == {
        "request_id": "req-9",
        "function_name": "orders",
        "platform": "local",
        "cold_start": False,
        "trace_id": None,
    }


def test_a_given_logger_wins() -> None:
    custom = logging.getLogger("mine")
    ctx = Context(request_id="r", function_name="f", platform="local", logger=custom)
    assert ctx.log is custom


def test_request_logger_helper() -> None:
    log = request_logger("fn", "rid")
    assert log.logger.name == "faaskit.fn" and log.extra is not None
    assert (log.extra["request_id"], log.extra["function_name"]) == ("rid", "fn")


def test_local_context() -> None:
    ctx = local_context("fn", request_id="abc")
    assert (ctx.platform, ctx.function_name, ctx.request_id) == ("local", "fn", "abc")
    assert local_context().request_id != local_context().request_id


def test_cold_start_is_true_only_on_the_first_context_of_a_process() -> None:
    code = (
        "import json\n"
        "from faaskit._context import local_context\n"
        "print(json.dumps([local_context().cold_start for _ in range(3)]))\n"
    )
    assert run_python(code) == [True, False, False]


def test_log_keeps_the_fields_a_call_passes_beside_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ctx = local_context("logger-test", request_id="req-7")
    with caplog.at_level(logging.INFO, logger="faaskit.logger-test"):
        ctx.log.info("saved", extra={"todo_id": "t1"})
    (record,) = [r for r in caplog.records if r.name == "faaskit.logger-test"]
    assert (record.request_id, record.todo_id) == ("req-7", "t1")  # type: ignore[attr-defined]
