"""Pieces of the local tooling: schedule times, fake contexts, lazy imports, overrides."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

import faaskit
from faaskit.cli._common import parse_overrides
from faaskit.devserver.schedules import approximate, next_fire
from faaskit.testing import lambda_context

UTC = dt.timezone.utc
SATURDAY_NOON = dt.datetime(2024, 1, 6, 12, 0, tzinfo=UTC)  # 6 January 2024 was a Saturday


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("rate(5 minutes)", dt.datetime(2024, 1, 6, 12, 5, tzinfo=UTC)),
        ("rate(1 hour)", dt.datetime(2024, 1, 6, 13, 0, tzinfo=UTC)),
        ("cron(15 10 ? * MON-FRI *)", dt.datetime(2024, 1, 8, 10, 15, tzinfo=UTC)),
        ("0 15 10 * * 1-5", dt.datetime(2024, 1, 8, 10, 15, tzinfo=UTC)),
        ("*/30 * * * * *", dt.datetime(2024, 1, 6, 12, 0, 30, tzinfo=UTC)),
        ("cron(0 0 1 * ? *)", dt.datetime(2024, 2, 1, tzinfo=UTC)),
        ("0 0 9 * * SUN", dt.datetime(2024, 1, 7, 9, 0, tzinfo=UTC)),
    ],
)
def test_next_fire_follows_the_calendar(expression: str, expected: dt.datetime) -> None:
    assert next_fire(expression, SATURDAY_NOON) == expected
    assert next_fire(expression, expected) > expected


def test_aws_only_day_syntax_is_flagged_as_approximate() -> None:
    assert approximate("cron(0 12 L * ? *)")
    assert not approximate("cron(0 12 * * ? *)")


def test_lambda_context_counts_down_from_its_timeout() -> None:
    ctx = lambda_context("orders", timeout=2, memory_mb=512)
    assert 0 < ctx.get_remaining_time_in_millis() <= 2000
    assert ctx.invoked_function_arn.endswith(":function:orders")
    assert ctx.memory_limit_in_mb == 512
    assert lambda_context("orders", timeout=0).get_remaining_time_in_millis() == 0


def test_overrides_parse_strings_and_json() -> None:
    assert parse_overrides(["a=1", "b:=1", "c:=[1, 2]", "d=x=y"]) == {
        "a": "1", "b": 1, "c": [1, 2], "d": "x=y",
    }  # fmt: skip
    with pytest.raises(faaskit.ConfigurationError):
        parse_overrides(["=x"])


def test_importing_the_testing_package_loads_no_cloud_sdk() -> None:
    code = (
        "import sys, faaskit.testing, faaskit.testing.plugin;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'azure')];"
        "print(bad); assert not bad"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
