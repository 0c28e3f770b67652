# ruff: noqa: F811  (pytest fixtures imported from the faaskit plugin)
"""Handlers running inside the real AWS Lambda runtime interface client (``awslambdaric``),
against faaskit's Runtime API emulator on loopback."""

from __future__ import annotations

import json
import textwrap
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from faaskit.testing import aws_event
from faaskit.testing.lambda_runtime import LambdaFunctionError, LambdaRuntime
from faaskit.testing.plugin import lambda_runtime  # noqa: F401

pytest.importorskip("awslambdaric")
pytestmark = pytest.mark.runtime

ROOT = Path(__file__).resolve().parents[2]
PATHS = [ROOT, ROOT / "adapters"]

PLAIN = """
import os

def handler(event, context):
    if event.get("fail"):
        raise ValueError("asked to fail")
    return {
        "event": event,
        "request_id": context.aws_request_id,
        "arn": context.invoked_function_arn,
        "function": context.function_name,
        "memory": context.memory_limit_in_mb,
        "remaining": context.get_remaining_time_in_millis(),
        "trace": os.environ.get("_X_AMZN_TRACE_ID"),
        "region": os.environ.get("AWS_REGION"),
        "handler": os.environ.get("_HANDLER"),
        "task_root": os.environ.get("LAMBDA_TASK_ROOT"),
    }
"""


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    (tmp_path / "plain_fn.py").write_text(textwrap.dedent(PLAIN))
    return tmp_path


def test_invocations_carry_request_id_deadline_arn_and_trace(
    plain: Path, lambda_runtime: Any
) -> None:
    runtime = lambda_runtime(
        "plain_fn.handler",
        task_root=plain,
        function_name="orders",
        memory_mb=256,
        timeout=10,
        region="eu-west-1",
    )
    first = runtime.invoke({"n": 1})
    second = runtime.invoke({"n": 2})
    assert (first["event"], second["event"]) == ({"n": 1}, {"n": 2})
    assert first["request_id"] != second["request_id"]
    assert first["function"] == "orders"
    assert int(first["memory"]) == 256  # the runtime client reports it as a string
    assert first["arn"].startswith("arn:aws:lambda:eu-west-1:") and first["arn"].endswith(":orders")
    assert 0 < first["remaining"] <= 10_000
    assert first["trace"].startswith("Root=1-")
    assert first["trace"] != second["trace"]
    assert first["region"] == "eu-west-1"
    assert first["handler"] == "plain_fn.handler"
    assert Path(first["task_root"]) == plain.resolve()


def test_a_function_error_is_reported_and_the_runtime_keeps_serving(
    plain: Path, lambda_runtime: Any
) -> None:
    runtime = lambda_runtime("plain_fn.handler", task_root=plain)
    with pytest.raises(LambdaFunctionError) as info:
        runtime.invoke({"fail": True})
    assert info.value.error["errorType"] == "ValueError"
    assert "asked to fail" in info.value.error["errorMessage"]
    assert runtime.invoke({"n": 3})["event"] == {"n": 3}


def test_init_error_names_the_missing_module(plain: Path, lambda_runtime: Any) -> None:
    runtime = lambda_runtime("missing_module.handler", task_root=plain)
    with pytest.raises(LambdaFunctionError, match="missing_module") as info:
        runtime.invoke({})
    assert info.value.error["errorType"] == "Runtime.ImportModuleError"


def test_faaskit_sample_inside_the_real_runtime_client(lambda_runtime: Any) -> None:
    runtime = lambda_runtime(
        "app.hello",
        task_root=ROOT / "samples" / "hello_http",
        python_path=PATHS,
        function_name="hello",
    )
    event = aws_event("apigw-v2", path="/hello/ada", query={"lang": "fr"})
    response = runtime.invoke(event)
    assert response["statusCode"] == 200
    body = json.loads(response["body"])
    assert body["message"] == "Bonjour, ada!"
    assert body["platform"] == "aws"
    bad = runtime.invoke(aws_event("apigw-v2", path="/hello/ada", query={"lang": "xx"}))
    assert bad["statusCode"] == 400


def test_context_manager_closes_the_client(plain: Path) -> None:
    with LambdaRuntime("plain_fn.handler", task_root=plain) as runtime:
        assert runtime.invoke({"n": 1})["event"] == {"n": 1}
        process = runtime._process
    assert process is not None and process.poll() is not None


def test_serve_runtime_lambda_answers_http_from_the_runtime_client(faaskit_server: Any) -> None:
    server = faaskit_server(ROOT / "samples" / "hello_http" / "app.py", runtime="lambda")
    with urllib.request.urlopen(f"{server.url}/hello/zoe?lang=fr", timeout=30) as response:
        body = json.load(response)
    assert body["message"] == "Bonjour, zoe!"
    assert body["platform"] == "aws"
