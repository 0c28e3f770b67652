"""faaskit_azure inside the real Azure Functions Python runtime: raw queue results, stream
retry policies, cookies the worker would otherwise drop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from faaskit.testing.azure_host import AzureHost, event_hub_event, queue_message
from tests.runtime.helpers import AZURE_RUNTIME

pytestmark = AZURE_RUNTIME

HANDLERS = """
import faaskit


@faaskit.handler(faaskit.queue("raw-orders"), raw=True)
def raw_orders(msg, ctx):
    return {"batchItemFailures": []}


@faaskit.handler(faaskit.stream("telemetry"))
async def on_telemetry(record, ctx):
    return None


@faaskit.handler(faaskit.http("GET", "/cookies"))
def cookies(req, ctx):
    jar = {"plain": "1", "spaced": "a b", "json": '{"x":1}'}
    jar["flagged"] = faaskit.Cookie(value="caf\u00e9", path="/", http_only=True)
    return faaskit.Response("ok", cookies=jar)
"""


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzureHost]:
    app = tmp_path_factory.mktemp("review_app")
    (app / "review_handlers.py").write_text(HANDLERS, encoding="utf-8")
    (app / "function_app.py").write_text(
        "import faaskit_azure\nimport review_handlers\n\n"
        "app = faaskit_azure.function_app(review_handlers)\n",
        encoding="utf-8",
    )
    with AzureHost(app, paths=[Path(app)]) as running:
        yield running


def test_a_raw_queue_handler_that_returns_a_value_completes(host: AzureHost) -> None:
    result = host.invoke_event("raw_orders", queue_message("hello"))
    assert result.ok, result.error


def test_a_stream_function_with_its_retry_policy_indexes_and_runs(host: AzureHost) -> None:
    result = host.invoke_event("on_telemetry", event_hub_event(b"\xff\x00"))
    assert result.ok, result.error


def test_cookies_with_spaces_quotes_or_non_ascii_reach_the_host(host: AzureHost) -> None:
    response = host.request("GET", "/api/cookies").http
    sent = {cookie["name"]: cookie for cookie in response.cookies}
    assert {name: c["value"] for name, c in sent.items()} == {
        "plain": "1", "spaced": "a b", "json": '{"x":1}', "flagged": "caf\u00e9",
    }  # fmt: skip
    assert (sent["flagged"]["path"], sent["flagged"]["http_only"]) == ("/", True)
