"""faaskit's pytest plugin (entry point ``pytest11``: ``faaskit = faaskit.testing.plugin``).

Fixtures:

- ``aws_events``: realistic Lambda events, ``aws_events.sqs(body="hi")`` or
  ``aws_events("apigw-v2", path="/items/1")``;
- ``azure_events``: ``azure.functions`` trigger objects, ``azure_events.queue(body="hi")``;
- ``lambda_context`` / ``azure_context``: fake contexts;
- ``faaskit_invoke``: ``faaskit_invoke(handler, event, platform="aws")`` through the adapter;
- ``lambda_runtime``: start a handler inside the real Lambda runtime client
  (``lambda_runtime("module.handler", task_root=...)``), closed after the test.

Nothing heavy is imported until a fixture is used. The fixtures that need the dev server
(``faaskit_server``, ``faaskit_local``) are a second plugin, :mod:`faaskit.devserver.fixtures`,
so that the testing helpers never import the dev server (which imports them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

__all__ = [
    "EventFactory",
    "aws_events",
    "azure_context",
    "azure_events",
    "faaskit_invoke",
    "lambda_context",
    "lambda_runtime",
]


class EventFactory:
    """Events of one platform: ``factory.sqs(...)``, ``factory.apigw_v2(...)`` or
    ``factory("s3-sqs", ...)``; ``factory.spec(...)`` gives an Azure invocation spec unbuilt.
    """

    def __init__(self, platform: str) -> None:
        self.platform = platform

    def __call__(self, source: str, /, **overrides: Any) -> Any:
        """The event of ``source`` as the handler receives it on this platform."""
        from faaskit.testing.sources import event, find, native

        return native(self.platform, event(find(source, self.platform), **overrides))

    def spec(self, source: str, /, **overrides: Any) -> Any:
        """The rendered event document (for Azure, the JSON invocation spec)."""
        from faaskit.testing.sources import event, find

        return event(find(source, self.platform), **overrides)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        source = name.replace("_", "-")

        def make(**overrides: Any) -> Any:
            return self(source, **overrides)

        make.__name__ = name
        return make


@pytest.fixture
def aws_events() -> EventFactory:
    """Realistic AWS Lambda events for every supported source."""
    return EventFactory("aws")


@pytest.fixture
def azure_events() -> EventFactory:
    """``azure.functions`` objects for every supported Azure trigger."""
    return EventFactory("azure")


@pytest.fixture
def lambda_context() -> Any:
    """A Lambda context object with a three-second deadline."""
    from faaskit.testing.contexts import lambda_context as make

    return make()


@pytest.fixture
def azure_context() -> Any:
    """An ``azure.functions.Context``."""
    from faaskit.testing.contexts import azure_context as make

    return make()


@pytest.fixture
def faaskit_invoke() -> Callable[..., Any]:
    """``invoke(handler, event, platform="aws")`` through the platform's adapter."""
    from faaskit.testing.runner import invoke

    return invoke


@pytest.fixture
def lambda_runtime() -> Iterator[Callable[..., Any]]:
    """Start handlers inside the real Lambda runtime client; closed after the test."""
    from faaskit.testing.lambda_runtime import LambdaRuntime

    started: list[LambdaRuntime] = []

    def start(handler: str, **options: Any) -> LambdaRuntime:
        runtime = LambdaRuntime(handler, **options).start()
        started.append(runtime)
        return runtime

    yield start
    for runtime in reversed(started):
        runtime.close()
