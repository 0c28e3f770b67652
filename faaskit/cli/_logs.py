"""Log output of ``faaskit serve`` and ``faaskit invoke``: one readable line per record on a
terminal, or with ``--log-format json`` the JSON line the clouds get (:mod:`faaskit.telemetry`).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from faaskit.telemetry import JsonFormatter

__all__ = ["TextFormatter", "add_log_format", "local_metrics", "setup_logging"]

# Fields every invocation record carries; the text line shows the request id only.
_CONTEXT = ("request_id", "function_name", "platform", "cold_start", "trace_id")


class TextFormatter(logging.Formatter):
    """``12:00:01 INFO  fn  message  key=value ...  [request id]``, plus any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        from faaskit.telemetry import log_fields

        data = log_fields(record)
        message = getattr(record, "_faaskit_text", None) or data["message"]
        clock = time.strftime("%H:%M:%S", time.localtime(record.created))
        name = record.name.removeprefix("faaskit.")
        parts = [f"{clock} {record.levelname:<7} {name}  {message}"]
        extra = {
            k: v
            for k, v in data.items()
            if k not in _CONTEXT
            and k not in ("timestamp", "level", "message", "logger")
            and k not in ("exception", "exception_type", "stack", "stack_info")
        }
        if extra:
            parts.append(" ".join(f"{k}={_short(v)}" for k, v in extra.items()))
        request_id = data.get("request_id")
        if request_id:
            parts.append(f"[{request_id}]")
        line = "  ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _short(value: Any) -> str:
    if isinstance(value, str):
        return value if " " not in value else repr(value)
    return json.dumps(value, default=str, separators=(",", ":"))


def add_log_format(parser: Any) -> None:
    """Declare ``--log-format text|json``."""
    parser.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="log lines as readable text (default) or as the JSON the clouds get",
    )


def setup_logging(log_format: str = "text", *, debug: bool = False) -> None:
    """Send faaskit's records (the handlers' ``ctx.log`` too) to stderr, one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    logger = logging.getLogger("faaskit")
    logger.addHandler(handler)
    logger.propagate = False
    from faaskit.telemetry import level_from_environment

    level = level_from_environment()
    logger.setLevel(logging.DEBUG if debug else level if level is not None else logging.INFO)


def local_metrics(jsonl: Path | None = None) -> None:
    """Show every invocation's metrics as log lines, whatever the platform (EMF on stdout
    would mix with ``faaskit invoke``'s output), and append them to ``jsonl`` if given.
    """
    from faaskit.telemetry import log_metrics, set_metric_sink

    def sink(ctx: Any, entries: list[Any]) -> None:
        log_metrics(ctx, entries)
        if jsonl is None or not entries:
            return
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        lines = [
            json.dumps(
                {
                    "timestamp": now,
                    "request_id": ctx.request_id,
                    "function_name": ctx.function_name,
                    "platform": ctx.platform,
                    "metric": name,
                    "value": value,
                    "unit": unit,
                    "dimensions": dict(dimensions),
                    "high_resolution": resolution == 1,
                }
            )
            + "\n"
            for name, value, unit, resolution, dimensions in entries
        ]
        jsonl.parent.mkdir(parents=True, exist_ok=True)
        with jsonl.open("a", encoding="utf-8") as out:
            out.write("".join(lines))

    for platform in ("aws", "azure", "local"):
        set_metric_sink(platform, sink)
