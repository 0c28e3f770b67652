"""ctx.log: one JSON line per record with the invocation's fields, levels from the environment,
output chosen by who runs the code."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest

from faaskit._context import Context
from faaskit._logs import JsonFormatter, level_from_environment
from faaskit.exceptions import ConfigurationError
from faaskit.testing import capture_telemetry
from tests.core.helpers import run_python


def _ctx(platform: str = "local", **fields: Any) -> Context:
    return Context(request_id="req-1", function_name="orders", platform=platform, **fields)


def test_a_record_has_the_fixed_fields_and_extra_at_top_level() -> None:
    ctx = _ctx(cold_start=True, trace_id="Root=1-abc")
    with capture_telemetry() as seen:
        ctx.log.info("saved %s", "t1", extra={"todo_id": "t1", "count": 2})
    (line,) = seen.logs
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line.pop("timestamp"))
    assert line == {
        "level": "INFO",
        "message": "saved t1",
        "logger": "faaskit.orders",
        "request_id": "req-1",
        "function_name": "orders",
        "platform": "local",
        "cold_start": True,
        "trace_id": "Root=1-abc",
        "todo_id": "t1",
        "count": 2,
    }


def test_exc_info_adds_exception_type_and_stack() -> None:
    ctx = _ctx()
    with capture_telemetry() as seen:
        try:
            raise KeyError("missing")
        except KeyError:
            ctx.log.exception("lookup failed")
    (line,) = seen.logs
    assert (line["level"], line["exception_type"], line["exception"]) == (
        "ERROR",
        "KeyError",
        "'missing'",
    )
    assert "Traceback" in line["stack"] and "raise KeyError" in line["stack"]


def test_the_invocation_fields_win_and_a_clashing_extra_is_kept_under_another_name() -> None:
    ctx = _ctx()
    with capture_telemetry() as seen:
        ctx.log.warning("x", extra={"request_id": "forged", "level": "custom"})
    (line,) = seen.logs
    assert (line["request_id"], line["level"], line["extra.level"]) == (
        "req-1",
        "WARNING",
        "custom",
    )


def test_records_carry_the_caller_location() -> None:
    ctx = _ctx()
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("faaskit.orders")
    logger.addHandler(handler)
    try:
        with capture_telemetry():
            ctx.log.info("here")
    finally:
        logger.removeHandler(handler)
    (record,) = records
    assert (record.funcName, record.filename) == (
        "test_records_carry_the_caller_location",
        "test_logs.py",
    )


def test_json_formatter_gives_one_line_even_for_multi_line_messages() -> None:
    record = logging.LogRecord("faaskit.x", logging.INFO, "f", 1, "a\nb", (), None)
    line = JsonFormatter().format(record)
    assert "\n" not in line and json.loads(line)["message"] == "a\nb"


def test_on_azure_the_message_itself_is_the_json_line() -> None:
    ctx = _ctx("azure")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("faaskit").addHandler(handler)
    try:
        with capture_telemetry() as seen:
            ctx.log.info("paid", extra={"amount": 3})
    finally:
        logging.getLogger("faaskit").removeHandler(handler)
    (record,) = records
    line = json.loads(record.getMessage())
    assert (line["message"], line["amount"], line["platform"]) == ("paid", 3, "azure")
    assert record.amount == 3  # type: ignore[attr-defined]  # for OpenTelemetry's dimensions
    assert seen.logs[0]["message"] == "paid"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"FAASKIT_LOG_LEVEL": "debug"}, logging.DEBUG),
        ({"AWS_LAMBDA_LOG_LEVEL": "ERROR"}, None),  # text format: Lambda's level is not ours
        ({"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "WARN"}, logging.WARNING),
        ({"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "TRACE"}, logging.DEBUG),
        (
            {
                "FAASKIT_LOG_LEVEL": "ERROR",
                "AWS_LAMBDA_LOG_FORMAT": "JSON",
                "AWS_LAMBDA_LOG_LEVEL": "DEBUG",
            },
            logging.ERROR,
        ),
    ],
)
def test_level_from_environment(
    env: dict[str, str], expected: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("FAASKIT_LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL", "AWS_LAMBDA_LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert level_from_environment() == expected


def test_an_unknown_level_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAASKIT_LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigurationError, match="LOUD"):
        level_from_environment()


def test_a_plain_script_sees_info_lines_as_json_on_stderr() -> None:
    code = (
        "import json, sys, io\n"
        "sys.stderr = io.StringIO()\n"
        "from faaskit._context import local_context\n"
        "local_context('fn', request_id='r9').log.info('hi', extra={'k': 1})\n"
        "print(json.dumps(sys.stderr.getvalue().splitlines()))\n"
    )
    (line,) = run_python(code)
    assert {k: json.loads(line)[k] for k in ("message", "request_id", "k")} == {
        "message": "hi",
        "request_id": "r9",
        "k": 1,
    }


@pytest.mark.parametrize(
    ("init", "cold"),
    [("on-demand", True), ("provisioned-concurrency", False), ("snap-start", False)],
)
def test_cold_start_follows_the_lambda_initialization_type(init: str, cold: bool) -> None:
    code = (
        "import json, os\n"
        f"os.environ['AWS_LAMBDA_INITIALIZATION_TYPE'] = {init!r}\n"
        "from faaskit._context import local_context\n"
        "print(json.dumps([local_context().cold_start for _ in range(2)]))\n"
    )
    assert run_python(code) == [cold, False]


def test_import_faaskit_loads_no_logging_or_metrics_code() -> None:
    code = (
        "import json, sys, faaskit\n"
        "print(json.dumps(sorted(m for m in sys.modules if m in "
        "('faaskit._logs', 'faaskit._metrics', 'faaskit._emf', 'faaskit._otel', 'logging', "
        "'opentelemetry'))))\n"
    )
    assert run_python(code) == []


def test_extra_fields_reach_opentelemetry_logging_as_attributes() -> None:
    """Application Insights' custom dimensions, through azure-monitor-opentelemetry's handler."""
    sdk_logs = pytest.importorskip("opentelemetry.sdk._logs")
    export = pytest.importorskip("opentelemetry.sdk._logs.export")
    exporter = export.InMemoryLogRecordExporter()
    provider = sdk_logs.LoggerProvider()
    provider.add_log_record_processor(export.SimpleLogRecordProcessor(exporter))
    handler = sdk_logs.LoggingHandler(logger_provider=provider)
    logger = logging.getLogger("faaskit")
    logger.addHandler(handler)
    try:
        with capture_telemetry():
            _ctx("azure").log.info("paid", extra={"amount": 5})
    finally:
        logger.removeHandler(handler)
    (record,) = exporter.get_finished_logs()
    attributes = dict(record.log_record.attributes)
    assert (attributes["amount"], attributes["request_id"], attributes["platform"]) == (
        5,
        "req-1",
        "azure",
    )
