"""ctx.metrics: checked on add, flushed once per invocation (also on failure), per platform."""

from __future__ import annotations

import json
from typing import Any

import pytest

import faaskit
from faaskit import _metrics
from faaskit._context import Context
from faaskit._finish import finish
from faaskit.testing import capture_telemetry
from tests.core.emf import emf_lines, validate_emf


def _ctx(platform: str = "aws", *, cold: bool = False, rid: str = "r-1") -> Context:
    return Context(request_id=rid, function_name="orders", platform=platform, cold_start=cold)


class _Out:
    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.text = ""

    def getvalue(self) -> str:
        self.text += self.capsys.readouterr().out
        return self.text


@pytest.fixture
def stdout(capsys: pytest.CaptureFixture[str]) -> _Out:
    return _Out(capsys)


def test_aws_flush_prints_valid_emf_once_at_the_end(
    stdout: _Out, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAASKIT_METRICS_NAMESPACE", "Shop")
    ctx = _ctx()
    ctx.metrics.add("Orders", 1, region="eu")
    ctx.metrics.add("Latency", 12.5, "Milliseconds", high_resolution=True)
    assert stdout.getvalue() == ""
    finish(ctx)
    docs = emf_lines(stdout.getvalue())
    for doc in docs:
        validate_emf(doc)
        assert doc["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Shop"
        assert doc["request_id"] == "r-1"
    assert sorted(name for doc in docs for name in ("Orders", "Latency") if name in doc) == [
        "Latency",
        "Orders",
    ]
    finish(ctx)  # nothing is sent twice
    assert len(emf_lines(stdout.getvalue())) == len(docs)


def test_a_cold_start_adds_a_coldstart_metric(stdout: _Out) -> None:
    ctx = _ctx(cold=True)
    ctx.metrics.add("Orders", 1)
    finish(ctx)
    (cold,) = [doc for doc in emf_lines(stdout.getvalue()) if "ColdStart" in doc]
    validate_emf(cold)
    assert (cold["ColdStart"], cold["function_name"]) == (1, "orders")


def test_metrics_are_flushed_when_the_handler_raised(stdout: _Out) -> None:
    @faaskit.handler
    def failing(event: Any, ctx: Context) -> None:
        ctx.metrics.add("Attempts", 1)
        raise RuntimeError("boom")

    ctx = _ctx()
    with pytest.raises(RuntimeError):
        failing(object(), ctx)
    (doc,) = emf_lines(stdout.getvalue())
    assert doc["Attempts"] == 1


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        (("", 1), {}, "name"),
        (("Orders", "1"), {}, "finite number"),
        (("Orders", float("nan")), {}, "finite number"),
        (("Orders", True), {}, "finite number"),
        (("Orders", 1, "Things"), {}, "not a CloudWatch unit"),
        (("Orders", 1), {f"d{i}": "x" for i in range(31)}, "31 dimensions"),
        (("Orders", 1), {"region": ""}, "region"),
        (("Orders", 1), {"Orders": "x"}, "own name"),
    ],
)
def test_a_bad_metric_is_a_typed_error_naming_it(
    args: tuple[Any, ...], kwargs: dict[str, Any], fragment: str
) -> None:
    ctx = _ctx("local")
    with pytest.raises(faaskit.MetricError) as caught:
        ctx.metrics.add(*args, **kwargs)
    assert isinstance(caught.value, ValueError)
    assert fragment in str(caught.value) and "orders" in str(caught.value)
    finish(ctx)


def test_without_opentelemetry_azure_logs_one_structured_line_per_metric() -> None:
    ctx = _ctx("azure", rid="inv-1")
    with capture_telemetry() as seen:
        ctx.metrics.add("Orders", 2, region="eu")
        ctx.metrics.add("Bytes", 10, "Bytes")
        finish(ctx)
    lines = [line for line in seen.logs if line["message"] == "metric"]
    assert [(x["metric"], x["value"], x["unit"]) for x in lines] == [
        ("Orders", 2, "Count"),
        ("Bytes", 10, "Bytes"),
    ]
    assert lines[0]["dimensions"] == {"region": "eu"}
    assert all(line["request_id"] == "inv-1" for line in lines)
    assert [m["name"] for m in seen.metrics] == ["Orders", "Bytes"]


def test_a_configured_meter_provider_receives_the_metrics_on_azure() -> None:
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    import opentelemetry.metrics as otel_metrics

    original = otel_metrics.get_meter_provider
    otel_metrics.get_meter_provider = lambda: provider  # type: ignore[assignment]
    try:
        ctx = _ctx("azure")
        with capture_telemetry() as seen:
            ctx.metrics.add("Orders", 2, region="eu")
            ctx.metrics.add("Latency", 5, "Milliseconds")
            finish(ctx)
    finally:
        otel_metrics.get_meter_provider = original
    data = reader.get_metrics_data()  # OpenTelemetry keeps instrument names in lower case
    points = {
        metric.name: list(metric.data.data_points)
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
    }
    assert points["orders"][0].value == 2
    assert dict(points["orders"][0].attributes) == {"region": "eu"}
    assert points["latency"][0].sum == 5
    assert not [line for line in seen.logs if line["message"] == "metric"]


def test_a_sink_registered_for_a_platform_replaces_the_default() -> None:
    got: list[Any] = []
    _metrics.sinks["local"] = lambda ctx, entries: got.append((ctx.request_id, entries))
    try:
        ctx = _ctx("local", rid="x")
        ctx.metrics.add("Orders", 1)
        finish(ctx)
    finally:
        del _metrics.sinks["local"]
    assert got == [("x", [("Orders", 1, "Count", 60, ())])]


def test_direct_calls_log_metrics_through_ctx_log() -> None:
    @faaskit.handler
    def count(event: Any, ctx: Context) -> str:
        ctx.metrics.add("Seen", 1)
        return "ok"

    with capture_telemetry() as seen:
        assert count(object()) == "ok"
    (line,) = [json.loads(json.dumps(x)) for x in seen.logs if x["message"] == "metric"]
    assert (line["metric"], line["platform"]) == ("Seen", "local")
