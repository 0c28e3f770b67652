"""to_cloudevent(): every event maps to a valid CloudEvents JSON structure."""

from __future__ import annotations

from faaskit._http import HttpRequest
from faaskit._message import Message, MessageBatch
from faaskit._schedule import ScheduleEvent
from faaskit._stream import RecordBatch

_REQUIRED = ("specversion", "id", "source", "type")


def test_cloudevents_always_have_a_non_empty_id() -> None:
    for event in (
        MessageBatch(messages=[]),
        RecordBatch(records=[]),
        ScheduleEvent(),
        HttpRequest(method="GET", path="/"),
        Message(id=""),
    ):
        structure = event.to_cloudevent()
        for name in _REQUIRED:
            assert isinstance(structure[name], str) and structure[name], (event, name)


def test_blob_cloudevents_of_distinct_objects_with_equal_content_have_distinct_ids() -> None:
    """CloudEvents consumers deduplicate on ``source`` + ``id``: equal content (equal ETag)
    in two objects, or a create then a delete of one object, are distinct events.
    """
    from faaskit._blob import BlobEvent

    etag = "d41d8cd98f00b204e9800998ecf8427e"
    a = BlobEvent(bucket="b", key="a.txt", etag=etag, store="s3://b")
    b = BlobEvent(bucket="b", key="b.txt", etag=etag, store="s3://b")
    created = BlobEvent(bucket="b", key="a.txt", action="created", store="s3://b")
    deleted = BlobEvent(bucket="b", key="a.txt", action="deleted", store="s3://b")
    ids = {e.to_cloudevent()["id"] for e in (a, b, created, deleted)}
    assert len(ids) == 4
    assert a.to_cloudevent()["id"] == a.to_cloudevent()["id"]  # redelivery keeps its id


def test_change_feed_record_cloudevent_is_json() -> None:
    """A DynamoDB image holds sets, Decimals and bytes; the CloudEvents JSON format needs
    JSON values in ``data``.
    """
    import json
    from decimal import Decimal

    from faaskit._stream import Record

    new = {
        "id": 7,
        "price": Decimal("19.99"),
        "big": Decimal("1E+2"),
        "tags": {"a", "b"},
        "scores": {Decimal("2.5"), 1},
        "blob": b"\x00\x01",
        "nested": {"list": [Decimal("0.5"), {b"x"}]},
    }
    record = Record(id="1", new=new, old=None, action="insert", source="table")
    structure = record.to_cloudevent()
    data = json.loads(json.dumps(structure))["data"]
    assert data["new"]["id"] == 7
    assert data["new"]["price"] == 19.99
    assert data["new"]["big"] == 100
    assert sorted(data["new"]["tags"]) == ["a", "b"]
    assert sorted(data["new"]["scores"]) == [1, 2.5]
    assert data["new"]["blob"] == "AAE="
    assert data["old"] is None


def test_http_request_cloudevent_source_is_a_uri_reference() -> None:
    """``path`` is percent-decoded; the CloudEvents ``source`` must be a URI-reference."""
    from urllib.parse import unquote

    request = HttpRequest(method="GET", path="/files/red flower/café", request_id="r-1")
    source = request.to_cloudevent()["source"]
    assert source.isascii() and " " not in source
    assert unquote(source) == request.path
    assert HttpRequest(method="GET", path="/items/1").to_cloudevent()["source"] == "/items/1"
