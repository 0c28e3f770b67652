"""Hooks for tools that show or check what handlers log and measure.

The runtime writes one JSON line per log record and flushes ``ctx.metrics`` once per
invocation into the platform's metric sink (EMF on AWS, OpenTelemetry or a log line on Azure,
log lines locally). A tool formats records as the clouds get them with :class:`JsonFormatter`
or :func:`log_fields`, replaces a platform's sink with :func:`set_metric_sink` (``faaskit
serve`` shows metrics as log lines) and watches every flush with :func:`add_metric_observer`
(``faaskit.testing.capture_telemetry``). Nothing here is imported by ``import faaskit``.
"""

from __future__ import annotations

from faaskit import _metrics
from faaskit._emf import Entry
from faaskit._logs import JsonFormatter, level_from_environment
from faaskit._logs import fields as log_fields
from faaskit._metrics import log_sink as log_metrics

__all__ = [
    "JsonFormatter",
    "MetricEntry",
    "MetricSink",
    "add_metric_observer",
    "level_from_environment",
    "log_fields",
    "log_metrics",
    "remove_metric_observer",
    "set_metric_sink",
]

MetricEntry = Entry
"""One metric value: ``(name, value, unit, resolution, dimensions)``; ``resolution`` is 1 for
high resolution, else 60, and ``dimensions`` a tuple of ``(name, value)`` pairs.
"""

MetricSink = _metrics.Sink
"""``sink(ctx, entries)``: receives the metrics of the invocation ``ctx`` when it ends."""


def set_metric_sink(platform: str, sink: MetricSink | None) -> MetricSink | None:
    """Send the metrics of invocations on ``platform`` (``aws``, ``azure``, ``local``) to
    ``sink``, or back to the platform's own sink with None; returns the sink set before.
    """
    previous = _metrics.sinks.pop(platform, None)
    if sink is not None:
        _metrics.sinks[platform] = sink
    return previous


def add_metric_observer(observer: MetricSink) -> None:
    """Call ``observer`` with every metrics flush, on every platform, before the sink."""
    _metrics.observers.append(observer)


def remove_metric_observer(observer: MetricSink) -> None:
    """Stop calling ``observer`` (added by :func:`add_metric_observer`)."""
    _metrics.observers.remove(observer)
