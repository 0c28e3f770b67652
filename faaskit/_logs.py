"""Structured logs: ``ctx.log`` writes one JSON line per record, on every platform.

``ctx.log`` is a standard :class:`logging.LoggerAdapter` over the logger ``faaskit.<function>``.
Each record carries the invocation's fields as attributes (``request_id``, ``function_name``,
``platform``, ``cold_start``, ``trace_id``) beside the ``extra=`` fields of the call, so any
handler a user or platform installs sees them. Where the line goes depends on who runs the code:

- under the Lambda runtime client (``AWS_LAMBDA_RUNTIME_API`` set), a handler on the ``faaskit``
  logger prints the JSON line to stdout and records stop there: ``awslambdaric``'s own root
  handler (text format, or JSON with its ``requestId``/``level``/``timestamp``) never prints
  them a second time. Lambda reads JSON lines on stdout in both log formats:
  https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html
- on Azure the worker's root handler forwards ``record.getMessage()`` to the host with the
  invocation id, so the record's message becomes the JSON line (App Insights:
  ``traces | extend f = parse_json(message)``); the ``extra=`` fields stay record attributes,
  which the OpenTelemetry logging handler turns into custom dimensions;
- anywhere else records propagate to whatever handlers the application configured (pytest's
  ``caplog``, ``faaskit serve``); with none at all, the JSON line goes to stderr.

The level is ``FAASKIT_LOG_LEVEL``, else Lambda's ``AWS_LAMBDA_LOG_LEVEL`` when Lambda's JSON
log format is on, else INFO.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType
    from typing import TypeAlias

    from faaskit._context import Context

    _ExcInfo: TypeAlias = (
        bool
        | BaseException
        | tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None]
        | None
    )

__all__ = ["InvocationLogger", "JsonFormatter", "configure", "invocation_logger", "render"]

# Attributes every LogRecord has; whatever else a record holds came from ``extra=``.
_STANDARD = frozenset(
    (
        *vars(logging.LogRecord("", 0, "", 0, "", (), None)),
        *("message", "asctime", "taskName", "_faaskit_text"),
    )
)
_FIXED = ("timestamp", "level", "message", "logger")
# How many attributes LogRecord.__init__ sets, before any ``extra=`` field.
_RECORD_SIZE = len(vars(logging.LogRecord("", 0, "", 0, "", (), None)))
_islice = itertools.islice
_encode = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":")).encode
_LOGGING_SOURCE = logging.__file__
_configured = [False]
_second: list[int | str | None] = [None, ""]


def _timestamp(created: float) -> str:
    """ISO 8601 UTC with milliseconds; the date part is computed once per second."""
    second = int(created)
    if _second[0] != second:
        _second[0] = second
        _second[1] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
    return f"{_second[1]}.{int((created - second) * 1000):03d}Z"


def fields(record: logging.LogRecord) -> dict[str, object]:
    """The structured fields of ``record``: the fixed ones, then every ``extra=`` field.

    An ``extra=`` field named like a fixed one is kept as ``extra.<name>``, never dropped.
    """
    out: dict[str, object] = {
        "timestamp": _timestamp(record.created),
        "level": record.levelname,
        "message": record.getMessage(),
        "logger": record.name,
    }
    # LogRecord.__init__ sets its own attributes first; the extra= fields come after them.
    for key, value in _islice(record.__dict__.items(), _RECORD_SIZE, None):
        if key not in _STANDARD:
            out[f"extra.{key}" if key in _FIXED else key] = value
    exc_info = record.exc_info
    if exc_info and exc_info[1] is not None:
        out["exception"] = str(exc_info[1])
        out["exception_type"] = exc_info[0].__name__ if exc_info[0] else "Exception"
        out["stack"] = "".join(traceback.format_exception(*exc_info))
    if record.stack_info:
        out["stack_info"] = record.stack_info
    return out


def render(record: logging.LogRecord) -> str:
    """``record`` as one JSON line (no newline)."""
    return _encode(fields(record))


class JsonFormatter(logging.Formatter):
    """Formats every record as one JSON line (see :func:`fields`)."""

    def format(self, record: logging.LogRecord) -> str:
        return render(record)


class _LineHandler(logging.Handler):
    """Writes each formatted record as one line to ``sys.stdout`` or ``sys.stderr``, looked up
    at each write (the Lambda runtime client and test runners replace them).
    """

    def __init__(self, stream: str) -> None:
        super().__init__()
        self.stream_name = stream
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            stream = getattr(sys, self.stream_name)
            stream.write(line + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def level_from_environment() -> int | None:
    """The level the environment asks for, or None when it says nothing."""
    name = os.environ.get("FAASKIT_LOG_LEVEL")
    if not name and (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON":
        name = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    if not name:
        return None
    name = name.upper()
    name = {"TRACE": "DEBUG", "WARN": "WARNING", "FATAL": "CRITICAL"}.get(name, name)
    level = logging.getLevelName(name)
    if not isinstance(level, int):
        from faaskit.exceptions import ConfigurationError

        raise ConfigurationError(
            f"log level {name!r} (FAASKIT_LOG_LEVEL / AWS_LAMBDA_LOG_LEVEL) is not one of "
            "DEBUG, INFO, WARNING, ERROR, CRITICAL"
        )
    return level


def configure() -> None:
    """Set up the ``faaskit`` logger once per process (see the module docstring)."""
    if _configured[0]:
        return
    _configured[0] = True
    logger = logging.getLogger("faaskit")
    level = level_from_environment()
    if level is not None:
        logger.setLevel(level)
    elif logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if logger.handlers:
        return  # the application (or ``faaskit serve``) chose where faaskit's records go
    if os.environ.get("AWS_LAMBDA_RUNTIME_API"):
        logger.addHandler(_LineHandler("stdout"))
        logger.propagate = False
    elif not logging.getLogger().handlers and not os.environ.get("FUNCTIONS_WORKER_RUNTIME"):
        logger.addHandler(_LineHandler("stderr"))


class InvocationLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """``ctx.log``: a logger adapter adding the invocation's fields to every record.

    Fields given with ``extra=`` are kept beside them; the invocation's own fields win.
    """

    def __init__(self, logger: logging.Logger, extra: dict[str, object], *, as_json: bool) -> None:
        super().__init__(logger, extra)
        self.as_json = as_json
        self.owner = 0

    def process(
        self, msg: object, kwargs: MutableMapping[str, object]
    ) -> tuple[object, MutableMapping[str, object]]:
        extra = kwargs.get("extra") or {}
        if not isinstance(extra, Mapping):
            raise TypeError(f"extra= must be a mapping of fields, got {extra!r}")
        kwargs["extra"] = {**extra, **(self.extra or {})}
        return msg, kwargs

    def log(  # type: ignore[override]
        self,
        level: int,
        msg: object,
        *args: object,
        exc_info: _ExcInfo = None,
        stack_info: bool = False,
        stacklevel: int = 1,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        """Log ``msg % args`` at ``level`` with the invocation's fields."""
        logger = self.logger
        if not logger.isEnabledFor(level):
            return
        fields = self.extra if not extra else {**self.extra, **extra, **self.extra}  # type: ignore[dict-item]
        if stack_info or stacklevel != 1:
            logger._log(level, msg, args, exc_info, fields, stack_info, stacklevel + 1)
            return
        if exc_info:
            if isinstance(exc_info, BaseException):
                exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
            elif not isinstance(exc_info, tuple):
                exc_info = sys.exc_info()
        # The caller's frame, read directly: Logger.findCaller costs more than the rest.
        frame = sys._getframe(1)
        if frame.f_code.co_filename == _LOGGING_SOURCE:  # called as .info(), .error(), ...
            frame = frame.f_back or frame
        code = frame.f_code
        record = logger.makeRecord(
            logger.name,
            level,
            code.co_filename,
            frame.f_lineno,
            msg,
            args,
            exc_info,
            code.co_name,
            fields,
        )
        if self.as_json:
            record._faaskit_text = record.getMessage()  # the message before it became the JSON line
            record.msg = render(record)
            record.args = ()
        logger.handle(record)


def invocation_logger(ctx: Context) -> InvocationLogger:
    """The logger for the invocation ``ctx``: ``faaskit.<function>`` with its fields."""
    configure()
    extra = {
        "request_id": ctx.request_id,
        "function_name": ctx.function_name,
        "platform": ctx.platform,
        "cold_start": ctx.cold_start,
        "trace_id": ctx.trace_id,
    }
    logger = logging.getLogger(f"faaskit.{ctx.function_name}")
    return InvocationLogger(logger, extra, as_json=ctx.platform == "azure")
