"""``faaskit.telemetry``: the public hooks tools use to see logs and metrics."""

from __future__ import annotations

import json
import logging
from typing import Any

from faaskit import telemetry
from faaskit.adapter import local_context
from faaskit.telemetry import MetricEntry


def _flush(request_id: str) -> None:
    from faaskit._finish import finish

    ctx = local_context("orders", request_id=request_id)
    ctx.metrics.add("Orders", 2, "Count", region="eu")
    finish(ctx)


def test_a_sink_set_for_a_platform_gets_its_flushes_and_can_be_taken_back() -> None:
    got: list[tuple[str, list[MetricEntry]]] = []

    def sink(ctx: Any, entries: list[MetricEntry]) -> None:
        got.append((ctx.request_id, entries))

    before = telemetry.set_metric_sink("local", sink)
    try:
        _flush("r-1")
    finally:
        assert telemetry.set_metric_sink("local", before) is sink
    _flush("r-2")
    assert got == [("r-1", [("Orders", 2, "Count", 60, (("region", "eu"),))])]


def test_an_observer_sees_every_flush_until_it_is_removed() -> None:
    seen: list[str] = []

    def observer(ctx: Any, entries: list[MetricEntry]) -> None:
        seen.extend(f"{ctx.request_id}:{name}" for name, *_ in entries)

    telemetry.add_metric_observer(observer)
    try:
        _flush("r-3")
    finally:
        telemetry.remove_metric_observer(observer)
    _flush("r-4")
    assert seen == ["r-3:Orders"]


def test_the_json_formatter_writes_the_fields_of_a_record() -> None:
    record = logging.LogRecord(
        "faaskit.app", logging.WARNING, __file__, 1, "low %s", ("stock",), None
    )
    record.sku = "A-1"
    line = json.loads(telemetry.JsonFormatter().format(record))
    assert line == telemetry.log_fields(record) | {"timestamp": line["timestamp"]}
    assert (line["level"], line["message"], line["sku"]) == ("WARNING", "low stock", "A-1")


def test_the_log_level_comes_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("FAASKIT_LOG_LEVEL", "warn")
    assert telemetry.level_from_environment() == logging.WARNING
    monkeypatch.delenv("FAASKIT_LOG_LEVEL")
    monkeypatch.delenv("AWS_LAMBDA_LOG_FORMAT", raising=False)
    assert telemetry.level_from_environment() is None
