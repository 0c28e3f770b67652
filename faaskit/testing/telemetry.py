"""Assert on what handlers logged and measured: :func:`capture_telemetry`.

>>> with capture_telemetry() as seen:  # doctest: +SKIP
...     invoke(create_order, aws_event("apigw-v2", body='{"id": 1}'))
>>> seen.logs[0]["message"], seen.metrics[0]["name"]  # doctest: +SKIP

Works for direct calls, ``faaskit.testing.invoke`` on either platform and the dev server (all
in this process); for the real runtimes, read their output instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from faaskit.telemetry import add_metric_observer, log_fields, remove_metric_observer

__all__ = ["Telemetry", "capture_telemetry"]


@attrs.define
class Telemetry:
    """What was captured: ``logs`` (the fields of each JSON log line, as dicts) and ``metrics``
    (one dict per value: ``name``, ``value``, ``unit``, ``dimensions``, ``high_resolution``,
    ``request_id``, ``function_name``).
    """

    logs: list[dict[str, Any]] = attrs.Factory(list)
    metrics: list[dict[str, Any]] = attrs.Factory(list)

    def for_request(self, request_id: str) -> Telemetry:
        """Only what the invocation ``request_id`` logged and measured."""
        return Telemetry(
            logs=[line for line in self.logs if line.get("request_id") == request_id],
            metrics=[m for m in self.metrics if m["request_id"] == request_id],
        )


class _Handler(logging.Handler):
    def __init__(self, seen: Telemetry) -> None:
        super().__init__(logging.DEBUG)
        self.seen = seen

    def emit(self, record: logging.LogRecord) -> None:
        data = log_fields(record)
        original = getattr(record, "_faaskit_text", None)
        if original is not None:  # on Azure the message already is the JSON line
            data["message"] = original
        self.seen.logs.append(data)


@contextmanager
def capture_telemetry(level: int = logging.DEBUG) -> Iterator[Telemetry]:
    """Capture the ``faaskit`` log records at ``level`` and up, and every metrics flush."""
    seen = Telemetry()
    logger = logging.getLogger("faaskit")
    handler = _Handler(seen)
    previous = logger.level

    def observe(ctx: Any, entries: list[Any]) -> None:
        for name, value, unit, resolution, dimensions in entries:
            seen.metrics.append(
                {
                    "name": name,
                    "value": value,
                    "unit": unit,
                    "dimensions": dict(dimensions),
                    "high_resolution": resolution == 1,
                    "request_id": ctx.request_id,
                    "function_name": ctx.function_name,
                }
            )

    logger.addHandler(handler)
    logger.setLevel(level)
    add_metric_observer(observe)
    try:
        yield seen
    finally:
        remove_metric_observer(observe)
        logger.removeHandler(handler)
        logger.setLevel(previous)
