"""ctx.log and ctx.metrics inside the real Azure Functions Python runtime: one record per log
call, carrying the invocation id; metrics flushed (as structured lines without OpenTelemetry)
also when the handler raised."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from faaskit.testing.azure_host import AzureHost, Invocation, queue_message
from tests.runtime.helpers import AZURE_RUNTIME

pytestmark = AZURE_RUNTIME

APP = """
import faaskit, faaskit_azure


@faaskit.handler(faaskit.http("POST", "/pay"))
def pay(req, ctx):
    ctx.log.info("paid", extra={"amount": req.json()["amount"]})
    ctx.metrics.add("Payments", 1, currency="EUR")
    return {"ok": True}


@faaskit.handler(faaskit.queue("orders"))
def on_order(message, ctx):
    ctx.log.info("order received", extra={"order": message.json()["id"]})
    ctx.metrics.add("Orders", 1)
    if message.json().get("fail"):
        raise ValueError("order rejected")


app = faaskit_azure.function_app(pay, on_order)
"""


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzureHost]:
    app = tmp_path_factory.mktemp("observability")
    (app / "function_app.py").write_text(textwrap.dedent(APP))
    with AzureHost(app) as running:
        yield running


def _lines(invocation: Invocation, logger: str) -> list[dict[str, Any]]:
    return [json.loads(r.message.split("\n")[0]) for r in invocation.logs if r.logger == logger]


def test_one_record_per_call_with_the_invocation_id(host: AzureHost) -> None:
    first = host.invoke_http("pay", "POST", "/api/pay", body='{"amount": 5}')
    second = host.invoke_http("pay", "POST", "/api/pay", body='{"amount": 7}')
    for invocation, amount in ((first, 5), (second, 7)):
        assert invocation.ok, invocation.error
        lines = _lines(invocation, "faaskit.pay")
        (paid,) = [line for line in lines if line["message"] == "paid"]
        assert (paid["request_id"], paid["amount"], paid["platform"]) == (
            invocation.invocation_id,
            amount,
            "azure",
        )
        (metric,) = [line for line in lines if line["message"] == "metric"]
        assert (metric["metric"], metric["value"], metric["dimensions"]) == (
            "Payments",
            1,
            {"currency": "EUR"},
        )
        assert metric["request_id"] == invocation.invocation_id
        assert len(lines) == 2


def test_metrics_are_flushed_when_the_handler_raised(host: AzureHost) -> None:
    invocation = host.invoke_event("on_order", queue_message({"id": "o-9", "fail": True}))
    assert not invocation.ok
    lines = _lines(invocation, "faaskit.on_order")
    assert [line["message"] for line in lines] == ["order received", "metric"]
    (metric,) = [line for line in lines if line["message"] == "metric"]
    assert (metric["metric"], metric["request_id"]) == ("Orders", invocation.invocation_id)
