"""The faaskit pytest plugin's fixtures, for the project's own tests (users get them through
the ``pytest11`` entry point)."""

from __future__ import annotations

from faaskit.testing.plugin import (  # noqa: F401
    aws_events,
    azure_context,
    azure_events,
    faaskit_invoke,
    lambda_context,
    lambda_runtime,
)
