"""faaskit's second pytest plugin (entry point ``pytest11``: ``faaskit-devserver =
faaskit.devserver.fixtures``): the fixtures that run the dev server.

- ``faaskit_server``: start a dev server for an app (``faaskit_server(module_or_path,
  platform=...)``) on a free loopback port with its data in a temporary folder;
- ``faaskit_local``: while the test runs, cloud storage URLs (``s3://``, ``azure://``,
  ``sqs://``, ``azure-queue://``) opened through ``faaskit.storage`` use a temporary folder,
  as under ``faaskit serve`` (the fixture is the :class:`~faaskit.devserver.local.LocalCloud`).

They live beside the dev server, not in :mod:`faaskit.testing.plugin`, because the dev server
imports the testing helpers (event builders, ``invoke``): the import goes one way only.
Nothing heavy is imported until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["faaskit_local", "faaskit_server"]


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
    from faaskit.devserver.server import DevServer
    from faaskit.tooling.apps import App, load_app

    started: list[DevServer] = []

    def start(app: Any, *, platform: str = "aws", **options: Any) -> DevServer:
        import types

        loaded = App.of(app) if isinstance(app, types.ModuleType) else load_app(str(app))
        options.setdefault("data", tmp_path / f"faaskit-data-{len(started)}")
        options.setdefault("interval", 0.05)
        options.setdefault("retry_delay", 0.05)
        server = DevServer(loaded, platform=platform, port=_free_port(), **options).start()
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()
