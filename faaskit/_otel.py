"""OpenTelemetry, used only when the application configured it.

faaskit never imports ``opentelemetry`` itself: a meter or tracer provider is configured by
code that already imported it (``azure.monitor.opentelemetry.configure_azure_monitor()``,
``opentelemetry.metrics.set_meter_provider(...)``), so the module being absent from
``sys.modules`` means "not configured" at no cost. A provider that is still the API's no-op or
proxy default counts as not configured either.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from opentelemetry.metrics import Meter, MeterProvider
    from opentelemetry.trace import Tracer, TracerProvider

    from faaskit._emf import Entry

__all__ = ["meter", "record_metrics", "tracer"]


class _Record(Protocol):
    """``Counter.add`` or ``Histogram.record`` of one instrument."""

    def __call__(self, amount: float, /, attributes: dict[str, str] | None = None) -> None: ...


_instruments: dict[tuple[int, str, str, bool], _Record] = {}
# Unit names OpenTelemetry (UCUM) spells differently from CloudWatch.
_UCUM = {
    "Seconds": "s",
    "Milliseconds": "ms",
    "Microseconds": "us",
    "Bytes": "By",
    "Kilobytes": "kBy",
    "Megabytes": "MBy",
    "Gigabytes": "GBy",
    "Percent": "%",
    "Count": "1",
    "None": "1",
}


def _provider(module_name: str, getter: str) -> object:
    module = sys.modules.get(module_name)
    if module is None:
        return None
    provider = getattr(module, getter)()
    name = type(provider).__name__
    if name.startswith(("NoOp", "_NoOp")) or "Proxy" in name:  # the API's defaults
        return None
    return provider


def meter() -> Meter | None:
    """Faaskit's meter, or None when no meter provider is configured."""
    provider = _provider("opentelemetry.metrics", "get_meter_provider")
    return None if provider is None else cast("MeterProvider", provider).get_meter("faaskit")


def tracer() -> Tracer | None:
    """Faaskit's tracer, or None when no tracer provider is configured."""
    provider = _provider("opentelemetry.trace", "get_tracer_provider")
    return None if provider is None else cast("TracerProvider", provider).get_tracer("faaskit")


def record_metrics(entries: list[Entry]) -> bool:
    """Record ``entries`` on the configured meter; False (nothing recorded) when there is none.

    A non-negative ``Count`` is a counter; anything else a histogram.
    """
    found = meter()
    if found is None:
        return False
    for name, value, unit, _resolution, dimensions in entries:
        counter = unit == "Count" and value >= 0
        key = (id(found), name, unit, counter)
        record = _instruments.get(key)
        if record is None:
            ucum = _UCUM.get(unit, unit)
            if counter:
                record = found.create_counter(name, unit=ucum).add
            else:
                record = found.create_histogram(name, unit=ucum).record
            _instruments[key] = record
        record(value, attributes=dict(dimensions))
    return True
