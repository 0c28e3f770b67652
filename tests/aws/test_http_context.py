"""The portable Context built from a Lambda invocation."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import attrs
import pytest

import faaskit
from tests.aws.http_helpers import FakeLambdaContext, capture, fixture

ROOT = Path(__file__).resolve().parents[2]


def test_context_carries_the_lambda_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
    _, ctx, _ = capture(fixture("apigw_v2_iam"))
    assert isinstance(ctx, faaskit.Context)
    assert ctx.platform == "aws"
    assert ctx.request_id == "11111111-2222-4333-8444-555555555555"
    assert ctx.function_name == "orders-api"
    assert ctx.memory_mb == 256
    assert ctx.trace_id == "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
    assert ctx.deadline is not None
    remaining = ctx.remaining_ms()
    assert remaining is not None and 0 <= remaining <= 30_000
    assert isinstance(ctx.raw, FakeLambdaContext)


def test_trace_id_is_read_per_invocation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-first")
    _, first, _ = capture(fixture("apigw_v2_iam"))
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-second")
    _, second, _ = capture(fixture("apigw_v2_iam"))
    assert (first.trace_id, second.trace_id) == ("Root=1-first", "Root=1-second")
    monkeypatch.delenv("_X_AMZN_TRACE_ID")
    _, third, _ = capture(fixture("apigw_v2_iam"))
    assert third.trace_id is None


def test_the_deadline_read_late_is_the_instant_the_runtime_counts_down_to() -> None:
    import time

    from faaskit_aws.context import from_lambda

    class Counting:
        aws_request_id = "r"
        function_name = "f"
        memory_limit_in_mb = "512"

        def __init__(self) -> None:
            self.ends = time.monotonic() + 12.5
            self.asked = 0

        def get_remaining_time_in_millis(self) -> int:
            self.asked += 1
            return int((self.ends - time.monotonic()) * 1000)

    raw = Counting()
    ctx = from_lambda(raw, "f")
    assert raw.asked == 0  # nothing read until a handler asks
    time.sleep(0.05)
    assert ctx.deadline is not None and abs(ctx.deadline - raw.ends) < 0.01
    assert ctx.deadline == ctx.deadline and raw.asked == 1
    assert ctx.memory_mb == 512
    assert ctx == attrs.evolve(ctx)


def test_memory_given_as_text_is_a_number() -> None:
    seen: list[faaskit.Context] = []

    @faaskit.handler
    def probe(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
        seen.append(ctx)

    probe(fixture("apigw_v2_iam"), FakeLambdaContext(memory="1024"))
    probe(fixture("apigw_v2_iam"), FakeLambdaContext(memory="lots"))
    probe(fixture("apigw_v2_iam"), FakeLambdaContext(memory=["not", "hashable"]))
    probe(fixture("apigw_v2_iam"), FakeLambdaContext(memory=2048))
    assert [c.memory_mb for c in seen] == [1024, None, None, 2048]


def test_remaining_time_is_never_negative() -> None:
    seen: list[faaskit.Context] = []

    @faaskit.handler
    def probe(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
        seen.append(ctx)

    probe(fixture("apigw_v2_iam"), FakeLambdaContext(remaining_ms=0))
    assert seen[0].remaining_ms() == 0


def test_logger_is_named_after_the_function_and_tagged_with_the_request_id() -> None:
    _, ctx, _ = capture(fixture("apigw_v2_iam"))
    log = ctx.log
    assert isinstance(log, logging.LoggerAdapter)
    assert log.logger.name == "faaskit.orders-api"
    assert log.extra == {
        "request_id": ctx.request_id,
        "function_name": "orders-api",
        "platform": "aws",
        "cold_start": ctx.cold_start,
        "trace_id": ctx.trace_id,
    }


def test_without_a_lambda_context_the_platform_is_local() -> None:
    seen: list[faaskit.Context] = []

    @faaskit.handler
    def probe(req: faaskit.HttpRequest, ctx: faaskit.Context) -> None:
        seen.append(ctx)

    probe(fixture("apigw_v2_iam"))
    assert seen[0].platform == "local"
    assert seen[0].request_id
    assert seen[0].remaining_ms() is None


def _run(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'adapters'}", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_cold_start_only_on_the_first_invocation_and_region_from_the_environment() -> None:
    out = _run(
        """
        import json, sys
        import faaskit
        from tests.aws.http_helpers import FakeLambdaContext, fixture
        seen = []

        @faaskit.handler
        def probe(req, ctx):
            seen.append([ctx.cold_start, ctx.region, ctx.trace_id, ctx.platform])

        for _ in range(3):
            probe(fixture("apigw_v2_iam"), FakeLambdaContext())
        print(json.dumps(seen))
        """,
        AWS_REGION="eu-west-1",
        _X_AMZN_TRACE_ID="Root=1-abc",
    )
    seen = json.loads(out)
    assert [s[0] for s in seen] == [True, False, False]
    assert {s[1] for s in seen} == {"eu-west-1"}
    assert {s[2] for s in seen} == {"Root=1-abc"}
    assert {s[3] for s in seen} == {"aws"}


def test_the_aws_http_path_imports_no_cloud_sdk() -> None:
    out = _run(
        """
        import json, sys
        import faaskit
        from tests.aws.http_helpers import FakeLambdaContext, fixture

        @faaskit.handler(faaskit.http("GET", "/items/{item_id}"))
        def get_item(req, ctx):
            return {"id": req.path_params["item_id"], "who": req.principal.id}

        native = get_item(fixture("apigw_v2_jwt"), FakeLambdaContext())
        heavy = sorted(
            m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore", "azure")
        )
        print(json.dumps({"status": native["statusCode"], "heavy": heavy}))
        """
    )
    result = json.loads(out)
    assert result == {"status": 200, "heavy": []}


@pytest.mark.parametrize("value", ["Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", "é ü", ""])
def test_the_trace_reader_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from faaskit_aws.context import _trace_id

    monkeypatch.setenv("_X_AMZN_TRACE_ID", value)
    assert _trace_id() == os.environ["_X_AMZN_TRACE_ID"] == value
    monkeypatch.delenv("_X_AMZN_TRACE_ID")
    assert _trace_id() is None
    os.environ["_X_AMZN_TRACE_ID"] = "Root=1-again"  # as the runtime client sets it
    try:
        assert _trace_id() == "Root=1-again"
    finally:
        del os.environ["_X_AMZN_TRACE_ID"]
