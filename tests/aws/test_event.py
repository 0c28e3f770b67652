"""EventBridge custom and AWS service events as CloudEvents."""

from __future__ import annotations

import datetime as dt

import pytest

import faaskit
from tests.aws.event_helpers import capture, fixture


@pytest.mark.parametrize("name", ["custom", "ec2_state_change"])
def test_eventbridge_event_field_by_field(name: str) -> None:
    raw = fixture(f"eventbridge/{name}")
    (event,), result = capture(raw, faaskit.events({"source": [raw["source"]]}))
    assert result is None
    assert isinstance(event, faaskit.CloudEvent)
    assert event.id == raw["id"]
    assert event.source == raw["source"]
    assert event.type == raw["detail-type"]
    assert event.time == dt.datetime(2026, 11, 28, 10, 15, tzinfo=dt.timezone.utc)
    assert event.data == raw["detail"]
    assert event.subject == (raw["resources"][0] if raw["resources"] else None)
    assert event.raw == raw


def test_to_cloudevent_structure() -> None:
    raw = fixture("eventbridge/custom")
    (event,), _ = capture(raw)
    ce = event.to_cloudevent()
    assert ce["specversion"] == "1.0"
    assert (ce["id"], ce["source"], ce["type"]) == (raw["id"], raw["source"], raw["detail-type"])
    assert ce["time"] == raw["time"]
    assert ce["data"] == raw["detail"]
    assert ce["datacontenttype"] == "application/json"


def test_handler_result_is_returned_when_it_is_json() -> None:
    @faaskit.handler
    def enrich(event: faaskit.CloudEvent, ctx: faaskit.Context) -> dict[str, str]:
        return {"seen": event.id}

    raw = fixture("eventbridge/custom")
    assert enrich(raw, None) == {"seen": raw["id"]}


@pytest.mark.parametrize(("drop", "field"), [("id", "id"), ("detail-type", None), ("source", None)])
def test_missing_envelope_fields(drop: str, field: str | None) -> None:
    raw = fixture("eventbridge/custom")
    del raw[drop]
    if field is None:  # no longer an EventBridge envelope at all
        with pytest.raises(faaskit.UnsupportedEventError):
            capture(raw)
    else:
        with pytest.raises(faaskit.InvalidEventError) as info:
            capture(raw)
        assert info.value.field == field


def test_wrong_types_are_named() -> None:
    raw = fixture("eventbridge/custom")
    raw["resources"] = "arn:aws:ec2:eu-west-1:123456789012:instance/i-1"
    with pytest.raises(faaskit.InvalidEventError) as info:
        capture(raw)
    assert info.value.field == "resources"


def test_blob_handler_refuses_a_custom_event() -> None:
    with pytest.raises(faaskit.TriggerMismatchError) as info:
        capture(fixture("eventbridge/custom"), faaskit.blob("photos-bucket"))
    assert (info.value.expected, info.value.got) == ("blob", "event")
