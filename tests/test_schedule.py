"""Schedule translation between AWS (rate/cron) and Azure (6-field NCRONTAB), both ways.

Translations are checked by behaviour: a small independent matcher for each syntax (written
from the AWS and Azure documentation) must agree on which minutes fire, for minutes sampled
across a whole year.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

import faaskit
from faaskit._cron import to_aws, to_ncrontab
from faaskit.exceptions import ConfigurationError
from tests.deploy.cron import aws_fires as _aws_fires
from tests.deploy.cron import ncrontab_fires as _ncrontab_fires


def _sample_minutes() -> list[dt.datetime]:
    start = dt.datetime(2027, 1, 1)
    # Every 7 minutes over a year hits every minute-of-hour, hour and weekday combination
    # often; add whole days' first minutes so daily/weekly/monthly schedules are checked.
    step = [start + dt.timedelta(minutes=7 * i) for i in range(0, 365 * 24 * 60 // 7, 3)]
    days = [start + dt.timedelta(days=i) for i in range(366)]
    seconds = [start + dt.timedelta(seconds=s) for s in range(0, 120)]
    return step + days + seconds


SAMPLES = _sample_minutes()

TRANSLATABLE = [
    "rate(1 minute)",
    "rate(5 minutes)",
    "rate(15 minutes)",
    "rate(1 hour)",
    "rate(6 hours)",
    "rate(1 day)",
    "cron(0 12 * * ? *)",
    "cron(0/15 8-17 ? * MON-FRI *)",
    "cron(30 9 ? * 2-6 *)",
    "cron(0 18 ? * 1/2 *)",
    "cron(5,35 0-6/2 1,15 JAN-JUN ? *)",
    "cron(0 0 ? * SUN *)",
    "cron(10 4 28 * ? *)",
    "0 */5 * * * *",
    "0 30 9 * * 1-5",
    "0 0 0 1 Jan-Mar *",
    "0 0 12 * * Sat,Sun",
    "0 15 10 * 6-8 *",
    "0 0 */4 * * *",
    "0 5-55/10 * * * *",
]


@pytest.mark.parametrize("expression", TRANSLATABLE)
def test_aws_and_azure_forms_fire_at_the_same_minutes(expression: str) -> None:
    aws = to_aws(expression)
    azure = to_ncrontab(expression)
    assert aws.startswith(("rate(", "cron("))
    assert len(azure.split()) == 6
    for t in SAMPLES:
        assert _aws_fires(aws, t) == _ncrontab_fires(azure, t), (aws, azure, t)


@pytest.mark.parametrize("expression", TRANSLATABLE)
def test_translation_is_stable_both_ways(expression: str) -> None:
    aws, azure = to_aws(expression), to_ncrontab(expression)
    if aws.startswith("cron("):
        assert to_aws(azure) == aws
        assert to_ncrontab(aws) == azure
    assert to_ncrontab(azure) == azure
    assert to_aws(aws) == aws


@pytest.mark.parametrize(
    ("expression", "target", "reason"),
    [
        ("cron(0 12 L * ? *)", "azure", "L, W, #"),
        ("cron(0 12 15W * ? *)", "azure", "L, W, #"),
        ("cron(0 10 ? * 6L *)", "azure", "L, W, #"),
        ("cron(0 10 ? * 2#1 *)", "azure", "L, W, #"),
        ("cron(0 12 * * ? 2027)", "azure", "year"),
        ("rate(7 minutes)", "azure", "cannot repeat"),
        ("rate(5 hours)", "azure", "cannot repeat"),
        ("rate(3 days)", "azure", "cannot repeat"),
        ("30 0 * * * *", "aws", "seconds"),
        ("*/10 * * * * *", "aws", "seconds"),
        ("0 0 0 1 * 1", "aws", "both day-of-month and day-of-week"),
    ],
)
def test_what_one_cloud_cannot_express_is_refused(
    expression: str, target: str, reason: str
) -> None:
    faaskit.schedule(expression)  # well-formed: declaring it is fine
    translate = to_aws if target == "aws" else to_ncrontab
    other = to_ncrontab if target == "aws" else to_aws
    with pytest.raises(ConfigurationError, match=re.escape(reason)) as info:
        translate(expression)
    assert expression in str(info.value)
    other(expression)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("0 0 * * *", "5 fields"),
        ("cron(0 12 * * *)", "6 fields"),
        ("cron(0 12 * * MON *)", "exactly one"),
        ("cron(0 12 ? * ? *)", "exactly one"),
        ("cron(61 * * * ? *)", "outside 0-59"),
        ("cron(0 12 ? * 0 *)", "outside 1-7"),
        ("0 0 0 * * 7", "outside 0-6"),
        ("0 0 0 ? * MON", "no '?'"),
        ("0 0 0 * * 2#1", "no '2#1'"),
        ("rate(0 minutes)", "at least 1"),
        ("rate(5 weeks)", "rate("),
        ("at(2027-01-01T00:00:00)", "one-time"),
        ("cron(0 5-2 * * ? *)", "backwards"),
        ("every day", "expected rate"),
        ("", "non-empty"),
    ],
)
def test_malformed_expressions_are_refused_when_declared(expression: str, reason: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(reason)):
        faaskit.schedule(expression)


def test_rate_units_follow_aws_singular_and_plural_rules() -> None:
    assert to_aws("rate(1 minutes)") == "rate(1 minute)"
    assert to_aws("rate(10 minute)") == "rate(10 minutes)"
    assert to_aws("RATE(2 Hours)") == "rate(2 hours)"
