"""The same deliveries through the real Lambda runtime client and the real Azure Functions
Python runtime give equivalent results for ``samples/portable_triggers``.

Each non-HTTP handler records the portable event it saw in a ``file://`` results store; both
runtimes run on this machine, so the two stores can be compared file by file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from faaskit.testing import aws_event
from faaskit.testing.lambda_runtime import LambdaFunctionError, LambdaRuntime

pytest.importorskip("awslambdaric")
pytestmark = pytest.mark.runtime

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "portable_triggers"
PATHS = [ROOT, ROOT / "adapters"]
HANDLERS = ("greet", "on_order", "on_upload", "tick")

GOOD = {"id": 7, "item": "book"}
BAD = {"id": 8, "bad": True}


def _results(folder: Path) -> dict[str, Any]:
    return {p.name: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Path]]:
    results = tmp_path_factory.mktemp("aws-results")
    runtimes = {
        name: LambdaRuntime(
            f"app.{name}",
            task_root=SAMPLE,
            function_name=name,
            python_path=PATHS,
            env={"RESULTS_URL": results.as_uri()},
        ).start()
        for name in HANDLERS
    }
    out: dict[str, Any] = {}
    try:
        out["greet"] = runtimes["greet"].invoke(
            aws_event(
                "apigw-v2",
                path="/greet/ada",
                query={"lang": "fr"},
                route="/greet/{name}",
                path_params={"name": "ada"},
            )
        )
        out["greet_bad"] = runtimes["greet"].invoke(
            aws_event(
                "apigw-v2",
                path="/greet/ada",
                query={"lang": "xx"},
                route="/greet/{name}",
                path_params={"name": "ada"},
            )
        )
        batch = aws_event("sqs", bodies=[GOOD, BAD], queue="orders")
        out["orders"] = (batch, runtimes["on_order"].invoke(batch))
        out["upload"] = runtimes["on_upload"].invoke(
            aws_event("s3", bucket="uploads", key="in/report 1.txt", size=5)
        )
        out["tick"] = runtimes["tick"].invoke(aws_event("schedule"))
        try:
            runtimes["on_upload"].invoke({"unexpected": "shape"})
        except LambdaFunctionError as exc:
            out["unsupported"] = exc.error
        yield out, results
    finally:
        for runtime in runtimes.values():
            runtime.close()


def _azure_host() -> Any:
    from faaskit.testing import azure_host  # in-repo: failing to import is a failure

    if azure_host.runtime_python() is None:
        pytest.skip("no Python 3.13 with azure-functions-runtime for the Azure runtime harness")
    return azure_host


@pytest.fixture(scope="module")
def azure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Path]]:
    harness = _azure_host()
    results = tmp_path_factory.mktemp("azure-results")
    out: dict[str, Any] = {}
    with harness.AzureHost(SAMPLE, env={"RESULTS_URL": results.as_uri()}) as host:
        out["greet"] = host.invoke_http("greet", "GET", "/api/greet/ada?lang=fr")
        out["greet_bad"] = host.invoke_http("greet", "GET", "/api/greet/ada?lang=xx")
        out["order_good"] = host.invoke_event("on_order", harness.queue_message(GOOD))
        out["order_bad"] = host.invoke_event("on_order", harness.queue_message(BAD))
        out["upload"] = host.invoke_event(
            "on_upload", harness.blob_created("uploads/in/report 1.txt", b"hello")
        )
        out["tick"] = host.invoke_event("tick", harness.timer_tick())
        yield out, results


def test_http_gives_the_same_answer(aws: Any, azure: Any) -> None:
    aws_out, _ = aws
    azure_out, _ = azure
    assert aws_out["greet"]["statusCode"] == azure_out["greet"].http.status == 200
    assert json.loads(aws_out["greet"]["body"]) == azure_out["greet"].http.json()
    assert json.loads(aws_out["greet"]["body"])["greeting"] == "Bonjour, ada!"
    assert aws_out["greet_bad"]["statusCode"] == azure_out["greet_bad"].http.status == 400
    assert json.loads(aws_out["greet_bad"]["body"]) == azure_out["greet_bad"].http.json()


def test_a_failing_message_is_retried_on_both_and_the_good_one_is_not(aws: Any, azure: Any) -> None:
    (batch, response) = aws[0]["orders"]
    bad_id = batch["Records"][1]["messageId"]
    assert response == {"batchItemFailures": [{"itemIdentifier": bad_id}]}
    assert azure[0]["order_good"].ok
    assert not azure[0]["order_bad"].ok
    assert "order 8 is bad" in azure[0]["order_bad"].error.message


def test_every_trigger_records_the_same_portable_event(aws: Any, azure: Any) -> None:
    aws_results = _results(aws[1])
    azure_results = _results(azure[1])
    assert set(aws_results) == {"order-7.json", "upload-in_report 1.txt.json", "tick.json"}
    assert aws_results == azure_results
    assert aws_results["upload-in_report 1.txt.json"] == {
        "bucket": "uploads", "key": "in/report 1.txt", "size": 5,
    }  # fmt: skip


def test_lambda_reports_an_unsupported_event_clearly(aws: Any) -> None:
    error = aws[0]["unsupported"]
    assert error["errorType"] == "UnsupportedEventError"
    assert "raw=True" in error["errorMessage"]
