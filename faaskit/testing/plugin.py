"""faaskit's pytest plugin (entry point ``pytest11``: ``faaskit = faaskit.testing.plugin``).

Fixtures:

- ``aws_events``: realistic Lambda events, ``aws_events.sqs(body="hi")`` or
  ``aws_events("apigw-v2", path="/items/1")``;
- ``azure_events``: ``azure.functions`` trigger objects, ``azure_events.queue(body="hi")``;
- ``lambda_context`` / ``azure_context``: fake contexts;
- ``faaskit_invoke``: ``faaskit_invoke(handler, event, platform="aws")`` through the adapter;
- ``faaskit_server``: start a dev server for an app (``faaskit_server(module_or_path,
  platform=...)``) on a free loopback port with its data in a temporary folder;
- ``faaskit_local``: while the test runs, cloud storage URLs (``s3://``, ``azure://``,
  ``sqs://``, ``azure-queue://``) opened through ``faaskit.storage`` use a temporary folder,
  as under ``faaskit serve`` (the fixture is the :class:`~faaskit.devserver.local.LocalCloud`);
- ``lambda_runtime``: start a handler inside the real Lambda runtime client
  (``lambda_runtime("module.handler", task_root=...)``), closed after the test.

Nothing heavy is imported until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "EventFactory",
    "aws_events",
    "azure_context",
    "azure_events",
    "faaskit_invoke",
    "faaskit_local",
    "faaskit_server",
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
def faaskit_local(tmp_path: Path) -> Iterator[Any]:
    """Cloud storage URLs redirected into a temporary data folder for the test."""
    from faaskit.devserver.local import LocalCloud

    with LocalCloud(tmp_path / "faaskit-local").installed() as cloud:
        yield cloud


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def faaskit_server(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Start dev servers (``faaskit_server(app, platform="aws", **options)``); all are stopped
    after the test. ``app`` is a module, a module name or a file path.
    """
    from faaskit.devserver.apps import App, load_app
    from faaskit.devserver.server import DevServer

    started: list[DevServer] = []

    def start(app: Any, *, platform: str = "aws", **options: Any) -> DevServer:
        import types

        from faaskit import Handler

        if isinstance(app, types.ModuleType):
            handlers = tuple(
                {id(v): v for v in vars(app).values() if isinstance(v, Handler)}.values()
            )
            loaded = App(module=app, handlers=handlers, path=None)
        else:
            loaded = load_app(str(app))
        options.setdefault("data", tmp_path / f"faaskit-data-{len(started)}")
        options.setdefault("interval", 0.05)
        options.setdefault("retry_delay", 0.05)
        server = DevServer(loaded, platform=platform, port=_free_port(), **options).start()
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


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
