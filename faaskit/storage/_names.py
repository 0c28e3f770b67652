"""Logical resource names to physical ones, from the ``FAASKIT_RESOURCES`` setting the
generated templates inject (``{"queue:orders": "shop-prod-orders", ...}``): the code keeps
``sqs://orders`` while each stage uses its own queue. Without the setting a name is its own
physical name (local runs, tests, hand-made deployments).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

from faaskit.exceptions import ConfigurationError

__all__ = ["KINDS", "VARIABLE", "physical_name"]

VARIABLE = "FAASKIT_RESOURCES"
# URL scheme -> the kind of resource it names (one logical name per kind on both clouds).
KINDS: Mapping[str, str] = {
    "s3": "bucket",
    "azure": "bucket",
    "sqs": "queue",
    "azure-queue": "queue",
    "sns": "topic",
    "servicebus": "topic",
    "servicebus-topic": "topic",
    "kinesis": "stream",
    "eventhub": "stream",
    "dynamodb": "table",
}
_cache: dict[str, Mapping[str, str]] = {}


def _mapping(raw: str) -> Mapping[str, str]:
    found = _cache.get(raw)
    if found is None:
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{VARIABLE} is not JSON: {exc}") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise ConfigurationError(f"{VARIABLE} must map 'kind:name' to names, got {raw!r}")
        _cache.clear()
        found = _cache[raw] = data
    return found


def physical_name(scheme: str, name: str) -> str:
    """The physical name of the resource ``scheme://name`` in this deployment."""
    raw = os.environ.get(VARIABLE)
    kind = KINDS.get(scheme)
    if not raw or kind is None:
        return name
    return _mapping(raw).get(f"{kind}:{name}", name)
