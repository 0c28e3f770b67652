"""faaskit.Context from the Azure worker's invocation context."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from faaskit_azure.context import from_azure

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
ROOT = Path(__file__).resolve().parents[2]


class _Trace:
    def __init__(self, parent: str | None) -> None:
        self.trace_parent = parent
        self.trace_state = ""
        self.attributes: dict[str, str] = {}


class AzureContext:
    def __init__(self, parent: str | None = TRACEPARENT) -> None:
        self.invocation_id = "a1b2c3"
        self.function_name = "get_item"
        self.function_directory = "/home/site/wwwroot"
        self.trace_context = _Trace(parent)


def test_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGION_NAME", "West Europe")
    native = AzureContext()
    ctx = from_azure(native, "fallback")
    assert ctx.platform == "azure"
    assert ctx.request_id == "a1b2c3"
    assert ctx.function_name == "get_item"
    assert ctx.region == "West Europe"
    assert ctx.trace_id == TRACEPARENT
    assert ctx.memory_mb is None
    assert ctx.deadline is None
    assert ctx.remaining_ms() is None
    assert ctx.raw is native


def test_missing_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGION_NAME", raising=False)
    native: Any = AzureContext(parent="")
    native.function_name = None
    ctx = from_azure(native, "fallback")
    assert (ctx.function_name, ctx.region, ctx.trace_id) == ("fallback", None, None)
    del native.trace_context
    assert from_azure(native, "fallback").trace_id is None


def test_without_an_azure_context_the_pipeline_gives_a_local_one() -> None:
    import faaskit
    from faaskit_azure.adapter import entry

    seen: list[faaskit.Context] = []

    @faaskit.handler(raw=True)
    def local_fn(event: Any, ctx: faaskit.Context) -> None:
        seen.append(ctx)

    class Stub:
        source = "stub"

    assert entry(local_fn, Stub(), "msg")(msg={"x": 1}) is None  # type: ignore[arg-type]
    (ctx,) = seen
    assert ctx.platform == "local"
    assert ctx.function_name == "local_fn"
    assert ctx.request_id


def test_logger_is_tagged_with_the_invocation() -> None:
    ctx = from_azure(AzureContext(), "get_item")
    assert isinstance(ctx.log, logging.LoggerAdapter)
    assert ctx.log.logger.name == "faaskit.get_item"
    assert ctx.log.extra is not None
    assert (ctx.log.extra["request_id"], ctx.log.extra["platform"]) == ("a1b2c3", "azure")


def test_cold_start_only_on_the_first_invocation_in_a_process() -> None:
    script = (
        "from faaskit_azure.context import from_azure\n"
        "class C:\n    invocation_id = 'i'\n    function_name = 'f'\n"
        "print([from_azure(C(), 'f').cold_start for _ in range(3)])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'adapters'}", "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "[True, False, False]"
