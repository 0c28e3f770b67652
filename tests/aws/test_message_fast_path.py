"""The SQS decoder's fast path gives exactly what the careful path gives, and its parts hold up.

Plain records are built inline (writable twins, metadata decoded when first read); every other
shape takes the careful, field-checking path. These tests compare the two paths on random
records and pin the behaviour of each building block.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import faaskit
from faaskit._batch import BatchEntry
from faaskit._context import local_context
from faaskit._fast import writable
from faaskit._message import Message, MessageBatch
from faaskit_aws._attributes import Attributes, sqs_attribute
from faaskit_aws.message import SQS, _sqs_entry
from tests.aws.event_helpers import capture, reported

UTC = dt.timezone.utc
ARN = "arn:aws:sqs:eu-west-1:123456789012:orders"
MAX_MILLIS = 253402300799999  # 9999-12-31T23:59:59.999Z
WIDE_DIGITS = "\uff11\uff12\uff13\uff14"  # full-width 1234: Unicode digits, not ASCII


def record(index: int, **changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "messageId": f"m-{index}",
        "receiptHandle": f"h-{index}",
        "body": json.dumps({"n": index}),
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1795860930123"},
        "messageAttributes": {"customer": {"dataType": "String", "stringValue": f"C-{index}"}},
        "eventSource": "aws:sqs",
        "eventSourceARN": ARN,
        "awsRegion": "eu-west-1",
    }
    raw.update(changes)
    return raw


def decode(*records: dict[str, Any]) -> MessageBatch:
    return SQS.decode({"Records": list(records)}, local_context("t"))


def careful(raw: dict[str, Any], index: int) -> Message:
    entry, message = _sqs_entry(raw, index, "sqs")
    assert message is not None and entry.error is None
    return message


# --- writable twins ---------------------------------------------------------------------


def test_a_message_built_fast_is_an_ordinary_frozen_message() -> None:
    message = decode(record(0)).messages[0]
    assert type(message) is Message
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        message.id = "other"  # type: ignore[misc]
    # Every field is set (a field added to Message later must be set by the fast path too).
    for field in attrs.fields(Message):
        getattr(message, field.name)
    assert message == careful(record(0), 0)
    assert repr(message) == repr(careful(record(0), 0))
    assert message.raw is not None


def test_entries_and_batch_are_ordinary_instances() -> None:
    batch = decode(record(0), record(1))
    assert type(batch) is MessageBatch
    assert batch.entries == ()  # every message is its own entry
    assert batch == MessageBatch(messages=list(batch.messages), source="orders", fifo=False)


def test_an_odd_record_gives_every_record_an_entry_in_order() -> None:
    odd = record(1, body=json.dumps({"Type": "Notification", "TopicArn": ARN, "Message": "x"}))
    batch = decode(record(0), odd, record(2))
    assert [type(entry) for entry in batch.entries] == [BatchEntry] * 3
    first, _, last = batch.entries
    assert first == BatchEntry(id="m-0", events=(batch.messages[0],), item=batch.messages[0])
    assert last == BatchEntry(id="m-2", events=(batch.messages[2],), item=batch.messages[2])
    assert [m.id for m in batch.messages] == ["m-0", "m-1", "m-2"]


def test_writable_refuses_classes_that_need_their_own_init() -> None:
    @attrs.frozen(kw_only=True)
    class Checked:
        size: int = attrs.field(validator=attrs.validators.instance_of(int))

    @attrs.frozen(kw_only=True)
    class PostInit:
        size: int

        def __attrs_post_init__(self) -> None:
            pass

    for cls in (Checked, PostInit):
        with pytest.raises(TypeError, match=cls.__name__):
            writable(cls)


# --- timestamps ---------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-(10**13), MAX_MILLIS - 1), min_size=1, max_size=10))
def test_fast_path_timestamps_are_exact(values: list[int]) -> None:
    raws = [
        record(i, attributes={"ApproximateReceiveCount": "2", "SentTimestamp": str(v)})
        for i, v in enumerate(values + [v + 1 for v in values])
    ]
    batch = decode(*raws)
    epoch = dt.datetime(1970, 1, 1, tzinfo=UTC)
    assert [m.enqueued_at for m in batch.messages] == [
        epoch + dt.timedelta(milliseconds=int(raw["attributes"]["SentTimestamp"])) for raw in raws
    ]
    assert [m.enqueued_at for m in batch.messages] == [
        careful(raw, i).enqueued_at for i, raw in enumerate(raws)
    ]


# --- the two paths agree --------------------------------------------------------------------

TEXT = st.text(string.ascii_letters + string.digits + ' {}":,[]-', max_size=40)
ATTRIBUTE = st.one_of(
    st.builds(lambda s: {"dataType": "String", "stringValue": s}, TEXT),
    st.builds(lambda n: {"dataType": "Number", "stringValue": str(n)}, st.integers()),
    st.builds(lambda s: {"dataType": "Binary.x", "binaryValue": s}, st.sampled_from(["AAE=", ""])),
)
RECORD = st.fixed_dictionaries(
    {
        "body": TEXT,
        "count": st.integers(1, 99),
        "sent": st.integers(0, MAX_MILLIS),
        "group": st.none() | st.sampled_from(["g1", "g2"]),
        "attributes": st.none() | st.dictionaries(st.sampled_from("abc"), ATTRIBUTE, max_size=3),
        "arn": st.none() | st.sampled_from([ARN, ARN + ".fifo", "arn:aws:sqs:x:1:other"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(RECORD, min_size=1, max_size=10))
def test_fast_and_careful_paths_build_equal_messages(specs: list[dict[str, Any]]) -> None:
    raws = []
    for index, spec in enumerate(specs):
        system = {"ApproximateReceiveCount": str(spec["count"]), "SentTimestamp": str(spec["sent"])}
        if spec["group"]:
            system["MessageGroupId"] = spec["group"]
        raws.append(
            record(
                index,
                body=spec["body"],
                attributes=system,
                messageAttributes=spec["attributes"],
                eventSourceARN=spec["arn"],
            )
        )
    batch = decode(*raws)
    assert [message.id for message in batch.messages] == [raw["messageId"] for raw in raws]
    for index, (message, raw) in enumerate(zip(batch.messages, raws, strict=True)):
        expected = careful(raw, index)
        assert message == expected
        assert message.text == expected.text == raw["body"]
        assert dict(message.attributes) == dict(expected.attributes)
        assert message.raw is raw


@pytest.mark.parametrize(
    ("change", "check"),
    [
        # Shapes the fast path leaves to the careful one, which decides as it always did.
        (
            lambda r: r["attributes"].update(ApproximateReceiveCount=3),
            lambda m: m.delivery_count == 3,
        ),
        (lambda r: r["attributes"].update(SentTimestamp=1795860930123), lambda m: m.enqueued_at),
        (lambda r: r["attributes"].pop("SentTimestamp"), lambda m: m.enqueued_at is None),
        (
            lambda r: r["attributes"].update(SentTimestamp=WIDE_DIGITS),
            lambda m: m.enqueued_at == dt.datetime(1970, 1, 1, 0, 0, 1, 234000, tzinfo=UTC),
        ),
        (lambda r: r.pop("messageAttributes"), lambda m: dict(m.attributes) == {}),
        (
            lambda r: r.update(
                body=' {"Type": "Notification", "TopicArn": "arn:aws:sns:x:1:t", '
                '"Message": "hi", "Timestamp": "2026-11-28T10:00:00Z"}'
            ),
            lambda m: m.text == "hi" and m.source == "t",
        ),
    ],
)
def test_other_shapes_take_the_careful_path(change: Any, check: Any) -> None:
    raw = record(0)
    change(raw)
    (message,) = decode(raw).messages
    assert check(message)


@pytest.mark.parametrize(
    ("change", "name", "field"),
    [
        (
            lambda r: r["attributes"].update(ApproximateReceiveCount=True),
            "delivery_count",
            "ApproximateReceiveCount",
        ),
        (lambda r: r["attributes"].update(SentTimestamp="9" * 30), "enqueued_at", "SentTimestamp"),
        (lambda r: r.update(messageAttributes=[]), "attributes", "messageAttributes"),
        (lambda r: r["attributes"].update(MessageGroupId=7), "group_id", "MessageGroupId"),
    ],
)
def test_malformed_metadata_of_a_plain_record_surfaces_when_read(
    change: Any, name: str, field: str
) -> None:
    good, bad = record(0), record(1)
    change(bad)
    batch = decode(good, bad)
    assert [m.id for m in batch.messages] == ["m-0", "m-1"]
    for _ in range(2):  # and again: the field stays undecoded
        with pytest.raises(faaskit.InvalidEventError) as info:
            getattr(batch.messages[1], name)
        error = info.value
        assert error.field is not None and error.field.startswith("Records[1].")
        assert field in error.field and error.source == "sqs"
    assert getattr(batch.messages[0], name) == getattr(careful(good, 0), name)
    seen, result = capture(
        {"Records": [good, bad]},
        faaskit.queue("orders"),
        fails=lambda m: getattr(m, name) is Ellipsis,
    )
    assert [m.id for m in seen] == ["m-0", "m-1"] and reported(result) == ["m-1"]


def test_each_field_is_decoded_once_and_kept() -> None:
    raw = record(0)
    (message,) = decode(raw).messages
    first = message.enqueued_at
    raw["attributes"]["SentTimestamp"] = "0"  # too late: the value was read
    assert message.enqueued_at is first
    assert message.attributes is message.attributes


def test_fields_are_read_from_the_record_only_when_asked() -> None:
    raw = record(0)
    (message,) = decode(raw).messages
    raw["attributes"]["ApproximateReceiveCount"] = "7"  # not read yet
    assert message.delivery_count == 7


def test_an_equal_record_elsewhere_in_the_batch_does_not_confuse_the_error_path() -> None:
    bad = record(0, attributes={"ApproximateReceiveCount": "x", "SentTimestamp": "1"})
    twin = json.loads(json.dumps(bad))  # equal, not the same object
    batch = decode(twin, bad)
    with pytest.raises(faaskit.InvalidEventError) as info:
        _ = batch.messages[1].delivery_count
    assert info.value.field is not None and info.value.field.startswith("Records[1].")


# --- lazily decoded attributes ------------------------------------------------------------


def test_attributes_equality_repr_and_membership() -> None:
    raw = {
        "n": {"dataType": "Number", "stringValue": "12"},
        "s": {"dataType": "String", "stringValue": "x"},
        "bad": {"dataType": "Binary", "binaryValue": "@@@"},
    }
    fast = Attributes(raw, sqs_attribute, "sqs", lambda: "Records[4].messageAttributes")
    slow = Attributes(raw, sqs_attribute, "sqs", "Records[4].messageAttributes")
    assert repr(fast) == "Attributes(['n', 's', 'bad'])" == repr(slow)
    assert "bad" in fast and "missing" not in fast  # membership decodes nothing
    assert fast["n"] == 12 and fast.get("missing") is None
    assert len(fast) == 3 and list(fast) == ["n", "s", "bad"]
    good = {k: v for k, v in raw.items() if k != "bad"}
    lazy = Attributes(good, sqs_attribute, "sqs", lambda: "Records[0].messageAttributes")
    assert lazy == {"n": 12, "s": "x"} == Attributes(good, sqs_attribute, "sqs", "x")
    assert lazy != {"n": 12}
    for attributes in (fast, slow):
        with pytest.raises(faaskit.InvalidEventError) as info:
            attributes["bad"]
        assert info.value.field == "Records[4].messageAttributes.bad.binaryValue"
        with pytest.raises(KeyError):
            attributes["missing"]


def test_a_malformed_attribute_surfaces_when_read_with_its_path() -> None:
    raw = record(0)
    raw2 = record(1, messageAttributes={"q": {"dataType": "Number", "stringValue": "twelve"}})
    messages = decode(raw, raw2).messages
    assert messages[0].attributes["customer"] == "C-0"
    with pytest.raises(faaskit.InvalidEventError) as info:
        messages[1].attributes["q"]
    assert info.value.field == "Records[1].messageAttributes.q.stringValue"
    assert info.value.source == "sqs"
