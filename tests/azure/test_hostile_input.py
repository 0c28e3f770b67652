"""Events the Azure host never sends still give typed errors: a timer time at the edge of the
datetime range, a request URL that cannot be split, a principal header nested thousands deep,
a change-feed document that is not JSON.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import azure.functions as func
import pytest

import faaskit
from faaskit import Context, InvalidEventError
from faaskit.testing import azure_events
from faaskit_azure._bindings import parse_time
from tests.azure.helpers import invoke

EDGES = [
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59.9999999-00:01",
]


@pytest.mark.parametrize("value", EDGES)
def test_times_that_utc_moves_out_of_range_are_typed_errors(value: str) -> None:
    with pytest.raises(InvalidEventError) as info:
        parse_time(value, source="azure-timer", field="ScheduleStatus.Last")
    assert info.value.field == "ScheduleStatus.Last"


@pytest.mark.parametrize("value", EDGES)
def test_a_timer_tick_at_the_edge_of_the_datetime_range_fails_typed(value: str) -> None:
    @faaskit.handler(faaskit.schedule("rate(5 minutes)"))
    def tick(event: faaskit.ScheduleEvent, ctx: Context) -> None:
        raise AssertionError("must not run")

    spec = azure_events.timer()
    info = json.loads(spec["data"]["value"])
    info["ScheduleStatus"]["Last"] = value
    spec["data"]["value"] = json.dumps(info)
    with pytest.raises(InvalidEventError):
        invoke(tick, spec)


def _request(url: str, headers: dict[str, str] | None = None) -> func.HttpRequest:
    return func.HttpRequest("GET", url, headers=headers or {}, params={}, route_params={}, body=b"")


@pytest.mark.parametrize(
    "url", ["http://[::1/api/me", "http://host]/api/me?a=1", "http://[v1.x/api/me"]
)
def test_a_malformed_request_url_answers_400(url: str) -> None:
    @faaskit.handler(faaskit.http("GET", "/me"))
    def me(req: faaskit.HttpRequest, ctx: Context) -> Any:
        return {"query": dict(req.query)}

    response = invoke(me, _request(url))
    assert response.status_code == 400
    assert "URL is malformed" in json.loads(response.get_body())["message"]


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_a_deeply_nested_principal_header_answers_400(
    depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")

    @faaskit.handler(faaskit.http("GET", "/me"))
    def me(req: faaskit.HttpRequest, ctx: Context) -> Any:
        return {"id": req.principal.id if req.principal else None}

    token = base64.b64encode(("[" * depth + "]" * depth).encode()).decode()
    response = invoke(me, _request("http://localhost/api/me", {"x-ms-client-principal": token}))
    assert response.status_code == 400


def test_a_change_feed_document_that_is_not_json_fails_typed() -> None:
    from faaskit_azure.stream import CosmosDB

    deep: Any = []
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(InvalidEventError) as info:
        CosmosDB().record({"id": "d-1", "nested": deep}, 3)
    assert info.value.field == "[3]"
    with pytest.raises(InvalidEventError):
        CosmosDB().record({"id": "d-1", "when": object()}, 0)
    with pytest.raises(InvalidEventError):
        CosmosDB().record({"id": "d-1", "_ts": 1e300}, 0)
