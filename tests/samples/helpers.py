"""Helpers for the sample-app tests: deliver one event through a platform's adapter path and
read back what a handler queued.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faaskit import storage
from faaskit.testing import aws_event, azure_event, invoke

__all__ = ["deliver", "queued"]


def deliver(
    handler: Any,
    platform: str,
    *,
    aws: tuple[str, Mapping[str, Any]],
    azure: tuple[str, Mapping[str, Any]],
) -> Any:
    """Run ``handler`` on the ``aws`` or ``azure`` (source, fields) event, as that platform
    runs it (``faaskit.testing.invoke``), and return the native result.
    """
    if platform == "aws":
        source, fields = aws
        return invoke(handler, aws_event(source, **fields), platform="aws")
    source, fields = azure
    return invoke(handler, azure_event(source, **fields), platform="azure")


def queued(url: str) -> list[Any]:
    """The messages waiting in the ``file://`` queue at ``url``, oldest first."""
    return list(storage.queues(url).messages())  # type: ignore[attr-defined]
