"""``ctx.metrics``: custom metrics of one invocation, flushed once when it ends.

``ctx.metrics.add(name, value, unit="Count", *, high_resolution=False, **dimensions)`` checks
the metric at once (a bad one raises :class:`~faaskit.MetricError` naming it) and buffers it.
When the invocation ends, returned or raised, the buffer goes to the platform's sink:

- ``aws``: CloudWatch EMF lines on stdout (:mod:`faaskit._emf`), in the namespace
  ``FAASKIT_METRICS_NAMESPACE`` (``faaskit build`` sets it from ``faaskit.toml``
  ``[app] metrics_namespace``), plus ``ColdStart`` on a cold start;
- ``azure``: an OpenTelemetry meter when one is configured (:mod:`faaskit._otel`), else one
  structured ``ctx.log`` line per metric (App Insights: ``traces | where message == "metric"``);
- ``local``: structured log lines as well; ``faaskit serve`` registers its own sink.

Units are CloudWatch's names:
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from faaskit._emf import MAX_DIMENSIONS, Entry, documents
from faaskit._environ import env_reader
from faaskit._finish import on_finish
from faaskit.exceptions import MetricError

if TYPE_CHECKING:
    from faaskit._context import Context

__all__ = ["UNITS", "Metrics", "metrics_for", "observers", "sinks"]

UNITS = frozenset(
    {
        *("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes"),
        *("Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits"),
        *("Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second"),
        *("Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second"),
        *("Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"),
    }
)
DEFAULT_NAMESPACE = "faaskit"

Sink = Callable[["Context", list[Entry]], None]
# Platform name -> sink; ``faaskit serve`` replaces "local". Observers (faaskit.testing) see
# every flush before the sink.
sinks: dict[str, Sink] = {}
observers: list[Sink] = []
_live: dict[int, Metrics] = {}
_isfinite = math.isfinite
_encode = json.JSONEncoder(separators=(",", ":"), default=str).encode


class Metrics:
    """The metrics of one invocation (``ctx.metrics``)."""

    __slots__ = ("_ctx", "entries")

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.entries: list[Entry] = []

    def add(
        self,
        name: str,
        value: float,
        unit: str = "Count",
        *,
        high_resolution: bool = False,
        **dimensions: str,
    ) -> None:
        """Record ``value`` for the metric ``name``; sent when the invocation ends.

        ``unit`` is a CloudWatch unit name (``"Count"``, ``"Milliseconds"``, ``"Bytes"``, ...);
        ``high_resolution=True`` asks for 1-second storage resolution; keyword arguments are
        dimensions (at most 30), e.g. ``ctx.metrics.add("Orders", 1, region="eu")``.
        """
        if (
            type(name) is not str
            or not 0 < len(name) <= 255
            or type(value) not in (int, float)
            or not _isfinite(value)
            or unit not in UNITS
            or name == "_aws"
        ):
            raise self._invalid(name, value, unit, dimensions)
        if dimensions:
            if len(dimensions) > MAX_DIMENSIONS or name in dimensions:
                raise self._invalid(name, value, unit, dimensions)
            for text in dimensions.values():
                if type(text) is not str or not 0 < len(text) <= 1024:
                    raise self._invalid(name, value, unit, dimensions)
            pairs = tuple(dimensions.items())
            self.entries.append(
                (
                    name,
                    value,
                    unit,
                    1 if high_resolution else 60,
                    pairs if len(pairs) == 1 else tuple(sorted(pairs)),
                )
            )
        else:
            self.entries.append((name, value, unit, 1 if high_resolution else 60, ()))

    def _invalid(
        self, name: str, value: float, unit: str, dimensions: dict[str, str]
    ) -> MetricError:
        where = f"metric {name!r} of handler {self._ctx.function_name!r}"
        if not isinstance(name, str) or not 0 < len(name) <= 255 or name == "_aws":
            return MetricError(f"{where}: the name must be 1 to 255 characters (not '_aws')")
        if type(value) not in (int, float) or not math.isfinite(value):
            return MetricError(f"{where}: the value must be a finite number, got {value!r}")
        if unit not in UNITS:
            return MetricError(
                f"{where}: unit {unit!r} is not a CloudWatch unit; use one of "
                + ", ".join(sorted(UNITS))
            )
        if len(dimensions) > MAX_DIMENSIONS:
            return MetricError(f"{where}: {len(dimensions)} dimensions; at most {MAX_DIMENSIONS}")
        if name in dimensions:
            return MetricError(f"{where}: a dimension has the metric's own name")
        key, text = next(
            (k, v)
            for k, v in dimensions.items()
            if not isinstance(v, str) or not 0 < len(v) <= 1024
        )
        return MetricError(f"{where}: dimension {key}={text!r} must be 1 to 1024 characters")

    def flush(self, error: BaseException | None = None) -> None:
        """Send what was added (called once at the end of the invocation)."""
        _live.pop(id(self._ctx), None)
        entries, self.entries = self.entries, []
        ctx = self._ctx
        for observe in observers:
            observe(ctx, entries)
        sink = sinks.get(ctx.platform) or _DEFAULT_SINKS.get(ctx.platform, log_sink)
        sink(ctx, entries)


def metrics_for(ctx: Context) -> Metrics:
    """The :class:`Metrics` of the invocation ``ctx`` (created, and its flush registered,
    on first use).
    """
    metrics = _live.get(id(ctx))
    if metrics is None or metrics._ctx is not ctx:
        metrics = _live[id(ctx)] = Metrics(ctx)
        on_finish(ctx, metrics.flush)
    return metrics


_namespace_setting = env_reader("FAASKIT_METRICS_NAMESPACE")


def namespace() -> str:
    """The metrics namespace: ``FAASKIT_METRICS_NAMESPACE``, else ``faaskit``."""
    return _namespace_setting() or DEFAULT_NAMESPACE


def emf_sink(ctx: Context, entries: list[Entry]) -> None:
    """Print the EMF documents of ``entries`` (and ``ColdStart``), one line each, to stdout."""
    now = int(time.time() * 1000)
    properties = {"request_id": ctx.request_id, "function_name": ctx.function_name}
    if ctx.trace_id:
        properties["trace_id"] = ctx.trace_id
    docs = documents(namespace(), entries, timestamp_ms=now, properties=properties)
    if ctx.cold_start:
        cold: Entry = ("ColdStart", 1, "Count", 60, (("function_name", ctx.function_name),))
        docs += documents(namespace(), [cold], timestamp_ms=now, properties=properties)
    if docs:
        # Written as print() would, without a flush: the Lambda runtime client's stdout is
        # unbuffered already.
        text = (
            _encode(docs[0]) + "\n"
            if len(docs) == 1
            else "".join([_encode(doc) + "\n" for doc in docs])
        )
        sys.stdout.write(text)


def log_sink(ctx: Context, entries: list[Entry]) -> None:
    """One structured ``ctx.log`` line per metric: ``message`` is ``"metric"``."""
    log = ctx.log
    for name, value, unit, resolution, dimensions in entries:
        fields = {"metric": name, "value": value, "unit": unit, "dimensions": dict(dimensions)}
        if resolution == 1:
            fields["high_resolution"] = True
        log.info("metric", extra=fields)


def azure_sink(ctx: Context, entries: list[Entry]) -> None:
    """An OpenTelemetry meter when one is configured, else :func:`log_sink`."""
    from faaskit._otel import record_metrics

    if not record_metrics(entries):
        log_sink(ctx, entries)


_DEFAULT_SINKS: dict[str, Sink] = {"aws": emf_sink, "azure": azure_sink}
