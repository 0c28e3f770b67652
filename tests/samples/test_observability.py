"""samples/observability through the AWS and Azure adapter paths: the log lines, the custom
metrics (also when the handler failed) and the trace context across the queue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from faaskit.testing import aws_event, azure_event, capture_telemetry, invoke
from samples.observability import app
from tests.samples.helpers import queued

HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


@pytest.fixture
def orders(monkeypatch: pytest.MonkeyPatch, folder_url: Any) -> str:
    url: str = folder_url("orders")
    monkeypatch.setenv("ORDERS_QUEUE_URL", url)
    return url


def _place(platform: str, body: Any) -> Any:
    if platform == "aws":
        event = aws_event("apigw-v2", method="POST", path="/orders", body=json.dumps(body))
        return invoke(app.place_order, event, platform="aws")
    event = azure_event("http", method="POST", path="/orders", body=json.dumps(body))
    return invoke(app.place_order, event, platform="azure")


def _ship(platform: str, body: bytes, trace: str | None) -> Any:
    if platform == "aws":
        event = aws_event("sqs", body=body.decode())
        if trace:
            event["Records"][0]["attributes"]["AWSTraceHeader"] = trace
        return invoke(app.ship_order, event, platform="aws")
    return invoke(app.ship_order, azure_event("queue", body=body.decode()), platform="azure")


def test_placing_an_order_logs_measures_and_queues_it(platform: str, orders: str) -> None:
    with capture_telemetry() as seen:
        _place(platform, {"sku": "book", "amount": 12.5})
    (message,) = queued(orders)
    order = message.json()
    (line,) = [x for x in seen.logs if x["message"] == "order placed"]
    assert (line["order_id"], line["sku"], line["platform"]) == (order["id"], "book", platform)
    assert line["request_id"] and line["function_name"] == "place_order"
    metrics = {m["name"]: m for m in seen.metrics}
    assert metrics["OrdersPlaced"]["value"] == 1
    assert metrics["OrdersPlaced"]["dimensions"] == {"channel": "web"}
    assert metrics["OrderValue"]["value"] == 12.5
    assert {m["request_id"] for m in seen.metrics} == {line["request_id"]}


def test_the_trace_travels_with_the_order_to_the_shipper(
    platform: str, orders: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID", HEADER)  # the Lambda runtime's, for this invocation
    _place(platform, {"sku": "pen", "amount": 2})
    monkeypatch.delenv("_X_AMZN_TRACE_ID")
    (message,) = queued(orders)
    assert message.trace_id == HEADER
    with capture_telemetry() as seen:
        _ship(platform, message.body, message.trace_id)
    (line,) = [x for x in seen.logs if x["message"] == "order shipped"]
    assert line["order_id"] == message.json()["id"]
    # SQS carries the header to the consumer; an Azure Storage queue message cannot.
    assert line["producer_trace"] == (HEADER if platform == "aws" else None)
    assert [m["name"] for m in seen.metrics] == ["OrdersShipped"]


def test_a_bad_message_still_flushes_its_metric(platform: str) -> None:
    with capture_telemetry() as seen:
        try:
            _ship(platform, b'{"no": "id"}', None)
        except ValueError:
            assert platform == "azure"  # Azure raises so the host retries the message
    assert [m["name"] for m in seen.metrics] == ["OrdersRejected"]


def test_a_bad_order_is_400_and_measures_nothing(platform: str, orders: str) -> None:
    with capture_telemetry() as seen:
        response = _place(platform, {"amount": 1})
    status = response["statusCode"] if platform == "aws" else response.status_code
    assert status == 400
    assert seen.metrics == [] and queued(orders) == []


@pytest.mark.runtime
def test_inside_the_real_lambda_runtime_client(
    lambda_runtime: Any, tmp_path: Any, orders: str
) -> None:
    pytest.importorskip("awslambdaric")
    from pathlib import Path

    from tests.core.emf import emf_lines, validate_emf

    root = Path(__file__).resolve().parents[2]
    output = tmp_path / "out.log"
    runtime = lambda_runtime(
        "app.place_order",
        task_root=root / "samples" / "observability",
        python_path=[root, root / "adapters"],
        function_name="place_order",
        env={"ORDERS_QUEUE_URL": orders, "FAASKIT_METRICS_NAMESPACE": "Shop"},
        output=output,
    )
    body = json.dumps({"sku": "book", "amount": 3})
    response = runtime.invoke(aws_event("apigw-v2", method="POST", path="/orders", body=body))
    runtime.close()
    assert response["statusCode"] == 202
    text = output.read_text(encoding="utf-8")
    (line,) = [json.loads(x) for x in text.splitlines() if '"order placed"' in x]
    assert line["order_id"] == json.loads(response["body"])["id"]
    (message,) = queued(orders)
    assert message.trace_id == line["trace_id"]  # the invocation's X-Ray header went along
    docs = [doc for doc in emf_lines(text) if "OrdersPlaced" in doc]
    for doc in docs:
        validate_emf(doc)
    assert docs[0]["channel"] == "web"
