"""Service Bus topic subscriptions always get a name Service Bus accepts (1-50 characters of
letters, digits, '.', '-', '_': https://learn.microsoft.com/rest/api/servicebus/create-subscription).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import faaskit
from faaskit.exceptions import ConfigurationError
from tests.azure.helpers import binding_of

VALID = re.compile(r"[A-Za-z0-9._-]{1,50}")


def _topic_handler(name: str, subscription: str | None = None) -> Any:
    def on_order(msg: Any, ctx: Any) -> None: ...

    return faaskit.handler(faaskit.topic("orders", subscription=subscription), name=name)(on_order)


def _subscription(handler: Any) -> str:
    binding = binding_of(handler)
    assert binding["type"] == "serviceBusTrigger"
    assert binding["topicName"] == "orders"
    return str(binding["subscriptionName"])


def test_a_short_handler_name_is_the_subscription_unchanged() -> None:
    assert _subscription(_topic_handler("on_order")) == "on_order"


def test_a_declared_subscription_of_exactly_fifty_characters_is_kept() -> None:
    name = "s" * 50
    assert _subscription(_topic_handler("on_order", subscription=name)) == name


@pytest.mark.parametrize(
    "bad", ["s" * 51, "", "orders/audit", "audit?x=1", "audit#1", "caf\u00e9", "two words"]
)
def test_a_declared_subscription_service_bus_refuses_names_the_handler(bad: str) -> None:
    with pytest.raises(ConfigurationError, match="audit_handler") as error:
        binding_of(_topic_handler("audit_handler", subscription=bad))
    assert "subscription" in str(error.value)


def test_a_long_handler_name_is_shortened_to_a_stable_valid_prefix_and_hash() -> None:
    long_name = "handle_every_order_placed_in_the_european_storefront_v2"
    assert len(long_name) > 50
    first = _subscription(_topic_handler(long_name))
    assert VALID.fullmatch(first)
    assert first.startswith(long_name[:30])
    assert _subscription(_topic_handler(long_name)) == first


def test_long_handler_names_sharing_a_prefix_get_different_subscriptions() -> None:
    stem = "handle_every_order_placed_in_the_european_storefront_"
    names = {_subscription(_topic_handler(stem + suffix)) for suffix in ("a", "b", "c")}
    assert len(names) == 3
    assert all(VALID.fullmatch(name) for name in names)
