"""Kinesis and DynamoDB Streams batches as Records, and their failure reports."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import faaskit
from tests.aws.event_helpers import capture, fixture, reported

UTC = dt.timezone.utc


def test_kinesis_records_field_by_field() -> None:
    raw = fixture("kinesis/batch")
    seen, result = capture(raw, faaskit.stream("clicks"))
    assert reported(result) == []
    assert len(seen) == 3
    for record, native in zip(seen, raw["Records"], strict=True):
        assert isinstance(record, faaskit.Record)
        assert record.id == native["kinesis"]["sequenceNumber"]
        assert record.data == base64.b64decode(native["kinesis"]["data"])
        assert record.partition_key == native["kinesis"]["partitionKey"]
        assert record.source == "clicks"
        assert record.time is not None
        assert record.time.timestamp() == pytest.approx(
            native["kinesis"]["approximateArrivalTimestamp"]
        )
    assert seen[0].json() == {"page": "/home", "user": 7}


def test_kinesis_stops_at_the_first_failure_and_reports_it() -> None:
    raw = fixture("kinesis/batch")
    second = raw["Records"][1]["kinesis"]["sequenceNumber"]
    seen, result = capture(raw, fails=lambda r: r.id == second)
    assert reported(result) == [second]
    assert [r.id for r in seen] == [raw["Records"][0]["kinesis"]["sequenceNumber"], second]


def test_invalid_base64_is_the_failure_and_stops_processing() -> None:
    raw = fixture("kinesis/batch")
    raw["Records"][1]["kinesis"]["data"] = "%%% not base64"
    seen, result = capture(raw)
    assert reported(result) == [raw["Records"][1]["kinesis"]["sequenceNumber"]]
    assert len(seen) == 1


def test_record_without_sequence_number_fails_the_delivery() -> None:
    raw = fixture("kinesis/batch")
    del raw["Records"][2]["kinesis"]["sequenceNumber"]
    with pytest.raises(faaskit.InvalidEventError) as info:
        capture(raw)
    assert info.value.field == "Records[2].kinesis.sequenceNumber"


EXPECTED_INSERT = {
    "pk": "ORDER#1042",
    "sk": 1,
    "total": Decimal("59.97"),
    "count": 3,
    "big": 123456789012345678901234567890,
    "paid": True,
    "note": None,
    "blob": b"\x00\xffdata",
    "tags": {"new", "priority"},
    "scores": {1, Decimal("2.5"), -3},
    "chunks": {b"a", b"\x01\x02"},
    "address": {"city": "Lisbon", "zip": 1100, "geo": [Decimal("38.72"), Decimal("-9.14")]},
    "items": [{"sku": "A1", "qty": 3}, "gift", None, False],
}


def test_dynamodb_images_are_plain_python() -> None:
    raw = fixture("dynamodb/batch")
    seen, result = capture(raw, faaskit.stream("Orders"))
    assert reported(result) == []
    insert, modify, remove = seen
    assert [r.action for r in seen] == ["insert", "modify", "remove"]
    assert [r.id for r in seen] == [n["dynamodb"]["SequenceNumber"] for n in raw["Records"]]
    assert insert.new == EXPECTED_INSERT and insert.old is None
    assert type(insert.new["count"]) is int
    assert modify.old == EXPECTED_INSERT
    assert modify.new == {**EXPECTED_INSERT, "paid": False, "count": 4}
    assert remove.new is None and remove.old == modify.new
    assert {r.source for r in seen} == {"Orders"}
    assert all(r.keys == {"pk": "ORDER#1042", "sk": 1} for r in seen)
    assert insert.time == dt.datetime.fromtimestamp(
        raw["Records"][0]["dynamodb"]["ApproximateCreationDateTime"], UTC
    )


def test_dynamodb_keys_only_stream_still_gives_the_keys() -> None:
    (record,), _ = capture(fixture("dynamodb/keys_only"))
    assert record.action == "remove"
    assert record.new is None and record.old is None
    assert record.keys == {"pk": "ORDER#1042", "sk": 1}


def test_dynamodb_microsecond_precision() -> None:
    raw = fixture("dynamodb/microsecond")
    micros = raw["Records"][0]["dynamodb"]["ApproximateCreationDateTime"]
    (record,), _ = capture(raw)
    assert record.time == dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=micros)
    assert record.time.microsecond == micros % 1_000_000


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"N": "abc"}, "note.N"),
        ({"N": "NaN"}, "note.N"),
        ({"N": 5}, "note.N"),
        ({"B": "***"}, "note.B"),
        ({"S": 1}, "note.S"),
        ({"BOOL": "yes"}, "note.BOOL"),
        ({"NULL": False}, "note.NULL"),
        ({"SS": "a"}, "note.SS"),
        ({"SS": ["a", 1]}, "note.SS[1]"),
        ({"NS": ["1", "x"]}, "note.NS[1]"),
        ({"BS": ["@"]}, "note.BS[0]"),
        ({"M": []}, "note.M"),
        ({"L": {}}, "note.L"),
        ({"L": [{"Q": 1}]}, "note.L[0]"),
        ({"S": "a", "N": "1"}, "note"),
        ({}, "note"),
        ("plain", "note"),
    ],
)
def test_malformed_attribute_values_fail_that_record(value: Any, field: str) -> None:
    raw = fixture("dynamodb/batch")
    raw["Records"][1]["dynamodb"]["NewImage"]["note"] = value
    seen, result = capture(raw)
    failed_seq = raw["Records"][1]["dynamodb"]["SequenceNumber"]
    assert reported(result) == [failed_seq]
    assert len(seen) == 1  # processing stopped at the undecodable record


def test_malformed_attribute_error_names_the_path() -> None:
    raw = fixture("dynamodb/batch")
    raw["Records"][0]["dynamodb"]["NewImage"]["address"]["M"]["geo"]["L"][1] = {"N": "x"}
    seen, result = capture(raw, faaskit.stream("Orders", batch=True))
    assert reported(result) == [raw["Records"][0]["dynamodb"]["SequenceNumber"]]
    assert seen == []  # the batch handler never saw records after the bad one


def test_decoder_error_carries_the_field() -> None:
    from faaskit_aws.stream import DYNAMODB

    raw = fixture("dynamodb/batch")
    raw["Records"][0]["dynamodb"]["NewImage"]["address"]["M"]["geo"]["L"][1] = {"N": "x"}
    batch = DYNAMODB.decode(raw, None)  # type: ignore[arg-type]
    error = batch.entries[0].error
    assert isinstance(error, faaskit.InvalidEventError)
    assert error.field == "Records[0].dynamodb.NewImage.address.M.geo.L[1].N"


def test_record_to_cloudevent() -> None:
    seen, _ = capture(fixture("kinesis/batch"))
    ce = seen[1].to_cloudevent()
    assert ce["specversion"] == "1.0"
    assert base64.b64decode(ce["data_base64"]) == seen[1].data
