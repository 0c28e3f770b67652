"""A timer function with its retry policy indexes and runs inside the real Azure runtime."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from faaskit.testing.azure_host import AzureHost, timer_tick
from tests.runtime.helpers import AZURE_RUNTIME

pytestmark = AZURE_RUNTIME

HANDLERS = """
import faaskit


@faaskit.handler(faaskit.schedule("rate(5 minutes)"))
def tick(event, ctx):
    return None


@faaskit.handler(faaskit.schedule("rate(1 hour)"))
def broken_tick(event, ctx):
    raise RuntimeError("tick failed")
"""


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzureHost]:
    app = tmp_path_factory.mktemp("schedule_retries_app")
    (app / "timer_handlers.py").write_text(HANDLERS, encoding="utf-8")
    (app / "function_app.py").write_text(
        "import faaskit_azure\nimport timer_handlers\n\n"
        "app = faaskit_azure.function_app(timer_handlers, schedule_retries=3)\n",
        encoding="utf-8",
    )
    with AzureHost(app, paths=[Path(app)]) as running:
        yield running


def test_timer_functions_with_a_retry_policy_are_indexed(host: AzureHost) -> None:
    assert host.function("tick").trigger.type == "timerTrigger"
    assert host.function("broken_tick").trigger.type == "timerTrigger"


def test_a_tick_runs_and_a_failed_tick_fails_so_the_host_retries_it(host: AzureHost) -> None:
    assert host.invoke_event("tick", timer_tick()).ok
    failed = host.invoke_event("broken_tick", timer_tick())
    assert not failed.ok
    assert "tick failed" in str(failed.error)
