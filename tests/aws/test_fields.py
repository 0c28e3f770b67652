"""Numeric and time fields of AWS events: bounded work and typed errors for hostile values."""

from __future__ import annotations

import contextlib
import tracemalloc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faaskit import InvalidEventError
from faaskit_aws._fields import epoch, number

HUGE = ["1e500000", "-1E+5000000", "9" * 5_000, "1" + "0" * 100_000, "1e99999999999", "NaN"]


def _peak_bytes(call: Any) -> int:
    tracemalloc.start()
    with contextlib.suppress(InvalidEventError):
        call()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize("unit", [1, 1000, 1_000_000])
def test_epoch_refuses_huge_exponents_without_building_the_number(value: str, unit: int) -> None:
    with pytest.raises(InvalidEventError) as info:
        epoch(value, "sqs", "Records[0].attributes.SentTimestamp", unit=unit)
    assert info.value.field == "Records[0].attributes.SentTimestamp"
    # int(Decimal("1e500000")) would build a 200 kB integer (quadratic time): never reached.
    assert _peak_bytes(lambda: epoch(value, "sqs", "f", unit=unit)) < 64_000 + len(value)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.integers(),
        st.floats(),
        st.decimals().map(str),
        st.text(max_size=60),
        st.builds(lambda m, e: f"{m}e{e}", st.integers(-99, 99), st.integers(-(10**9), 10**9)),
    )
)
def test_epoch_gives_a_time_or_a_typed_error(value: Any) -> None:
    try:
        result = epoch(value, "sqs", "f", unit=1000)
    except InvalidEventError as exc:
        assert exc.field == "f"
    else:
        assert result is not None and result.tzinfo is not None


@pytest.mark.parametrize("value", ["1e500000", "1" * 5_000, "1e-200", "-9E+999"])
def test_number_refuses_values_outside_the_sqs_and_dynamodb_range(value: str) -> None:
    with pytest.raises(InvalidEventError):
        number(value, "aws:dynamodb", "N")


@pytest.mark.parametrize(("text", "expected"), [("42", 42), ("-7", -7), ("9.99E+125", None)])
def test_number_keeps_values_in_range(text: str, expected: Any) -> None:
    value = number(text, "aws:dynamodb", "N")
    assert value == (expected if expected is not None else value)
    assert str(value) == text or value == int(text)


def _deep(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("value", [_deep(5_000), {"a": _deep(5_000)}])
def test_a_deeply_nested_value_gives_a_short_typed_error(value: Any) -> None:
    for check in (lambda: epoch(value, "s", "f"), lambda: number(value, "s", "f")):
        with pytest.raises(InvalidEventError) as info:
            check()
        assert len(str(info.value)) < 300


@pytest.mark.parametrize(
    "authorizer",
    [
        {"principalId": _deep(5_000)},
        {"iam": {"userArn": _deep(5_000)}},
        {"jwt": {"claims": {"sub": _deep(5_000)}}},
    ],
)
def test_a_deeply_nested_principal_id_is_shortened_not_a_crash(authorizer: Any) -> None:
    from faaskit_aws._http_auth import principal

    found = principal(authorizer, None)
    assert found is not None and found.id is not None and len(found.id) < 200
