"""A failed Azure timer tick is retried like a failed AWS scheduled invocation (twice)."""

from __future__ import annotations

from typing import Any

import pytest

import faaskit
import faaskit_azure


@faaskit.handler(faaskit.schedule("rate(5 minutes)"))
def nightly(event: Any, ctx: Any) -> None: ...


def _function(**options: Any) -> Any:
    (function,) = faaskit_azure.function_app(nightly, **options).get_functions()
    return function


def _retry(**options: Any) -> Any:
    return _function(**options).get_settings_dict("retry_policy")


def test_a_timer_is_registered_with_two_retries_by_default() -> None:
    function = _function()
    (trigger,) = function.get_dict_repr()["bindings"]
    assert trigger["type"] == "timerTrigger"
    retry = _retry()
    assert retry is not None
    assert retry["strategy"] == "exponential_backoff"
    assert int(retry["max_retry_count"]) == 2


def test_schedule_retries_follows_the_option_per_handler_and_zero_turns_it_off() -> None:
    assert int(_retry(schedule_retries=4)["max_retry_count"]) == 4
    assert int(_retry(schedule_retries={"nightly": -1})["max_retry_count"]) == -1
    assert int(_retry(schedule_retries={"other": 7})["max_retry_count"]) == 2
    assert _retry(schedule_retries=0) is None


@pytest.mark.parametrize("bad", ["twice", -2, True, 1.5])
def test_a_bad_schedule_retries_option_names_the_handler(bad: Any) -> None:
    with pytest.raises(faaskit.ConfigurationError, match=r"nightly.*schedule_retries"):
        faaskit_azure.function_app(nightly, schedule_retries=bad)
