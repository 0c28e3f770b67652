"""Conformance: the corpus's Event Grid invocations (worker-level, Event Grid and CloudEvents
schemas) as an ``events`` handler receives them: every event, storage ones included, as a
``CloudEvent``, checked field by field against the raw event.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import azure.functions as func
import pytest
from azure.functions.meta import Datum

import faaskit
from faaskit._context import Context
from faaskit_azure import event as azevent
from tests.conformance.helpers import worker
from tests.corpus import load

CTX = Context(request_id="invocation-1", function_name="fn", platform="azure")
EVERY_EVENT = azevent.EventGridEvent(schema=None, storage=True)


def document(spec: dict[str, Any]) -> dict[str, Any]:
    if "file" in spec:
        loaded: dict[str, Any] = load(f"azure/{spec['file']}")
        return loaded
    inline: dict[str, Any] = spec["inline"]
    return inline


@pytest.mark.parametrize("name", ["eventgrid", "cloudevent"])
def test_worker_level_event_grid_event(name: str) -> None:
    fixture = worker(name)
    body = document(fixture["data"])
    converter = func.get_binding_registry().get(fixture["binding"])
    raw = converter.decode(Datum(json.dumps(body), fixture["data"]["type"]), trigger_metadata={})
    assert EVERY_EVENT.recognise(raw)
    event = EVERY_EVENT.decode(raw, CTX)
    assert isinstance(event, faaskit.CloudEvent)
    cloud = "specversion" in body
    assert event.id == body["id"]
    assert event.type == body["type" if cloud else "eventType"]
    assert event.source == body["source" if cloud else "topic"]
    assert event.subject == body["subject"]
    assert event.data == body["data"]
    stamp = dt.datetime.fromisoformat(body["time" if cloud else "eventTime"])
    assert event.time is not None
    assert abs(event.time - stamp) < dt.timedelta(microseconds=1)
    structure = event.to_cloudevent()
    assert (structure["specversion"], structure["id"], structure["type"]) == (
        "1.0",
        body["id"],
        event.type,
    )
