"""faaskit_azure.stream: stream functions retry a failed batch instead of checkpointing past it."""

from __future__ import annotations

from typing import Any

import pytest

import faaskit
import faaskit_azure


# Event Hubs checkpoints whether or not the function failed (Azure/Azure-Functions#947), and
# the Cosmos DB trigger does not redeliver a failed batch either: without a retry policy the
# records after a failure are lost. AWS retries a stream batch max_receive_count (5) times.
@faaskit.handler(faaskit.stream("telemetry"))
def on_telemetry(record: Any, ctx: faaskit.Context) -> None:
    return None


@faaskit.handler(faaskit.stream("shop/orders"))
def on_order_change(record: Any, ctx: faaskit.Context) -> None:
    return None


def _retry(handler: Any, **options: Any) -> Any:
    (function,) = faaskit_azure.function_app(handler, **options).get_functions()
    return function.get_settings_dict("retry_policy")


@pytest.mark.parametrize("handler", [on_telemetry, on_order_change])
def test_stream_functions_retry_a_failed_batch_instead_of_checkpointing_past_it(
    handler: Any,
) -> None:
    retry = _retry(handler)
    assert retry is not None
    assert retry["strategy"] == "exponential_backoff"
    assert int(retry["max_retry_count"]) == 5


def test_stream_retries_follow_the_option_and_zero_turns_them_off() -> None:
    assert int(_retry(on_telemetry, stream_retries=2)["max_retry_count"]) == 2
    assert int(_retry(on_telemetry, stream_retries={"telemetry": -1})["max_retry_count"]) == -1
    assert _retry(on_telemetry, stream_retries=0) is None


def test_a_bad_stream_retries_option_is_a_configuration_error() -> None:
    with pytest.raises(faaskit.ConfigurationError, match="stream_retries"):
        faaskit_azure.function_app(on_telemetry, stream_retries="many")
